using System.CommandLine;
using MixedModels.Inference;

namespace MixedModels.Cli;

/// <summary>The <c>--ddf</c> option shared by the commands that test fixed effects.</summary>
internal static class DdfOption
{
    public static Option<string> Create()
    {
        var o = new Option<string>("--ddf")
        {
            Description = "Denominator degrees of freedom for t and F tests: satterthwaite (default, as lmerTest), kenward-roger (as pbkrtest), or none",
            DefaultValueFactory = _ => "satterthwaite",
        };
        o.AcceptOnlyFromAmong("satterthwaite", "kenward-roger", "none");
        return o;
    }

    public static DdfMethod Parse(string? value) => value switch
    {
        "kenward-roger" => DdfMethod.KenwardRoger,
        "none" => DdfMethod.None,
        _ => DdfMethod.Satterthwaite,
    };
}

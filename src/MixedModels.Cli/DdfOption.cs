using System.CommandLine;
using MixedModels.Inference;

namespace MixedModels.Cli;

/// <summary>The <c>--ddf</c> option shared by the commands that test fixed effects.</summary>
internal static class DdfOption
{
    public static Option<string> Create(bool allowNone = true, string defaultValue = "satterthwaite")
    {
        var o = new Option<string>("--ddf")
        {
            Description = "Denominator degrees of freedom for t and F tests: satterthwaite (as lmerTest), kenward-roger (as pbkrtest)" +
                (allowNone ? ", or none" : "") + $"; default {defaultValue}",
            DefaultValueFactory = _ => defaultValue,
        };
        if (allowNone) o.AcceptOnlyFromAmong("satterthwaite", "kenward-roger", "none");
        else o.AcceptOnlyFromAmong("satterthwaite", "kenward-roger");
        return o;
    }

    public static DdfMethod Parse(string? value) => value switch
    {
        "kenward-roger" => DdfMethod.KenwardRoger,
        "none" => DdfMethod.None,
        _ => DdfMethod.Satterthwaite,
    };
}

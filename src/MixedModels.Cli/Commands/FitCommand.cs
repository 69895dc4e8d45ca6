using System.CommandLine;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed fit</c>: fits a model and prints lme4's (lmerTest's) summary or JSON.</summary>
internal static class FitCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var ddf = DdfOption.Create();
        var format = ModelOptions.FormatOption("text", "json");
        var cmd = new Command("fit", "Fit a linear mixed model and print lme4's summary (or JSON).\n\n" +
            "Examples:\n  mixed fit --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed fit --data my.csv --factor Subject --ml --format json --formula \"y ~ x + (1 | Subject)\"");
        model.AddTo(cmd);
        cmd.Add(ddf);
        cmd.Add(format);
        cmd.SetAction(parse =>
        {
            var m = model.Fit(parse);
            var method = DdfOption.Parse(parse.GetValue(ddf));
            model.Write(parse, parse.GetValue(format) == "json" ? m.ToJson(method) + "\n" : m.Summary(method) + ModelOptions.DroppedRowsNote(m));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Results;

namespace MixedModels.Cli.Commands;

/// <summary>
/// <c>mixed lme</c> and <c>mixed gls</c>: nlme's functions with their arguments as options (--fixed/--model,
/// --random, --correlation, --weights, --method); the same fit as <c>mixed fit --call 'lme(...)'</c>.
/// </summary>
internal static class NlmeCommand
{
    public static Command Create(bool lme)
    {
        string fn = lme ? "lme" : "gls";
        var source = new DataOptions();
        var formula = new Option<string>(lme ? "--fixed" : "--model") { Description = "The fixed-effects formula, e.g. \"distance ~ age * Sex\"", Required = true };
        var random = new Option<string>("--random") { Description = "The random effects: a one-sided formula with a grouping factor, \"~ 1 | Subject\", \"~ age | Subject\" or \"~ 1 | a/b\"", Required = true };
        var correlation = new Option<string?>("--correlation") { Description = "nlme's correlation structure, e.g. \"corAR1()\", \"corCAR1(form = ~ time | id)\", \"corARMA(p = 1, q = 1)\", \"corSymm()\", \"corExp(form = ~ x + y, nugget = TRUE)\"" };
        var weights = new Option<string?>("--weights") { Description = "nlme's variance function, e.g. \"varIdent(form = ~ 1 | Sex)\", \"varPower()\" (of the fitted values), \"varExp(form = ~ age)\", or \"~ x\" (varFixed)" };
        var method = new Option<string>("--method") { Description = "REML (nlme's default) or ML", DefaultValueFactory = _ => "REML" }.AcceptOnlyFromAmong("REML", "ML");
        var format = ModelOptions.FormatOption("text", "json");
        var output = Output.FileOption();
        var cmd = new Command(fn, (lme
                ? "Fit a linear mixed-effects model as nlme's lme(), with its variance functions and correlation structures, and print nlme's summary (or JSON)."
                : "Fit a linear model with correlated or heteroscedastic errors as nlme's gls() and print nlme's summary (or JSON).") +
            " The same fit as mixed fit --call '" + fn + "(...)'.\n\nExamples:\n" + (lme
                ? "  mixed lme --data ovary --fixed \"follicles ~ sin(2*pi*Time) + cos(2*pi*Time)\" --random \"~ 1 | Mare\" --correlation \"corAR1()\"\n" +
                  "  mixed lme --data bodyweight --fixed \"weight ~ Time * Diet\" --random \"~ Time | Rat\" --weights \"varPower()\" --correlation \"corCAR1(form = ~ Time)\""
                : "  mixed gls --data orthodont --model \"distance ~ age * Sex\" --correlation \"corSymm(form = ~ 1 | Subject)\" --weights \"varIdent(form = ~ 1 | age)\" --method ML"));
        source.AddTo(cmd);
        cmd.Add(formula);
        if (lme) cmd.Add(random);
        foreach (Option o in new Option[] { correlation, weights, method, format, output }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            var args = new List<string> { parse.GetValue(formula)! };
            if (lme) args.Add("random = " + parse.GetValue(random));
            if (parse.GetValue(correlation) is { } c) args.Add("correlation = " + c);
            if (parse.GetValue(weights) is { } w) args.Add("weights = " + w);
            if (parse.GetValue(method) == "ML") args.Add("method = \"ML\"");
            var call = ModelCall.Parse($"{fn}({string.Join(", ", args)})");
            var data = source.Load(parse);
            var fit = call.FitNlme(data.Table, dataName: data.Name);
            foreach (string warning in fit.Warnings) parse.InvocationConfiguration.Error.WriteLine("warning: " + Formatting.TerminalText.Escape(warning));
            string text = parse.GetValue(format) == "json" ? call.ToJson(fit) + "\n" : call.Summary(fit) + ModelOptions.DroppedRowsNote(fit.Design.Frame.DroppedRowCount);
            Output.Write(parse, parse.GetValue(output), text);
            return 0;
        });
        return cmd;
    }
}

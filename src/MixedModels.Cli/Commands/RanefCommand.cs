using System.CommandLine;
using MixedModels.Diagnostics;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed ranef</c>: conditional modes with intervals, lme4's coef(), or the outlying clusters.</summary>
internal static class RanefCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var level = new Option<double>("--level") { Description = "Interval level", DefaultValueFactory = _ => 0.95 };
        var order = new Option<string>("--sort") { Description = "Order within each term: effect (caterpillar order) or level", DefaultValueFactory = _ => "effect" };
        order.AcceptOnlyFromAmong("effect", "level");
        var coef = new Option<bool>("--coef") { Description = "Print lme4's coef(): fixed plus random effects per level" };
        var outliers = new Option<double?>("--outliers") { Description = "List the levels whose standardized conditional mode (mode / sqrt(variance component - conditional variance)) exceeds this in absolute value, most extreme first" };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("ranef", "Conditional modes (BLUPs) of the random effects with conditional SDs and intervals, per group sorted by effect.\n\n" +
            "Examples:\n  mixed ranef --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\"\n" +
            "  mixed ranef --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --coef --format csv\n" +
            "  mixed ranef --data hsb --formula \"MathAch ~ SES + (1 | School)\" --outliers 2.5");
        model.AddTo(cmd);
        foreach (Option o in new Option[] { level, order, coef, outliers, format }) cmd.Add(o);
        cmd.SetAction(parse =>
        {
            double lv = ModelOptions.Level(parse.GetValue(level));
            var m = model.FitAnyOrTransformed(parse);
            if (m.Design.RandomTerms.Count == 0) throw new UsageException("the model has no random-effects term; add one such as (1 | group)");
            var f = ModelOptions.ParseFormat(parse.GetValue(format));
            (ResultTable Table, string Title)[] tables;
            if (parse.GetValue(outliers) is double z)
            {
                if (!(z > 0)) throw new UsageException($"--outliers {z}: give a positive number of SDs, e.g. 2.5");
                tables = [(DiagnosticTables.OutlierTable(OutlyingGroups.Find(m, z)), $"Levels with |z| > {z}, {Diagnostics.OutlyingGroups.Rule}")];
            }
            else if (parse.GetValue(coef))
                tables = m.Coefficients().Select(g => (DiagnosticTables.CoefficientTable(g), $"${g.Group}")).ToArray();
            else
                tables = [(DiagnosticTables.RandomEffectsTable(m.RandomEffects(), lv, parse.GetValue(order) == "effect"), $"Conditional modes with {lv:P0} intervals")];
            string text = string.Join(f == TableFormat.Json ? "" : "\n",
                tables.Select(t => f == TableFormat.Text ? TextTables.Render(t.Table, t.Title) : t.Table.Write(f)));
            model.Write(parse, text);
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed tidy</c>: broom.mixed's tidy table of a fit.</summary>
internal static class TidyCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var ddf = DdfOption.Create();
        var intervals = new IntervalOptions("--conf-method",
            "Intervals: wald (t-based for the fixed effects, as broom.mixed), profile, boot, or none", "wald", "wald", "profile", "boot", "none");
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("tidy", "A broom.mixed-style table: fixed effects (estimate, std.error, statistic, df, p.value, conf.low, conf.high) " +
            "and ran_pars (sd__/cor__ of each term, sd__Observation).\n\n" +
            "Example:\n  mixed tidy --data sleepstudy --formula \"Reaction ~ Days + (Days | Subject)\" --format csv");
        model.AddTo(cmd);
        cmd.Add(ddf);
        intervals.AddTo(cmd);
        cmd.Add(format);
        cmd.SetAction(parse =>
        {
            var (kind, level, replicates, seed) = intervals.Parse(parse);
            var m = model.Fit(parse);
            using var bar = IntervalOptions.Progress(kind, m, replicates);
            var table = TidyTable.Create(m, new TidyOptions
            {
                Ddf = DdfOption.Parse(parse.GetValue(ddf)), Intervals = kind, Level = level, Replicates = replicates, Seed = seed, Progress = bar,
            });
            model.Write(parse, TextTables.Write(table.ToResultTable(), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Data;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed describe</c>: per-column summaries and group sizes — a look at the data before modelling.</summary>
internal static class DescribeCommand
{
    public static Command Create()
    {
        var source = new DataOptions();
        var group = new Option<string[]>("--group", "-g") { Description = "A grouping column: show its number of groups and group-size distribution (repeatable)" };
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var output = Output.FileOption();
        var style = new Option<string>("--style")
        {
            Description = "summary (types, missing values, levels; the default) or psych (R's psych::describe columns: vars n mean sd median trimmed mad min max range skew kurtosis se)",
            DefaultValueFactory = _ => "summary",
        }.AcceptOnlyFromAmong("summary", "psych");
        var by = new Option<string?>("--by") { Description = "Describe within each level of this column: psych's describeBy with --style psych, else the group means of every numeric column (pandas' groupby().mean())" };
        var icc = new Option<string?>("--icc") { Description = "With --group: a first look in one line per grouping column: groups, sizes, and the intraclass correlation of the null model RESPONSE ~ 1 + (1 | GROUP)" };
        var cmd = new Command("describe", "Summarize every column (type, missing values, mean/SD/min/max or levels and counts) and, for grouping " +
            "columns, the number of groups and the distribution of group sizes.\n\n" +
            "Examples:\n  mixed describe --data hsb --group School\n  mixed describe --data scores.csv --group school --group class --format json")
        {
            group, format, output, style, by, icc,
        };
        source.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var (table, _) = source.Load(parse);
            var groups = parse.GetValue(group) ?? [];
            foreach (var g in groups) _ = table[g];
            var fmt = ModelOptions.ParseFormat(parse.GetValue(format));
            bool psych = parse.GetValue(style) == "psych";
            string text;
            if (parse.GetValue(icc) is { } response)
            {
                if (groups.Length == 0) throw new UsageException("--icc RESPONSE needs --group GROUP: the null model is RESPONSE ~ 1 + (1 | GROUP)");
                text = FirstLook.Lines(table, response, groups);
            }
            else if (parse.GetValue(by) is { } b)
                text = psych ? DescribeTables.PsychBy(PsychSummary.DescribeBy(table, b), b, fmt) : DescribeTables.GroupMeans(PsychSummary.GroupMeans(table, b), b, fmt);
            else if (psych) text = DescribeTables.Psych(PsychSummary.Describe(table), fmt);
            else text = fmt == TableFormat.Text ? Text(table, groups) : DescribeTables.Describe(table, groups, fmt);
            Output.Write(parse, parse.GetValue(output), text);
            return 0;
        });
        return cmd;
    }

    private static string Text(Table table, IReadOnlyList<string> groups) =>
        string.Join("\n", DescribeTables.Parts(table, groups).Select(p => TextTables.Render(p.Table, p.Title)));
}

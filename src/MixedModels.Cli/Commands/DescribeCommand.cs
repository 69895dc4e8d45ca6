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
        var cmd = new Command("describe", "Summarize every column (type, missing values, mean/SD/min/max or levels and counts) and, for grouping " +
            "columns, the number of groups and the distribution of group sizes.\n\n" +
            "Examples:\n  mixed describe --data hsb --group School\n  mixed describe --data scores.csv --group school --group class --format json")
        {
            group, format, output,
        };
        source.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var (table, _) = source.Load(parse);
            var groups = parse.GetValue(group) ?? [];
            foreach (var g in groups) _ = table[g];
            var fmt = ModelOptions.ParseFormat(parse.GetValue(format));
            string text = fmt == TableFormat.Text ? Text(table, groups) : DescribeTables.Describe(table, groups, fmt);
            Output.Write(parse, parse.GetValue(output), text);
            return 0;
        });
        return cmd;
    }

    private static string Text(Table table, IReadOnlyList<string> groups) =>
        string.Join("\n", DescribeTables.Parts(table, groups).Select(p => TextTables.Render(p.Table, p.Title)));
}

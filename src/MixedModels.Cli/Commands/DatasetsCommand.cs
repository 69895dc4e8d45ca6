using System.CommandLine;
using MixedModels.Data;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed datasets</c>: lists the embedded data sets; <c>show</c> describes one, <c>export</c> writes it as CSV.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var cmd = new Command("datasets", "List the embedded data sets (use their names with --data) with rows, columns and a description.\n\n" +
            "Examples:\n  mixed datasets\n  mixed datasets show sleepstudy\n  mixed datasets export hsb --output hsb.csv")
        {
            format, Show(), Export(),
        };
        cmd.SetAction(parse =>
        {
            var t = new ResultTable("name", "rows", "columns", "description", "source");
            foreach (var d in Datasets.All)
            {
                var table = Datasets.Load(d.Name);
                t.Add(d.Name, table.RowCount, table.Columns.Count, d.Description, d.Source);
            }
            parse.InvocationConfiguration.Output.Write(TextTables.Write(t, ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The data set's name (see 'mixed datasets')" };

    private static Table Load(string name) =>
        Datasets.Exists(name) ? Datasets.Load(name)
            : throw new UsageException($"there is no embedded data set '{name}'. Embedded data sets: {string.Join(", ", Datasets.All.Select(d => d.Name))}");

    private static Command Show()
    {
        var name = NameArgument();
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var head = new Option<int?>("--head") { Description = "Show the first N rows instead of the column summary (R's head())" };
        var cmd = new Command("show", "Describe an embedded data set: its columns with their types, missing values, ranges and levels.\n\n" +
            "Examples:\n  mixed datasets show sleepstudy\n  mixed datasets show hsb --head 10")
        {
            name, format, head,
        };
        cmd.SetAction(parse =>
        {
            string n = parse.GetValue(name)!;
            var table = Load(n);
            var info = Datasets.All.First(d => d.Name == n);
            var fmt = ModelOptions.ParseFormat(parse.GetValue(format));
            if (parse.GetValue(head) is { } rows)
            {
                parse.InvocationConfiguration.Output.Write(HeadCommand.Render(table, rows, fmt));
                return 0;
            }
            var (columns, title) = DescribeTables.Parts(table, [])[0];
            string text = fmt == TableFormat.Text
                ? $"{info.Name}: {info.Description}\nSource: {info.Source}\n" + TextTables.Render(columns, title)
                : columns.Write(fmt);
            parse.InvocationConfiguration.Output.Write(text);
            return 0;
        });
        return cmd;
    }

    private static Command Export()
    {
        var name = NameArgument();
        var output = Output.FileOption("the CSV");
        var cmd = new Command("export", "Write an embedded data set as CSV (a header row, missing values as NA).\n\n" +
            "Example:\n  mixed datasets export sleepstudy --output sleepstudy.csv")
        {
            name, output,
        };
        cmd.SetAction(parse =>
        {
            var table = Load(parse.GetValue(name)!);
            var writer = new StringWriter();
            table.WriteCsv(writer);
            Output.Write(parse, parse.GetValue(output), writer.ToString());
            return 0;
        });
        return cmd;
    }
}

using System.CommandLine;
using MixedModels.Data;
using MixedModels.Reporting;

namespace MixedModels.Cli.Commands;

/// <summary><c>mixed head</c>: the first rows of the data (R's <c>head()</c>), after --na and --subset.</summary>
internal static class HeadCommand
{
    public static Command Create()
    {
        var source = new DataOptions();
        var rows = RowsOption();
        var format = ModelOptions.FormatOption("text", "json", "csv", "markdown");
        var output = Output.FileOption();
        var cmd = new Command("head", "Show the first rows of the data (R's head()), as read: after --na and --subset, with the column types applied.\n\n" +
            "Examples:\n  mixed head --data sleepstudy\n  mixed head --data ess.csv -n 10 --subset 'trstplc != 88' --na 99")
        {
            rows, format, output,
        };
        source.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var (table, _) = source.Load(parse);
            Output.Write(parse, parse.GetValue(output), Render(table, parse.GetValue(rows), ModelOptions.ParseFormat(parse.GetValue(format))));
            return 0;
        });
        return cmd;
    }

    /// <summary>-n / --rows, R's head() default of 6.</summary>
    public static Option<int> RowsOption() => new("--rows", "-n") { Description = "How many rows (default 6, as R's head())", DefaultValueFactory = _ => 6 };

    /// <summary>The first <paramref name="n"/> rows as a table with R's row numbers; NA for a missing value.</summary>
    public static string Render(Table table, int n, TableFormat format)
    {
        if (n < 0) throw new UsageException($"-n {n}: give a number of rows, 0 or more");
        int shown = Math.Min(n, table.RowCount);
        var result = new ResultTable([string.Empty, .. table.ColumnNames]);
        for (int r = 0; r < shown; r++)
        {
            var cells = new object?[table.Columns.Count + 1];
            cells[0] = (r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var col = table.Columns[c];
                cells[c + 1] = col.IsMissing(r) ? "NA" : col.FormatValue(r);
            }
            result.Add(cells);
        }
        string text = TextTables.Write(result, format);
        return format == TableFormat.Text ? text + $"{shown} of {table.RowCount} rows\n" : text;
    }
}

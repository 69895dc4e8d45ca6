using MixedModels.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MixedModels.Cli;

/// <summary>
/// Text output of result tables as Spectre.Console tables (numbers right-aligned, no colour codes, so the text is
/// the same in a terminal, a pipe or a file). JSON, CSV and Markdown come from the library's own writers.
/// </summary>
internal static class TextTables
{
    /// <summary>The table as text in the requested format (Spectre.Console for text).</summary>
    public static string Write(ResultTable table, TableFormat format, string? title = null) =>
        format == TableFormat.Text ? Render(table, title) : table.Write(format);

    /// <summary>The table drawn with Spectre.Console.</summary>
    public static string Render(ResultTable table, string? title = null)
    {
        var (rows, numeric) = table.ReadableCells();
        if (rows.Count > LargeTable) return RenderLarge(table.Columns, rows, numeric, title);
        var t = new Spectre.Console.Table().Border(TableBorder.Rounded);
        if (title is not null) t.Title = new TableTitle(Markup.Escape(title));
        for (int c = 0; c < table.Columns.Count; c++)
        {
            var column = new TableColumn(new Text(table.Columns[c]));
            t.AddColumn(numeric[c] ? column.RightAligned() : column);
        }
        foreach (var row in rows) t.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        return Draw(t);
    }

    /// <summary>Tables with more rows than this are drawn directly (Spectre.Console's layout is quadratic-ish in rows).</summary>
    internal const int LargeTable = 2000;

    /// <summary>The same rounded-border layout as Spectre.Console draws, written row by row (a million rows in seconds).</summary>
    internal static string RenderLarge(IReadOnlyList<string> columns, IReadOnlyList<string[]> rows, bool[] numeric, string? title)
    {
        int nc = columns.Count;
        var width = new int[nc];
        for (int c = 0; c < nc; c++) width[c] = columns[c].Length;
        foreach (var row in rows) for (int c = 0; c < nc; c++) width[c] = Math.Max(width[c], row[c].Length);
        var sb = new System.Text.StringBuilder();
        int total = width.Sum() + 3 * nc + 1;
        if (title is not null) sb.Append(new string(' ', Math.Max(0, (total - title.Length) / 2))).Append(title).Append('\n');
        void Rule(char left, char mid, char right)
        {
            sb.Append(left);
            for (int c = 0; c < nc; c++) { sb.Append('─', width[c] + 2); sb.Append(c == nc - 1 ? right : mid); }
            sb.Append('\n');
        }
        void Row(IReadOnlyList<string> cells, bool header)
        {
            sb.Append('│');
            for (int c = 0; c < nc; c++)
            {
                sb.Append(' ');
                sb.Append(numeric[c] ? cells[c].PadLeft(width[c]) : cells[c].PadRight(width[c]));
                sb.Append(" │");
            }
            sb.Append('\n');
        }
        Rule('╭', '┬', '╮');
        Row(columns, header: true);
        Rule('├', '┼', '┤');
        foreach (var row in rows) Row(row, header: false);
        Rule('╰', '┴', '╯');
        return sb.ToString();
    }

    /// <summary>
    /// The width tables are drawn to: the terminal's (Spectre's detection, or COLUMNS) when standard output is one; when
    /// it is redirected to a file or a pipe, wide enough that no row is wrapped, so the text stays one line per row.
    /// </summary>
    public static int Width()
    {
        if (Console.IsOutputRedirected) return Unwrapped;
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns > 0) return columns;
        int detected = AnsiConsole.Profile.Width;
        return detected > 0 ? detected : 80;
    }

    /// <summary>The width of redirected output: no table of this tool is wider.</summary>
    internal const int Unwrapped = 4096;

    /// <summary>Renders anything Spectre.Console can draw to plain text.</summary>
    public static string Draw(IRenderable renderable)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = Width();
        console.Profile.Capabilities.Unicode = true;
        console.Write(renderable);
        return writer.ToString();
    }
}

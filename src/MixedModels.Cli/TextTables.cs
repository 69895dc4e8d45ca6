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
        console.Profile.Width = 240;
        console.Profile.Capabilities.Unicode = true;
        console.Write(renderable);
        return writer.ToString();
    }
}

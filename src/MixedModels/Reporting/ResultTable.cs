using MixedModels.Formatting;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MixedModels.Reporting;

/// <summary>The formats a result table can be written in.</summary>
public enum TableFormat
{
    /// <summary>Aligned plain text for reading in a terminal.</summary>
    Text,
    /// <summary>A JSON array of objects with snake_case keys; missing numbers are null.</summary>
    Json,
    /// <summary>RFC 4180 CSV with a header row; missing numbers are empty fields; numbers round-trip.</summary>
    Csv,
    /// <summary>A GitHub-flavoured Markdown table; numbers with 4 significant digits.</summary>
    Markdown,
}

/// <summary>
/// A small table of named columns whose cells are text, numbers, integers or booleans, written as text, JSON, CSV
/// or Markdown — the one writer behind every tabular result of the library and the CLI.
/// </summary>
internal sealed class ResultTable(params string[] columns)
{
    private readonly List<object?[]> _rows = [];

    public IReadOnlyList<string> Columns { get; } = columns;

    /// <summary>Columns holding p-values: formatted as R's format.pval in text and Markdown.</summary>
    public HashSet<string> PValueColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>Significant digits of a column's numbers in text, Markdown and HTML (default 4).</summary>
    public Dictionary<string, int> Digits { get; } = new(StringComparer.Ordinal);

    public void Add(params object?[] cells)
    {
        if (cells.Length != Columns.Count) throw new ArgumentException($"{cells.Length} cells for {Columns.Count} columns");
        _rows.Add(cells);
    }

    public string Write(TableFormat format) => format switch
    {
        TableFormat.Json => ToJson(),
        TableFormat.Csv => ToCsv(),
        TableFormat.Markdown => ToMarkdown(),
        _ => ToText(),
    };

    private static string JsonKey(string column) => column.Replace('.', '_').Replace(' ', '_').ToLowerInvariant();

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            WriteJsonArray(w);
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes the rows as a JSON array of objects (as a property when <paramref name="name"/> is given).</summary>
    public void WriteJsonArray(Utf8JsonWriter w, string? name = null)
    {
        if (name is null) w.WriteStartArray(); else w.WriteStartArray(name);
        foreach (var row in _rows)
        {
            w.WriteStartObject();
            for (int c = 0; c < Columns.Count; c++)
            {
                string key = JsonKey(Columns[c]);
                switch (row[c])
                {
                    case null: w.WriteNull(key); break;
                    case string s: w.WriteString(key, s); break;
                    case bool b: w.WriteBoolean(key, b); break;
                    case int i: w.WriteNumber(key, i); break;
                    case long l: w.WriteNumber(key, l); break;
                    case double d: JsonReport.Number(w, key, d); break;
                    default: w.WriteString(key, Convert.ToString(row[c], CultureInfo.InvariantCulture)); break;
                }
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Columns.Select(Quote)).Append('\n');
        foreach (var row in _rows)
            sb.AppendJoin(',', row.Select(cell => cell switch
            {
                null => "",
                double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "",
                bool b => b ? "TRUE" : "FALSE",
                string s => Quote(s),
                _ => Quote(Convert.ToString(cell, CultureInfo.InvariantCulture) ?? ""),
            })).Append('\n');
        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    /// <summary>A cell as people read it: 4 significant digits (R's format), p-values as format.pval, missing empty.</summary>
    private string Readable(object? cell, int column) => cell switch
    {
        null => "",
        double d when double.IsNaN(d) => "",
        double d when PValueColumns.Contains(Columns[column]) => PValues.Format([d], 3)[0],
        double d => RFormat.Format(d, Digits.GetValueOrDefault(Columns[column], 4)),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The cells as text and whether each column is numeric — for renderers outside the library (the CLI's tables).</summary>
    public (IReadOnlyList<string[]> Rows, bool[] Numeric) ReadableCells() =>
        (ReadableRows(), Columns.Select((_, c) => Numeric(_rows, c)).ToArray());

    private List<string[]> ReadableRows() =>
        _rows.Select(r => r.Select((cell, c) => Readable(cell, c)).ToArray()).ToList();

    private static bool Numeric(IEnumerable<object?[]> rows, int c) => rows.All(r => r[c] is null or double or int or long);

    public string ToMarkdown()
    {
        var cells = ReadableRows();
        var sb = new StringBuilder();
        sb.Append("| ").AppendJoin(" | ", Columns.Select(EscapeMarkdown)).Append(" |\n");
        sb.Append('|').AppendJoin('|', Columns.Select((_, c) => Numeric(_rows, c) ? "---:" : ":---")).Append("|\n");
        foreach (var row in cells) sb.Append("| ").AppendJoin(" | ", row.Select(EscapeMarkdown)).Append(" |\n");
        return sb.ToString();
    }

    private static string EscapeMarkdown(string s) => s.Replace("|", "\\|");

    /// <summary>An HTML table (cells as in text output; numeric columns right-aligned).</summary>
    public string ToHtml()
    {
        var cells = ReadableRows();
        var numeric = Columns.Select((_, c) => Numeric(_rows, c)).ToArray();
        var sb = new StringBuilder("<table>\n<thead><tr>");
        for (int c = 0; c < Columns.Count; c++) sb.Append(numeric[c] ? "<th class=\"num\">" : "<th>").Append(Html(Columns[c])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in cells)
        {
            sb.Append("<tr>");
            for (int c = 0; c < row.Length; c++) sb.Append(numeric[c] ? "<td class=\"num\">" : "<td>").Append(Html(row[c])).Append("</td>");
            sb.Append("</tr>\n");
        }
        return sb.Append("</tbody>\n</table>\n").ToString();
    }

    /// <summary>Text escaped for HTML.</summary>
    public static string Html(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public string ToText()
    {
        var cells = ReadableRows();
        var widths = Columns.Select((h, c) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(r => r[c].Length))).ToArray();
        var numeric = Columns.Select((_, c) => Numeric(_rows, c)).ToArray();
        var sb = new StringBuilder();
        void Line(IReadOnlyList<string> values)
        {
            for (int c = 0; c < values.Count; c++)
            {
                if (c > 0) sb.Append("  ");
                sb.Append(numeric[c] ? values[c].PadLeft(widths[c]) : values[c].PadRight(widths[c]));
            }
            sb.Append('\n');
        }
        Line(Columns);
        foreach (var row in cells) Line(row);
        return string.Join('\n', sb.ToString().Split('\n').Select(l => l.TrimEnd()));
    }
}

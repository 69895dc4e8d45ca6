using System.Text;

namespace MixedModels.Reporting;

/// <summary>
/// Prints a character matrix as R's <c>print(m, quote = FALSE)</c> does: row names left-justified in a first column,
/// each column as wide as its widest entry or header and separated by one space, entries left- or right-justified,
/// and the columns wrapped into blocks that fit the line width.
/// </summary>
internal static class TextMatrix
{
    public const int LineWidth = 80;

    public static void Print(StringBuilder sb, IReadOnlyList<string> rowNames, IReadOnlyList<string> columnNames,
        string[,] cells, bool right)
    {
        int rows = cells.GetLength(0), cols = cells.GetLength(1);
        int rw = rowNames.Count == 0 ? 0 : rowNames.Max(r => r.Length);
        var widths = new int[cols];
        for (int j = 0; j < cols; j++)
        {
            widths[j] = columnNames[j].Length;
            for (int i = 0; i < rows; i++) widths[j] = Math.Max(widths[j], cells[i, j].Length);
        }
        int start = 0;
        while (start < cols)
        {
            int end = start, width = rw;
            while (end < cols && (end == start || width + 1 + widths[end] <= LineWidth)) { width += 1 + widths[end]; end++; }
            sb.Append(new string(' ', rw));
            for (int j = start; j < end; j++) sb.Append(' ').Append(Pad(columnNames[j], widths[j], right));
            sb.Append('\n');
            for (int i = 0; i < rows; i++)
            {
                sb.Append((i < rowNames.Count ? rowNames[i] : "").PadRight(rw));
                for (int j = start; j < end; j++) sb.Append(' ').Append(Pad(cells[i, j], widths[j], right));
                sb.Append('\n');
            }
            start = end;
        }
    }

    /// <summary>A named vector as R prints it: each name and value right-justified to a common width and followed by a space.</summary>
    public static void PrintNamedVector(StringBuilder sb, IReadOnlyList<string> names, IReadOnlyList<string> values)
    {
        int w = Math.Max(names.Max(n => n.Length), values.Max(v => v.Length));
        int perLine = Math.Max(1, LineWidth / (w + 1));
        for (int start = 0; start < names.Count; start += perLine)
        {
            int end = Math.Min(names.Count, start + perLine);
            for (int i = start; i < end; i++) sb.Append(names[i].PadLeft(w)).Append(' ');
            sb.Append('\n');
            for (int i = start; i < end; i++) sb.Append(values[i].PadLeft(w)).Append(' ');
            sb.Append('\n');
        }
    }

    private static string Pad(string s, int width, bool right) => right ? s.PadLeft(width) : s.PadRight(width);
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using MixedModels.Data;

namespace MixedModels.Reporting;

/// <summary>The tables of <c>mixed describe</c> and <c>mixed datasets show</c>: column summaries and group sizes.</summary>
public static class DescribeTables
{
    private const int ShownLevels = 6;

    /// <summary>
    /// The column summaries and, for each grouping column, the group-size summary and distribution, in one format
    /// (JSON: an object with <c>columns</c> and <c>groups</c> arrays).
    /// </summary>
    public static string Describe(Table table, IReadOnlyList<string> groupColumns, TableFormat format)
    {
        if (format == TableFormat.Json)
        {
            var columns = ColumnTable(DataSummary.Columns(table));
            var groups = groupColumns.Select(g => DataSummary.GroupSizes(table, g)).ToList();
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartObject();
                w.WriteNumber("rows", table.RowCount);
                columns.WriteJsonArray(w, "columns");
                w.WriteStartArray("groups");
                foreach (var g in groups)
                {
                    w.WriteStartObject();
                    GroupTable([g]).WriteJsonArray(w, "summary");
                    DistributionTable(g).WriteJsonArray(w, "distribution");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }
        return string.Join("\n", Parts(table, groupColumns).Select(p => p.Table.Write(format)));
    }

    /// <summary>
    /// The tables of a description with their titles, in order: the column summaries, the grouping columns (when
    /// any), and each grouping column's size distribution.
    /// </summary>
    internal static List<(ResultTable Table, string Title)> Parts(Table table, IReadOnlyList<string> groupColumns)
    {
        var groups = groupColumns.Select(g => DataSummary.GroupSizes(table, g)).ToList();
        var parts = new List<(ResultTable, string)> { (ColumnTable(DataSummary.Columns(table)), $"{table.RowCount} rows, {table.Columns.Count} columns") };
        if (groups.Count > 0) parts.Add((GroupTable(groups), "Grouping columns"));
        parts.AddRange(groups.Select(g => (DistributionTable(g), $"Group sizes of {g.Column}")));
        return parts;
    }

    /// <summary>One row per column: name, type, missing, infinite, mean, sd, min, max, number of levels and the most frequent levels.</summary>
    internal static ResultTable ColumnTable(IReadOnlyList<ColumnSummary> summaries)
    {
        var t = new ResultTable("column", "type", "missing", "infinite", "mean", "sd", "min", "max", "levels", "level counts");
        foreach (var s in summaries)
        {
            bool factor = s.Type != "numeric";
            t.Add(s.Name, s.Type, s.Missing, factor ? null : s.Infinite, factor ? null : s.Mean, factor ? null : s.SD,
                factor ? null : s.Min, factor ? null : s.Max, factor ? s.LevelCounts.Count : null, factor ? LevelText(s.LevelCounts) : "");
        }
        return t;
    }

    /// <summary>The levels in level order with counts, the first few when there are many ("A (10), B (12), … 18 levels").</summary>
    private static string LevelText(IReadOnlyList<KeyValuePair<string, int>> levels)
    {
        var shown = levels.Take(ShownLevels).Select(l => $"{l.Key} ({l.Value.ToString(CultureInfo.InvariantCulture)})");
        return string.Join(", ", shown) + (levels.Count > ShownLevels ? $", ... ({levels.Count - ShownLevels} more)" : "");
    }

    /// <summary>One row per grouping column: groups, rows, smallest, median, mean and largest group, singletons.</summary>
    internal static ResultTable GroupTable(IEnumerable<GroupSizeSummary> groups)
    {
        var t = new ResultTable("grouping", "groups", "rows", "min size", "median size", "mean size", "max size", "singletons");
        foreach (var g in groups) t.Add(g.Column, g.Groups, g.Rows, g.Min, g.Median, g.Mean, g.Max, g.Singletons);
        return t;
    }

    /// <summary>The group-size distribution of one grouping column: size, number of groups, share of groups.</summary>
    internal static ResultTable DistributionTable(GroupSizeSummary g)
    {
        var t = new ResultTable($"{g.Column} size", "groups", "share");
        foreach (var (size, count) in g.Distribution) t.Add(size, count, g.Groups == 0 ? double.NaN : (double)count / g.Groups);
        return t;
    }

    /// <summary>
    /// psych's <c>describe()</c> table: its columns and names; in text, numbers to two decimals as psych prints them
    /// (<c>print(describe(x), digits = 2)</c>); other formats carry the full values.
    /// </summary>
    public static string Psych(IReadOnlyList<PsychRow> rows, TableFormat format) => PsychTable(rows, format == TableFormat.Text).Write(format);

    /// <summary>psych's <c>describeBy()</c>: a psych table per group, under "group: LEVEL" (JSON: an array of groups).</summary>
    public static string PsychBy(IReadOnlyList<(string Group, IReadOnlyList<PsychRow> Rows)> groups, string by, TableFormat format)
    {
        if (format == TableFormat.Json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartArray();
                foreach (var (group, rows) in groups)
                {
                    w.WriteStartObject();
                    w.WriteString(by, group);
                    PsychTable(rows, text: false).WriteJsonArray(w, "describe");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
        }
        if (format == TableFormat.Csv)
        {
            var t = new ResultTable([by, "variable", .. PsychColumns]);
            foreach (var (group, rows) in groups)
                foreach (var r in rows) t.Add([group, .. PsychCells(r, text: false)]);
            return t.Write(format);
        }
        var sb = new StringBuilder("\n Descriptive statistics by group \n");
        foreach (var (group, rows) in groups)
        {
            sb.Append($"{by}: {group}\n").Append(PsychTable(rows, format == TableFormat.Text).Write(format));
            sb.Append(new string('-', 60)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>pandas' <c>groupby(by).mean()</c>: one row per group with its size and the mean of each numeric column.</summary>
    public static string GroupMeans((IReadOnlyList<string> Columns, IReadOnlyList<(string Group, int N, double[] Means)> Rows) means, string by, TableFormat format)
    {
        var t = new ResultTable([by, "n", .. means.Columns]);
        foreach (var (group, n, values) in means.Rows) t.Add([group, n, .. values.Cast<object?>()]);
        return t.Write(format);
    }

    private static readonly string[] PsychColumns = ["vars", "n", "mean", "sd", "median", "trimmed", "mad", "min", "max", "range", "skew", "kurtosis", "se"];

    private static ResultTable PsychTable(IReadOnlyList<PsychRow> rows, bool text)
    {
        var t = new ResultTable([text ? "" : "variable", .. PsychColumns]);
        foreach (var r in rows) t.Add(PsychCells(r, text));
        return t;
    }

    private static object?[] PsychCells(PsychRow r, bool text)
    {
        object? F(double v) => text ? (double.IsNaN(v) ? "NA" : v.ToString("F2", CultureInfo.InvariantCulture)) : v;
        return [r.Variable, r.Vars, r.N, F(r.Mean), F(r.Sd), F(r.Median), F(r.Trimmed), F(r.Mad), F(r.Min), F(r.Max), F(r.Range), F(r.Skew), F(r.Kurtosis), F(r.Se)];
    }
}

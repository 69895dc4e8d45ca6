namespace MixedModels.Data;

/// <summary>One column of a table summarized: its type, missing values, and numbers or level counts.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Type"><c>numeric</c>, <c>factor</c> or <c>ordered</c>.</param>
/// <param name="Missing">Missing values.</param>
/// <param name="Infinite">Infinite values (numeric columns).</param>
/// <param name="Mean">The mean of the finite values (NaN for a factor or when there are none).</param>
/// <param name="SD">The sample standard deviation of the finite values (n − 1 denominator).</param>
/// <param name="Min">The smallest finite value.</param>
/// <param name="Max">The largest finite value.</param>
/// <param name="LevelCounts">A factor's levels in level order with their counts (empty for a numeric column).</param>
public sealed record ColumnSummary(string Name, string Type, int Missing, int Infinite, double Mean, double SD, double Min, double Max,
    IReadOnlyList<KeyValuePair<string, int>> LevelCounts);

/// <summary>How the rows of a table fall into the groups of one column (what a grouping factor gives a model).</summary>
/// <param name="Column">The grouping column.</param>
/// <param name="Groups">The number of groups (distinct non-missing values).</param>
/// <param name="Rows">Rows with a non-missing value.</param>
/// <param name="Min">The smallest group.</param>
/// <param name="Median">The median group size.</param>
/// <param name="Mean">The mean group size.</param>
/// <param name="Max">The largest group.</param>
/// <param name="Singletons">Groups of one row.</param>
/// <param name="Distribution">Each group size that occurs, with the number of groups of that size, smallest first.</param>
public sealed record GroupSizeSummary(string Column, int Groups, int Rows, int Min, double Median, double Mean, int Max, int Singletons,
    IReadOnlyList<KeyValuePair<int, int>> Distribution);

/// <summary>Descriptive summaries of a table: what to look at before modelling.</summary>
public static class DataSummary
{
    /// <summary>Every column summarized, in table order.</summary>
    public static IReadOnlyList<ColumnSummary> Columns(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Columns.Select(Summarize).ToList();
    }

    /// <summary>One column summarized.</summary>
    public static ColumnSummary Summarize(Column column)
    {
        if (column is CategoricalColumn f)
        {
            var counts = f.LevelCounts();
            var levels = f.Levels.Select((l, i) => new KeyValuePair<string, int>(l, counts[i])).ToList();
            return new ColumnSummary(f.Name, f.Ordered ? "ordered" : "factor", f.MissingCount(), 0, double.NaN, double.NaN, double.NaN, double.NaN, levels);
        }
        var x = ((NumericColumn)column).Values;
        int missing = 0, infinite = 0, n = 0;
        double mean = 0, m2 = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) { missing++; continue; }
            if (double.IsInfinity(v)) { infinite++; continue; }
            n++;
            double d = v - mean;
            mean += d / n;
            m2 += d * (v - mean);
            if (v < min) min = v;
            if (v > max) max = v;
        }
        return n == 0
            ? new ColumnSummary(column.Name, "numeric", missing, infinite, double.NaN, double.NaN, double.NaN, double.NaN, [])
            : new ColumnSummary(column.Name, "numeric", missing, infinite, mean, n > 1 ? Math.Sqrt(m2 / (n - 1)) : double.NaN, min, max, []);
    }

    /// <summary>The group sizes of a column (a numeric column's distinct values are its groups).</summary>
    public static GroupSizeSummary GroupSizes(Table table, string column)
    {
        ArgumentNullException.ThrowIfNull(table);
        var col = table[column];
        var f = CategoricalColumn.Of(col);
        var sizes = f.LevelCounts().Where(c => c > 0).Order().ToArray();
        if (sizes.Length == 0) return new GroupSizeSummary(column, 0, 0, 0, double.NaN, double.NaN, 0, 0, []);
        int rows = sizes.Sum();
        double median = Results.Statistics.Quantiles(Array.ConvertAll(sizes, s => (double)s), [0.5])[0];
        var distribution = sizes.GroupBy(s => s).Select(g => new KeyValuePair<int, int>(g.Key, g.Count())).ToList();
        return new GroupSizeSummary(column, sizes.Length, rows, sizes[0], median, (double)rows / sizes.Length, sizes[^1],
            sizes.Count(s => s == 1), distribution);
    }
}

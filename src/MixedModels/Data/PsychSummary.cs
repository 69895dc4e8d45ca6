namespace MixedModels.Data;

/// <summary>
/// One variable as R's <c>psych::describe()</c> describes it (its default <c>type = 3</c> skew and kurtosis). A
/// factor is described by its level codes 1..k and named with a trailing <c>*</c>, as psych does.
/// </summary>
/// <param name="Variable">The column name (<c>Subject*</c> for a factor).</param>
/// <param name="Vars">Its position among the described columns, from 1.</param>
/// <param name="N">Non-missing values.</param>
/// <param name="Mean">The mean.</param>
/// <param name="Sd">The standard deviation (n − 1).</param>
/// <param name="Median">The median.</param>
/// <param name="Trimmed">The 10% trimmed mean (R's <c>mean(x, trim = 0.1)</c>).</param>
/// <param name="Mad">The median absolute deviation × 1.4826 (R's <c>mad()</c>).</param>
/// <param name="Min">The smallest value.</param>
/// <param name="Max">The largest value.</param>
/// <param name="Range">Max − min.</param>
/// <param name="Skew">Skewness, type 3: m₃ / s³ with s the (n − 1) standard deviation.</param>
/// <param name="Kurtosis">Excess kurtosis, type 3: m₄ / s⁴ − 3.</param>
/// <param name="Se">The standard error of the mean, sd / √n.</param>
public sealed record PsychRow(string Variable, int Vars, int N, double Mean, double Sd, double Median, double Trimmed, double Mad,
    double Min, double Max, double Range, double Skew, double Kurtosis, double Se);

/// <summary>psych's <c>describe()</c> and <c>describeBy()</c>, and pandas' <c>groupby().mean()</c>.</summary>
public static class PsychSummary
{
    /// <summary>psych's <c>describe(data)</c>: one row per column, in table order.</summary>
    public static IReadOnlyList<PsychRow> Describe(Table table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Columns.Select((c, i) => Row(c, i + 1, Enumerable.Range(0, table.RowCount))).ToList();
    }

    /// <summary>psych's <c>describeBy(data, group)</c>: the description of the other columns within each level of <paramref name="by"/>.</summary>
    public static IReadOnlyList<(string Group, IReadOnlyList<PsychRow> Rows)> DescribeBy(Table table, string by)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (factor, others) = Split(table, by);
        return Levels(factor).Select(g => (g.Level, (IReadOnlyList<PsychRow>)others.Select((c, i) => Row(c, i + 1, g.Rows)).ToList())).ToList();
    }

    /// <summary>
    /// pandas' <c>df.groupby(by).mean()</c> (and R's <c>aggregate(. ~ by, data, mean)</c> on complete values): the mean
    /// of every numeric column within each level, missing values skipped.
    /// </summary>
    public static (IReadOnlyList<string> Columns, IReadOnlyList<(string Group, int N, double[] Means)> Rows) GroupMeans(Table table, string by)
    {
        ArgumentNullException.ThrowIfNull(table);
        var (factor, others) = Split(table, by);
        var numeric = others.OfType<NumericColumn>().ToList();
        var rows = Levels(factor).Select(g => (g.Level, g.Rows.Length, numeric.Select(c =>
        {
            double sum = 0; int n = 0;
            foreach (int r in g.Rows) if (!double.IsNaN(c[r])) { sum += c[r]; n++; }
            return n == 0 ? double.NaN : sum / n;
        }).ToArray())).ToList();
        return (numeric.Select(c => c.Name).ToList(), rows);
    }

    private static (CategoricalColumn Factor, List<Column> Others) Split(Table table, string by)
    {
        return (CategoricalColumn.Of(table[by]), table.Columns.Where(c => c.Name != by).ToList());
    }

    private static IEnumerable<(string Level, int[] Rows)> Levels(CategoricalColumn factor)
    {
        var rows = factor.RowsByLevel();
        return factor.Levels.Select((l, k) => (l, rows[k])).Where(g => g.Item2.Length > 0);
    }

    private static PsychRow Row(Column column, int vars, IEnumerable<int> rows)
    {
        var x = new List<double>();
        string name = column.Name;
        if (column is NumericColumn num) { foreach (int r in rows) if (double.IsFinite(num[r])) x.Add(num[r]); }
        else
        {
            var f = (CategoricalColumn)column;
            var codes = f.Codes;
            foreach (int r in rows) if (codes[r] >= 0) x.Add(codes[r] + 1);
            name += "*";
        }
        int n = x.Count;
        if (n == 0) return new PsychRow(name, vars, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        x.Sort();
        double mean = x.Average();
        double m2 = 0, m3 = 0, m4 = 0;
        foreach (double v in x) { double d = v - mean, d2 = d * d; m2 += d2; m3 += d2 * d; m4 += d2 * d2; }
        double sd = n > 1 ? Math.Sqrt(m2 / (n - 1)) : double.NaN;
        double median = Median(x);
        int lo = (int)Math.Floor(n * 0.1);
        double trimmed = x.Skip(lo).Take(n - 2 * lo).Average();
        double mad = 1.4826 * Median([.. x.Select(v => Math.Abs(v - median)).Order()]);
        double skew = m3 / n / Math.Pow(sd, 3), kurtosis = m4 / n / Math.Pow(sd, 4) - 3;
        return new PsychRow(name, vars, n, mean, sd, median, trimmed, mad, x[0], x[^1], x[^1] - x[0], skew, kurtosis, sd / Math.Sqrt(n));
    }

    private static double Median(IReadOnlyList<double> sorted)
    {
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}

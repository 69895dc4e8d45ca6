using MixedModels.Results;

namespace MixedModels.Pushdown;

/// <summary>
/// The scaled residuals' minimum, quartiles and maximum of a fit from aggregates, by passes where the data live: each
/// cell's linear predictor is a combination of the products of pieces with per-cell coefficients (Xβ̂ and Zb̂
/// restricted to the cell), joined to the observations by the engine. The quantiles (R's type 7, as lme4's summary)
/// are exact and need no sort of all residuals: a histogram, then only the residuals in the bins that hold the
/// order statistics wanted. Both passes add up over parts, so a partitioned source is done part by part.
/// </summary>
internal static class ResidualPass
{
    public static double[]? Quantiles(AggregateEngine engine, CellLayout layout, LinearMixedModel model)
    {
        var monomials = layout.Monomials();
        int cells = layout.Fixed.Rows, mcount = monomials.Length;
        int Index(int[] m) => Array.FindIndex(monomials, x => x.SequenceEqual(m));
        var coef = new double[cells * mcount];
        // β over the model matrix's columns before any was dropped for rank (a dropped column's coefficient is 0).
        var dropped = new HashSet<string>(model.Design.X.DroppedColumns, StringComparer.Ordinal);
        int kept = 0;
        for (int j = 0; j < layout.Fixed.Columns; j++)
        {
            if (dropped.Contains(layout.Fixed.Names[j])) continue;
            double b = model.FixedEffects[kept++].Estimate;
            int t = Index(layout.FixedMonomials[j]);
            for (int c = 0; c < cells; c++) coef[c * mcount + t] += b * layout.Fixed.Data[j * cells + c];
        }
        var terms = model.Design.RandomTerms;
        for (int term = 0; term < terms.Count; term++)
        {
            var (z, monos, codes) = layout.Random[terms[term].FormulaIndex];
            var modes = model.ConditionalModes(term);
            int d = z.Columns;
            for (int col = 0; col < d; col++)
            {
                int t = Index(monos[col]);
                for (int c = 0; c < cells; c++) coef[c * mcount + t] += modes[codes[c] * d + col] * z.Data[col * cells + c];
            }
        }
        var plan = layout.Plan;
        string fitted = string.Join(" + ", monomials.Select((m, t) => $"c.\"mixed:b{t}\" * {plan.Monomial(m)}"));
        // Pearson residuals √w·r with prior weights, as lme4's scaled residuals.
        string weight = plan.WeightSql is { } w ? $"sqrt({w}) * " : "";
        string residual = $"{weight}(({plan.ResponseSql}) - ({fitted})) / {NumericSql.Number(model.Sigma)}";
        if (engine.CellRelation(layout.Keys, coef, mcount) is not { } cellsRelation) return null;
        using (cellsRelation.Cleanup)
        {
            string on = plan.CellJoin();
            string Rows(string source) => $"SELECT {residual} AS r FROM (SELECT * FROM {source}) s JOIN {cellsRelation.Relation} ON {on} WHERE {plan.Where}";
            return Select(engine, Rows);
        }
    }

    /// <summary>
    /// Type 7 quantiles 0, ¼, ½, ¾, 1 of the residuals <paramref name="rows"/> gives (one column r, scaled by σ̂), exactly,
    /// in two passes: a histogram in bins of σ̂/1024 (residuals of any size fall in a bin of their own; only occupied
    /// bins are returned), then the residuals of the few bins that hold the order statistics wanted.
    /// </summary>
    private static double[]? Select(AggregateEngine engine, Func<string, string> rows)
    {
        const string bin = "CAST(FLOOR(r * 1024) AS BIGINT)";
        string Binned(string source) => $"SELECT {bin} AS bin, r FROM ({rows(source)}) AS res";
        var histogram = engine.Cells(source => $"SELECT bin, COUNT(*) AS n FROM ({Binned(source)}) AS b GROUP BY bin", keys: 1);
        var bins = ((Data.NumericColumn)histogram["bin"]).Values.ToArray();
        var counts = ((Data.NumericColumn)histogram["n"]).Values.ToArray();
        Array.Sort(bins, counts);
        var before = new long[bins.Length];
        for (int i = 1; i < bins.Length; i++) before[i] = before[i - 1] + (long)counts[i - 1];
        long n = bins.Length == 0 ? 0 : before[^1] + (long)counts[^1];
        if (n == 0) return null;
        // The order statistics type 7 interpolates between, and the bins that hold them.
        double[] probabilities = [0, 0.25, 0.5, 0.75, 1];
        var ranks = probabilities.SelectMany(p => { double h = (n - 1) * p; return new[] { (long)Math.Floor(h), (long)Math.Ceiling(h) }; }).Distinct().ToArray();
        int BinOf(long rank) { int i = Array.BinarySearch(before, rank); return i >= 0 ? i : ~i - 1; }
        var wanted = ranks.Select(BinOf).Distinct().ToArray();
        string list = string.Join(", ", wanted.Select(i => ((long)bins[i]).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var values = new Dictionary<long, List<double>>();
        foreach (var t in engine.QueryEach(source => $"SELECT bin, r FROM ({Binned(source)}) AS b WHERE bin IN ({list})"))
        {
            var b = (Data.NumericColumn)t["bin"];
            var r = (Data.NumericColumn)t["r"];
            for (int i = 0; i < t.RowCount; i++)
            {
                if (!values.TryGetValue((long)b[i], out var l)) values[(long)b[i]] = l = [];
                l.Add(r[i]);
            }
        }
        foreach (var l in values.Values) l.Sort();
        double Order(long rank)
        {
            int i = BinOf(rank);
            long at = rank - before[i];
            if (!values.TryGetValue((long)bins[i], out var l) || at >= l.Count)
                throw new MixedModelsDataException("the data changed while the residuals were summarized: fit again when they are not being written");
            return l[(int)at];
        }
        return [.. probabilities.Select(p =>
        {
            double h = (n - 1) * p;
            long a = (long)Math.Floor(h), b = (long)Math.Ceiling(h);
            double xa = Order(a);
            return a == b ? xa : xa + (h - a) * (Order(b) - xa);
        })];
    }
}

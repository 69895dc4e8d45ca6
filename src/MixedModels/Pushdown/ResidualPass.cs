using MixedModels.Results;

namespace MixedModels.Pushdown;

/// <summary>
/// The scaled residuals' minimum, quartiles and maximum of a fit from aggregates, by one more pass where the data
/// live: each cell's linear predictor is a combination of the products of pieces with per-cell coefficients (Xβ̂ and
/// Zb̂ restricted to the cell); the engine joins the observations to those coefficients and takes the quantiles of
/// (y − fitted)/σ̂ (R's type 7, as lme4's summary).
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
        return engine.ResidualQuantiles(plan, residual, layout.KeyText, coef, mcount);
    }
}

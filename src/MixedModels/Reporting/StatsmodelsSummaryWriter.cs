using System.Globalization;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// Python statsmodels' <c>MixedLMResults.summary()</c> text for a linear mixed model that statsmodels can fit: one
/// grouping factor with one random-effects term (<c>groups=</c> and <c>re_formula=</c>), no prior weights. Names are
/// patsy's (<c>Intercept</c>, <c>Sector[T.Public]</c>, the random intercept <c>Group</c>) and the fixed effects are in
/// patsy's term order; numbers and the table layout are statsmodels' (summary2: tables padded to the widest, headers
/// centred as Python's <c>str.center</c>, <c>%.3f</c>/<c>%.4f</c>).
/// </summary>
internal static class StatsmodelsSummaryWriter
{
    private const string Title = "Mixed Linear Model Regression Results";

    public static string Write(LinearMixedModel model)
    {
        var design = model.Design;
        if (design.RandomTerms.Count != 1)
            throw new ModelException($"statsmodels' MixedLM fits one grouping factor with one random-effects term (groups= and re_formula=); this model has {design.RandomTerms.Count} terms, so --style statsmodels cannot show it");
        if (design.HasWeights) throw new ModelException("statsmodels' MixedLM has no prior weights, so --style statsmodels cannot show a weighted fit");
        var term = design.RandomTerms[0];
        var (feSe, reSe) = StatsmodelsCovariance.StandardErrors(model);
        double scale = model.Sigma * model.Sigma;
        int k = model.FixedEffects.Count, q = term.Dimension;

        var sizes = new int[term.LevelCount];
        foreach (int c in term.Codes) sizes[c]++;
        string Num(double v, string f) => v.ToString(f, CultureInfo.InvariantCulture);
        string[,] info =
        {
            { "Model:", "MixedLM", "Dependent Variable:", design.Formula.Response.ToString() },
            { "No. Observations:", model.Observations.ToString(CultureInfo.InvariantCulture), "Method:", model.Reml ? "REML" : "ML" },
            { "No. Groups:", term.LevelCount.ToString(CultureInfo.InvariantCulture), "Scale:", Num(scale, "F4") },
            { "Min. group size:", sizes.Min().ToString(CultureInfo.InvariantCulture), "Log-Likelihood:", Num(model.LogLikelihood, "F4") },
            { "Max. group size:", sizes.Max().ToString(CultureInfo.InvariantCulture), "Converged:", model.Converged ? "Yes" : "No" },
            { "Mean group size:", Num(sizes.Average(), "F1"), "", "" },
        };

        var names = new List<string>();
        var rows = new List<string[]>();
        double z975 = Probability.NormalQuantile(0.975);
        foreach (int j in PatsyNames.Order(design))
        {
            var f = model.FixedEffects[j];
            double se = feSe[j], z = f.Estimate / se;
            names.Add(PatsyNames.Fixed(design, j));
            rows.Add([Num(f.Estimate, "F3"), Num(se, "F3"), Num(z, "F3"), Num(2 * Probability.NormalCdf(-Math.Abs(z)), "F3"),
                Num(f.Estimate - z975 * se, "F3"), Num(f.Estimate + z975 * se, "F3")]);
        }
        var re = term.ColumnNames.Select(PatsyNames.RandomColumn).ToArray();
        var cov = model.VarianceComponents[0];
        for (int i = 0, a = 0; i < q; i++)
            for (int j = 0; j <= i; j++, a++)
            {
                names.Add(i == j ? $"{re[i]} Var" : $"{re[j]} x {re[i]} Cov");
                rows.Add([Num(cov.Covariance(i, j), "F3"), Num(Math.Sqrt(scale) * reSe[a], "F3"), "", "", "", ""]);
            }
        return Layout(info, names, rows);
    }

    /// <summary>statsmodels' summary2 layout of the two tables.</summary>
    private static string Layout(string[,] info, List<string> names, List<string[]> rows)
    {
        string[] headers = ["Coef.", "Std.Err.", "z", "P>|z|", "[0.025", "0.975]"];
        var infoWidths = Enumerable.Range(0, 4).Select(c => Enumerable.Range(0, info.GetLength(0)).Max(r => info[r, c].Length)).ToArray();
        int stub = names.Max(n => n.Length);
        var widths = Enumerable.Range(0, 6).Select(c => Math.Max(headers[c].Length, rows.Max(r => r[c].Length))).ToArray();
        int infoWidth = infoWidths.Sum() + 3, paramsWidth = stub + widths.Sum() + 6;
        int widest = Math.Max(infoWidth, paramsWidth);
        var (infoSep, infoIndex) = Pad(widest, infoWidth, 3);
        var (paramSep, paramIndex) = Pad(widest, paramsWidth, 6);

        var lines = new List<string> { new('=', widest) };
        infoWidths[0] += infoIndex;
        for (int r = 0; r < info.GetLength(0); r++)
            lines.Add(string.Join(infoSep, Enumerable.Range(0, 4).Select(c => (c == 0 ? info[r, c] + new string(' ', infoIndex) : info[r, c]).PadRight(infoWidths[c]))));
        stub += paramIndex;
        int tableWidth = stub + widths.Sum() + 6 * paramSep.Length;
        lines.Add(new string('-', tableWidth));
        lines.Add(string.Join(paramSep, new[] { "".PadRight(stub) }.Concat(headers.Select((h, c) => Center(h, widths[c])))));
        lines.Add(new string('-', tableWidth));
        for (int r = 0; r < rows.Count; r++)
            lines.Add(string.Join(paramSep, new[] { (names[r] + new string(' ', paramIndex)).PadRight(stub) }.Concat(rows[r].Select((v, c) => v.PadLeft(widths[c])))));
        lines.Add(new string('=', widest));
        string title = Title.Length < widest ? new string(' ', (int)(widest / 2.0 - Title.Length / 2.0)) + Title : Title;
        return title + "\n" + string.Join("\n", lines) + "\n";
    }

    /// <summary>summary2's _measure_tables: spaces added to each separator to reach the widest table, the rest to the first column.</summary>
    private static (string Separator, int Index) Pad(int widest, int width, int separators)
    {
        int pad = (widest - width) / separators;
        return (new string(' ', pad + 1), widest - (width + separators * pad));
    }

    /// <summary>Python's <c>str.center</c>: the extra space goes left when the margin and the width are both odd.</summary>
    private static string Center(string s, int width)
    {
        int marg = width - s.Length;
        if (marg <= 0) return s;
        int left = marg / 2 + (marg & width & 1);
        return new string(' ', left) + s + new string(' ', marg - left);
    }
}

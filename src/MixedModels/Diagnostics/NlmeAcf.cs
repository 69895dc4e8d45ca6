using MixedModels.Results;

namespace MixedModels.Diagnostics;

/// <summary>nlme's residual types: y − fitted, (y − fitted)/(σ̂ gᵢ), and those decorrelated by the correlation structure.</summary>
public enum NlmeResidualType
{
    /// <summary>y − fitted (nlme's "response").</summary>
    Response,
    /// <summary>Residuals divided by σ̂ gᵢ (nlme's "pearson", its ACF's default).</summary>
    Pearson,
    /// <summary>Pearson residuals premultiplied by the inverse factor of each group's correlation matrix (nlme's "normalized").</summary>
    Normalized,
}

/// <summary>
/// nlme's empirical autocorrelation function of a gls or lme fit's residuals (<c>ACF()</c>): within each group (the
/// correlation structure's groups of a gls fit, the innermost grouping of an lme fit), the lag-k products of the
/// residuals in data order, summed over groups and divided by their number, relative to lag 0. Immutable.
/// </summary>
/// <param name="Lags">0, 1, …, the largest lag.</param>
/// <param name="Values">The autocorrelation at each lag (1 at lag 0).</param>
/// <param name="Used">The number of residual pairs at each lag (nlme's <c>n.used</c>).</param>
/// <param name="Type">The residuals used.</param>
public sealed record NlmeAcf(IReadOnlyList<int> Lags, IReadOnlyList<double> Values, IReadOnlyList<int> Used, NlmeResidualType Type)
{
    /// <summary>
    /// The approximate critical bound at a lag, ±z(1 − α/2)/√n.used (the dashed lines nlme's plot.ACF draws for α &gt; 0).
    /// </summary>
    public double Bound(int lag, double alpha = 0.01) => Inference.Probability.NormalQuantile(1 - alpha / 2) / Math.Sqrt(Used[lag]);

    /// <summary>The ACF of <paramref name="model"/>'s residuals up to <paramref name="maxLag"/> (nlme's default: min(m − 1, ⌊10 log₁₀ m⌋), m the largest group).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLag"/> negative.</exception>
    public static NlmeAcf Compute(NlmeModel model, NlmeResidualType type = NlmeResidualType.Pearson, int? maxLag = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var residuals = type switch
        {
            NlmeResidualType.Response => model.Residuals,
            NlmeResidualType.Normalized => model.NormalizedResiduals,
            _ => model.PearsonResiduals,
        };
        var groups = Groups(model);
        int longest = groups.Max(g => g.Length) - 1;
        int lags = maxLag ?? Math.Min(longest, (int)(10 * Math.Log10(longest + 1)));
        ArgumentOutOfRangeException.ThrowIfNegative(lags, nameof(maxLag));
        var sums = new double[lags + 1];
        var used = new int[lags + 1];
        foreach (var rows in groups)
            for (int k = 0; k <= lags && k < rows.Length; k++)
            {
                used[k] += rows.Length - k;
                for (int i = 0; i + k < rows.Length; i++) sums[k] += residuals[rows[i]] * residuals[rows[i + k]];
            }
        var values = new double[lags + 1];
        double zero = sums[0] / used[0];
        for (int k = 0; k <= lags; k++) values[k] = used[k] == 0 ? double.NaN : sums[k] / used[k] / zero;
        return new NlmeAcf(Enumerable.Range(0, lags + 1).ToArray(), values, used, type);
    }

    /// <summary>The rows of each group in data order.</summary>
    private static int[][] Groups(NlmeModel model)
    {
        var terms = model.Design.TermsArray;
        if (terms.Length == 0)
            return model.BoundCorrelation is { } cor ? cor.GroupRows : [Enumerable.Range(0, model.Observations).ToArray()];
        var innermost = terms.MaxBy(t => t.LevelCount)!;
        var codes = innermost.CodesArray;
        var rows = new List<int>[innermost.LevelCount];
        for (int i = 0; i < rows.Length; i++) rows[i] = [];
        for (int r = 0; r < codes.Length; r++) rows[codes[r]].Add(r);
        return rows.Where(g => g.Count > 0).Select(g => g.ToArray()).ToArray();
    }
}

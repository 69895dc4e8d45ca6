
namespace MixedModels.Design;

/// <summary>
/// Checks of a design's numerical conditioning: the fixed-effects rank is judged on centred columns (a covariate far
/// from zero, 10⁸ + N(0, 1), is not collinear with the intercept), and a random-effects column far from zero beside
/// the term's intercept — whose effects are then nearly collinear with the intercept's — is warned about, or refused
/// where double precision cannot hold the fit.
/// </summary>
internal static class DesignConditioning
{
    /// <summary>|mean| / SD of a random-effects column above which the fit is warned about.</summary>
    internal const double WarnRatio = 100;

    /// <summary>|mean| / SD above which the fit is refused (the per-level cross-products lose about 2 log₁₀ of it digits).</summary>
    internal const double RefuseRatio = 1e5;

    /// <summary>
    /// The n × p column-major matrix with every column but an all-ones one centred, when there is such a column (for
    /// the rank check only); the matrix itself otherwise.
    /// </summary>
    public static double[] CentredForRank(double[] data, int n, int p)
    {
        int intercept = -1;
        for (int c = 0; c < p && intercept < 0; c++)
            if (data.AsSpan(c * n, n).IndexOfAnyExcept(1.0) < 0) intercept = c;
        if (intercept < 0) return data;
        var x = (double[])data.Clone();
        for (int c = 0; c < p; c++)
        {
            if (c == intercept) continue;
            var col = x.AsSpan(c * n, n);
            double m = 0;
            foreach (double v in col) m += v;
            m /= n;
            for (int r = 0; r < n; r++) col[r] -= m;
        }
        return x;
    }

    /// <summary>
    /// For a term with an intercept column, each other column's |mean| / SD: above <see cref="RefuseRatio"/> the fit
    /// is refused naming the column; above <see cref="WarnRatio"/> a message says the fit may be imprecise.
    /// </summary>
    public static void CheckRandomColumns(IEnumerable<RandomEffectsTerm> terms, List<string> messages)
    {
        foreach (var t in terms)
        {
            int d = t.Dimension, n = t.CodesArray.Length;
            if (d < 2) continue;
            var z = t.ZArray;
            int intercept = -1;
            for (int c = 0; c < d && intercept < 0; c++)
            {
                bool ones = true;
                for (int r = 0; r < n && ones; r++) ones = z[r * d + c] == 1;
                if (ones) intercept = c;
            }
            if (intercept < 0) continue;
            for (int c = 0; c < d; c++)
            {
                if (c == intercept) continue;
                double m = 0;
                for (int r = 0; r < n; r++) m += z[r * d + c];
                m /= n;
                double ss = 0;
                for (int r = 0; r < n; r++) ss += (z[r * d + c] - m) * (z[r * d + c] - m);
                double sd = Math.Sqrt(ss / Math.Max(1, n - 1));
                if (!(sd > 0) || Math.Abs(m) <= WarnRatio * sd) continue;
                string name = t.ColumnNames[c];
                string stats = $"mean {Format(m)}, SD {Format(sd)}";
                if (Math.Abs(m) > RefuseRatio * sd)
                    throw new ModelException(
                        $"the random-effects term ({t.Label}): column '{name}' is too far from zero for its spread ({stats}); its effects cannot be told apart from the intercept's in double precision. Centre it, e.g. I({name} - {Format(m)})");
                messages.Add(
                    $"random-effects term ({t.Label}): column '{name}' is far from zero ({stats}), so its effects are nearly collinear with the intercept's and the estimates may be imprecise; consider centring it");
            }
        }
    }

    private static string Format(double v) => Formatting.RFormat.Format(v, 4);
}

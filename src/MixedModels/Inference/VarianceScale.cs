using MixedModels.Design;

namespace MixedModels.Inference;

/// <summary>
/// The covariance parameters on lme4's "sd/cor" scale: per term, in θ's order (lower triangle, column-major), a
/// standard deviation where θ has a diagonal element and a correlation elsewhere; then σ. Conversions both ways.
/// </summary>
internal static class VarianceScale
{
    /// <summary>Kind of each parameter: 0 = standard deviation, 1 = correlation, 2 = σ.</summary>
    public static int[] Kinds(ModelDesign design)
    {
        var kinds = new List<int>();
        foreach (var t in design.RandomTerms)
            for (int c = 0; c < t.Dimension; c++)
                for (int r = c; r < t.Dimension; r++) kinds.Add(r == c ? 0 : 1);
        kinds.Add(2);
        return [.. kinds];
    }

    /// <summary>lme4's profile names.</summary>
    public static string[] Names(ModelDesign design)
    {
        var names = new List<string>();
        foreach (var t in design.RandomTerms)
            for (int c = 0; c < t.Dimension; c++)
                for (int r = c; r < t.Dimension; r++)
                    names.Add(r == c ? $"sd_{t.ColumnNames[c]}|{t.GroupName}" : $"cor_{t.ColumnNames[r]}.{t.ColumnNames[c]}|{t.GroupName}");
        names.Add("sigma");
        return [.. names];
    }

    /// <summary>
    /// For each sd/cor parameter, whether it is the same in the data's coordinates and in a centred term's internal
    /// ones: all of them except, in a centred term, the intercept's SD and the correlations with the intercept.
    /// </summary>
    public static bool[] Invariant(ModelDesign design)
    {
        var result = new List<bool>();
        foreach (var t in design.RandomTerms)
            for (int c = 0; c < t.Dimension; c++)
                for (int r = c; r < t.Dimension; r++)
                    result.Add(t.Centring is not { } centring || (r != centring.Intercept && c != centring.Intercept));
        result.Add(true);
        return [.. result];
    }

    /// <summary>
    /// The sd/cor scale of θ and σ, in the data's coordinates (<paramref name="original"/>, default) or in those of
    /// centred terms' internal columns (where a profile is well conditioned).
    /// </summary>
    public static double[] FromTheta(ModelDesign design, IReadOnlyList<double> theta, double sigma, bool original = true)
    {
        var result = new List<double>();
        int k = 0;
        foreach (var t in design.RandomTerms)
        {
            int d = t.Dimension;
            var tm = new double[d, d];
            for (int c = 0; c < d; c++) for (int r = c; r < d; r++) tm[r, c] = theta[k++];
            var cov = new double[d, d];
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) { double s = 0; for (int e = 0; e < d; e++) s += tm[a, e] * tm[b, e]; cov[a, b] = s; }
            if (original) t.Centring?.CovarianceToOriginal(cov); // sd and cor in the data's coordinates
            for (int c = 0; c < d; c++)
                for (int r = c; r < d; r++)
                {
                    if (r == c) result.Add(sigma * Math.Sqrt(cov[r, r]));
                    else
                    {
                        double s = Math.Sqrt(cov[r, r] * cov[c, c]);
                        result.Add(s > 0 ? cov[r, c] / s : 0);
                    }
                }
        }
        result.Add(sigma);
        return [.. result];
    }

    /// <summary>θ and σ from the sd/cor scale; false when the correlations do not form a positive semidefinite matrix.</summary>
    public static bool ToTheta(ModelDesign design, ReadOnlySpan<double> sv, Span<double> theta, out double sigma, bool original = true)
    {
        sigma = sv[^1];
        if (!(sigma > 0)) return false;
        int k = 0;
        foreach (var t in design.RandomTerms)
        {
            int d = t.Dimension;
            var sd = new double[d];
            var cor = new double[d, d];
            int idx = k;
            for (int c = 0; c < d; c++)
                for (int r = c; r < d; r++, idx++)
                {
                    if (r == c) { sd[r] = sv[idx]; cor[r, r] = 1; }
                    else cor[r, c] = cor[c, r] = sv[idx];
                }
            // Σ/σ² = D R D / σ², factored with a semidefinite Cholesky (a zero SD gives a zero column).
            var m = new double[d, d];
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) m[a, b] = sd[a] * cor[a, b] * sd[b] / (sigma * sigma);
            if (original) t.Centring?.CovarianceToCentred(m); // θ is that of the term's centred columns
            var l = new double[d, d];
            for (int c = 0; c < d; c++)
            {
                double s = m[c, c];
                for (int e = 0; e < c; e++) s -= l[c, e] * l[c, e];
                if (s < -1e-12 * Math.Max(1, m[c, c])) return false;
                double diag = s > 0 ? Math.Sqrt(s) : 0;
                l[c, c] = diag;
                for (int r = c + 1; r < d; r++)
                {
                    double v = m[r, c];
                    for (int e = 0; e < c; e++) v -= l[r, e] * l[c, e];
                    if (diag > 0) l[r, c] = v / diag;
                    else if (Math.Abs(v) > 1e-10 * Math.Sqrt(Math.Max(m[r, r], 1e-300) * Math.Max(m[c, c], 1e-300))) return false;
                }
            }
            for (int c = 0; c < d; c++) for (int r = c; r < d; r++) theta[k++] = l[r, c];
        }
        return true;
    }
}

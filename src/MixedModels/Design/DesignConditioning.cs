namespace MixedModels.Design;

/// <summary>
/// The design's numerical conditioning: the fixed-effects rank is judged on centred columns (a covariate far from
/// zero, 10⁸ + N(0, 1), is not collinear with the intercept). Random-effects columns far from zero are centred by
/// <see cref="TermCentring"/>.
/// </summary>
internal static class DesignConditioning
{
    /// <summary>
    /// A copy of the n × p column-major matrix with every column but an all-ones one centred, when there is such a
    /// column (for the rank check only, which may overwrite it); a plain copy otherwise.
    /// </summary>
    public static double[] CentredForRank(double[] data, int n, int p)
    {
        var x = (double[])data.Clone();
        int intercept = -1;
        for (int c = 0; c < p && intercept < 0; c++)
            if (data.AsSpan(c * n, n).IndexOfAnyExcept(1.0) < 0) intercept = c;
        if (intercept < 0) return x;
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

}

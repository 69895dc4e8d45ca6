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
        int intercept = InterceptColumn(data, n, p);
        if (intercept < 0) return x;
        for (int c = 0; c < p; c++)
        {
            if (c == intercept) continue;
            var col = x.AsSpan(c * n, n);
            double m = MeanSd(col, null).Mean;
            for (int r = 0; r < n; r++) col[r] -= m;
        }
        return x;
    }

    /// <summary>The first all-ones column of an n × p column-major matrix (the intercept), or −1.</summary>
    public static int InterceptColumn(double[] data, int n, int p)
    {
        for (int c = 0; c < p; c++)
            if (data.AsSpan(c * n, n).IndexOfAnyExcept(1.0) < 0) return c;
        return -1;
    }

    /// <summary>The (weighted) mean, with a second pass that removes the first mean's rounding, and SD (divisor Σw).</summary>
    public static (double Mean, double Sd) MeanSd(ReadOnlySpan<double> x, double[]? w)
    {
        double sw = 0, s = 0;
        for (int r = 0; r < x.Length; r++) { double wr = w is null ? 1 : w[r]; sw += wr; s += wr * x[r]; }
        double m = s / sw, e = 0, ss = 0;
        for (int r = 0; r < x.Length; r++)
        {
            double wr = w is null ? 1 : w[r], dv = x[r] - m;
            e += wr * dv;
            ss += wr * dv * dv;
        }
        return (m + e / sw, Math.Sqrt(ss / sw));
    }

}

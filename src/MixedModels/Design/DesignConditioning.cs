using MixedModels.LinearAlgebra;

namespace MixedModels.Design;

/// <summary>
/// The design's numerical conditioning: the fixed-effects rank is judged on centred columns (a covariate far from
/// zero, 10⁸ + N(0, 1), is not collinear with the intercept). Random-effects columns far from zero are centred by
/// <see cref="TermCentring"/>. The constant 1 is <c>ones</c> on the rows of an aggregated design (null: 1 on every row).
/// </summary>
internal static class DesignConditioning
{
    /// <summary>
    /// A copy of the n × p column-major matrix with every column but an all-ones one centred, when there is such a
    /// column (for the rank check only, which may overwrite it); a plain copy otherwise.
    /// </summary>
    public static double[] CentredForRank(double[] data, int n, int p, double[]? ones = null)
    {
        int intercept = InterceptColumn(data, n, p, ones);
        if (intercept < 0) return (double[])data.Clone();
        var x = GC.AllocateUninitializedArray<double>(n * p);
        var one = data.AsSpan(intercept * n, n);
        for (int c = 0; c < p; c++)
        {
            var src = data.AsSpan(c * n, n);
            var dst = x.AsSpan(c * n, n);
            if (c == intercept) { src.CopyTo(dst); continue; }
            // The rank check needs the column free of its mean, not the mean to the last bit: one summing pass.
            double m = ones is null ? DenseKernels.Sum(src) / n : MeanSd(src, null, ones).Mean;
            src.CopyTo(dst);
            DenseKernels.Axpy(-m, one, dst);
        }
        return x;
    }

    /// <summary>The first column of an n × p column-major matrix that is the constant 1 (the intercept), or −1.</summary>
    public static int InterceptColumn(double[] data, int n, int p, double[]? ones = null)
    {
        for (int c = 0; c < p; c++)
        {
            var col = data.AsSpan(c * n, n);
            if (ones is null ? col.IndexOfAnyExcept(1.0) < 0 : col.SequenceEqual(ones)) return c;
        }
        return -1;
    }

    /// <summary>
    /// The (weighted) mean, with a second pass that removes the first mean's rounding, and SD (divisor Σw). On
    /// aggregated rows (<paramref name="ones"/> given) the mean is Σ x·1 / Σ 1² and the SD that of the observations.
    /// </summary>
    public static (double Mean, double Sd) MeanSd(ReadOnlySpan<double> x, double[]? w, double[]? ones = null)
    {
        if (ones is not null)
        {
            double n = 0, sx = 0, sxx = 0;
            for (int r = 0; r < x.Length; r++) { n += ones[r] * ones[r]; sx += x[r] * ones[r]; sxx += x[r] * x[r]; }
            double mean = sx / n;
            return (mean, Math.Sqrt(Math.Max(0, sxx / n - mean * mean)));
        }
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

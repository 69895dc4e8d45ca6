namespace MixedModels.Results;

/// <summary>Small descriptive statistics.</summary>
internal static class Statistics
{
    /// <summary>R's <c>quantile(x, probs)</c>, type 7 (linear interpolation of the order statistics).</summary>
    public static double[] Quantiles(IReadOnlyList<double> x, double[] probs)
    {
        var s = x.Where(v => !double.IsNaN(v)).Order().ToArray();
        var q = new double[probs.Length];
        int n = s.Length;
        for (int i = 0; i < probs.Length; i++)
        {
            double h = (n - 1) * probs[i];
            int lo = (int)Math.Floor(h);
            int hi = Math.Min(lo + 1, n - 1);
            q[i] = s[lo] + (h - lo) * (s[hi] - s[lo]);
        }
        return q;
    }
}

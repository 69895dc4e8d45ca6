namespace MixedModels.Results;

/// <summary>Small descriptive statistics.</summary>
internal static class Statistics
{
    /// <summary>
    /// R's <c>quantile(x, probs)</c>, type 7 (linear interpolation of the order statistics), NaN values ignored. The
    /// order statistics are found by selection in O(n) (a million residuals: ~10 ms instead of ~150 ms for a sort).
    /// </summary>
    public static double[] Quantiles(IReadOnlyList<double> x, double[] probs)
    {
        var s = new double[x.Count];
        int n = 0;
        for (int i = 0; i < x.Count; i++) if (!double.IsNaN(x[i])) s[n++] = x[i];
        var q = new double[probs.Length];
        if (n == 0) { Array.Fill(q, double.NaN); return q; }
        var wanted = new SortedSet<int>();
        foreach (double p in probs)
        {
            int lo = (int)Math.Floor((n - 1) * p);
            wanted.Add(lo);
            wanted.Add(Math.Min(lo + 1, n - 1));
        }
        Select(s, 0, n - 1, [.. wanted]);
        for (int i = 0; i < probs.Length; i++)
        {
            double h = (n - 1) * probs[i];
            int lo = (int)Math.Floor(h);
            int hi = Math.Min(lo + 1, n - 1);
            q[i] = s[lo] + (h - lo) * (s[hi] - s[lo]);
        }
        return q;
    }

    /// <summary>
    /// Rearranges a[left..right] so that each index in <paramref name="ks"/> (ascending, within the range) holds the
    /// value it would hold if the range were sorted (multiple quickselect, median-of-three pivots).
    /// </summary>
    private static void Select(double[] a, int left, int right, ReadOnlySpan<int> ks)
    {
        while (ks.Length > 0)
        {
            if (right - left < 32)
            {
                Array.Sort(a, left, right - left + 1);
                return;
            }
            int mid = left + (right - left) / 2;
            if (a[mid] < a[left]) (a[mid], a[left]) = (a[left], a[mid]);
            if (a[right] < a[left]) (a[right], a[left]) = (a[left], a[right]);
            if (a[right] < a[mid]) (a[right], a[mid]) = (a[mid], a[right]);
            double pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) { (a[i], a[j]) = (a[j], a[i]); i++; j--; }
            }
            // Now a[left..j] <= pivot <= a[i..right], and a[j+1..i-1] equals the pivot.
            int split = 0;
            while (split < ks.Length && ks[split] <= j) split++;
            int after = split;
            while (after < ks.Length && ks[after] < i) after++;
            if (split > 0 && after < ks.Length)
            {
                Select(a, left, j, ks[..split]);
                left = i;
                ks = ks[after..];
            }
            else if (split > 0) { right = j; ks = ks[..split]; }
            else { left = i; ks = ks[after..]; }
        }
    }

    /// <summary>The correlation matrix of a covariance matrix.</summary>
    public static double[,] Correlation(double[,] covariance)
    {
        int p = covariance.GetLength(0);
        var c = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) c[i, j] = covariance[i, j] / Math.Sqrt(covariance[i, i] * covariance[j, j]);
        return c;
    }
}

namespace MixedModels.Pushdown;

/// <summary>
/// Rows that reproduce a cell's sums of products: for the s × s Gram matrix G of a cell (positive semidefinite), the
/// r ≤ s rows u_k with Σ u_k u_k' = G, by a Cholesky factorization with diagonal pivoting that stops where the rest
/// of G is zero to rounding (a cell of one row gives one row: that row, up to sign).
/// </summary>
internal static class CellRows
{
    /// <summary>Relative size below which what is left of the diagonal counts as rounding.</summary>
    private const double Tolerance = 1e-13;

    /// <summary>
    /// Factors <paramref name="g"/> (s × s, row-major; overwritten) into rows written to <paramref name="rows"/>
    /// (capacity s × s); returns their number.
    /// </summary>
    public static int Factor(Span<double> g, int s, Span<double> rows)
    {
        double max = 0;
        for (int i = 0; i < s; i++) max = Math.Max(max, g[i * s + i]);
        if (!(max > 0)) return 0;
        Span<bool> used = stackalloc bool[s];
        int count = 0;
        for (int step = 0; step < s; step++)
        {
            int pivot = -1;
            double best = Tolerance * max;
            for (int i = 0; i < s; i++)
                if (!used[i] && g[i * s + i] > best) { best = g[i * s + i]; pivot = i; }
            if (pivot < 0) break;
            used[pivot] = true;
            double root = Math.Sqrt(best);
            var row = rows.Slice(count * s, s);
            for (int i = 0; i < s; i++) row[i] = used[i] && i != pivot ? 0 : g[i * s + pivot] / root;
            row[pivot] = root;
            for (int i = 0; i < s; i++)
            {
                if (used[i]) continue;
                for (int j = 0; j < s; j++)
                    if (!used[j]) g[i * s + j] -= row[i] * row[j];
            }
            count++;
        }
        return count;
    }
}

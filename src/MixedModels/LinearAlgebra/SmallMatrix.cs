namespace MixedModels.LinearAlgebra;

/// <summary>
/// Operations on small dense matrices held as <c>double[,]</c> (covariance parameters, contrasts, per-group
/// cross-products): products, inverses, Cholesky factors, the nearest positive semidefinite matrix.
/// </summary>
internal static class SmallMatrix
{
    /// <summary>A B.</summary>
    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int t = 0; t < k; t++) s += a[i, t] * b[t, j];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>A'.</summary>
    public static double[,] Transpose(double[,] a)
    {
        int r = a.GetLength(0), c = a.GetLength(1);
        var t = new double[c, r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) t[j, i] = a[i, j];
        return t;
    }

    /// <summary>The inverse of a square matrix by Gauss-Jordan elimination with partial pivoting; null when singular.</summary>
    public static double[,]? Inverse(double[,] m)
    {
        int d = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[d, d];
        double scale = 0;
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) scale = Math.Max(scale, Math.Abs(m[i, j]));
        for (int i = 0; i < d; i++) inv[i, i] = 1;
        for (int c = 0; c < d; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < d; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (!(Math.Abs(a[pivot, c]) > 1e-13 * scale)) return null;
            if (pivot != c)
                for (int e = 0; e < d; e++)
                {
                    (a[c, e], a[pivot, e]) = (a[pivot, e], a[c, e]);
                    (inv[c, e], inv[pivot, e]) = (inv[pivot, e], inv[c, e]);
                }
            double p = a[c, c];
            for (int e = 0; e < d; e++) { a[c, e] /= p; inv[c, e] /= p; }
            for (int r = 0; r < d; r++)
            {
                if (r == c) continue;
                double f = a[r, c];
                if (f == 0) continue;
                for (int e = 0; e < d; e++) { a[r, e] -= f * a[c, e]; inv[r, e] -= f * inv[c, e]; }
            }
        }
        return inv;
    }

    /// <summary>The inverse of a symmetric positive definite matrix through its Cholesky factor; null when not positive definite.</summary>
    public static double[,]? InverseSpd(double[,] a)
    {
        int n = a.GetLength(0);
        var l = new double[n * n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) l[j * n + i] = a[i, j];
        if (!DenseKernels.CholeskyUnblocked(l, n, n)) return null;
        var inv = new double[n, n];
        var e = new double[n];
        for (int c = 0; c < n; c++)
        {
            Array.Clear(e);
            e[c] = 1;
            DenseKernels.SolveLower(l, n, n, e);
            DenseKernels.SolveLowerTranspose(l, n, n, e);
            for (int r = 0; r < n; r++) inv[r, c] = e[r];
        }
        return inv;
    }

    /// <summary>Lower Cholesky factor L (A = LL') of a symmetric matrix, or null if not positive definite.</summary>
    public static double[,]? CholeskyLower(double[,] a)
    {
        var r = CholeskyUpper(a);
        return r is null ? null : Transpose(r);
    }

    /// <summary>Upper Cholesky factor R (A = R'R) of a symmetric matrix, or null if not positive definite.</summary>
    public static double[,]? CholeskyUpper(double[,] a)
    {
        int n = a.GetLength(0);
        var r = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++) s -= r[k, j] * r[k, j];
            if (!(s > 0)) return null;
            r[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < n; i++)
            {
                double t = a[j, i];
                for (int k = 0; k < j; k++) t -= r[k, j] * r[k, i];
                r[j, i] = t / r[j, j];
            }
        }
        return r;
    }

    /// <summary>The nearest positive semidefinite matrix to a symmetric one (negative eigenvalues set to 0).</summary>
    public static double[,] NearestSemidefinite(double[,] a)
    {
        int d = a.GetLength(0);
        var (values, vectors) = SymmetricEigen.Decompose(a);
        var result = new double[d, d];
        for (int e = 0; e < d; e++)
        {
            double v = Math.Max(values[e], 0);
            if (v == 0) continue;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) result[i, j] += v * vectors[i, e] * vectors[j, e];
        }
        return result;
    }

    /// <summary>(I + s·e_k m') v in place: v_k += s Σ m_j v_j (coefficients of centred columns to uncentred ones, s = −1).</summary>
    public static void CentringCombine(Span<double> v, int k, ReadOnlySpan<double> m, double s)
    {
        double acc = 0;
        for (int j = 0; j < m.Length; j++) acc += m[j] * v[j];
        v[k] += s * acc;
    }

    /// <summary>(I + s·m e_k') v in place: v_j += s m_j v_k (a row of columns centred, s = −1, or back, s = +1).</summary>
    public static void CentringSpread(Span<double> v, int k, ReadOnlySpan<double> m, double s)
    {
        double vk = v[k];
        for (int j = 0; j < m.Length; j++) v[j] += s * m[j] * vk;
    }

    /// <summary>
    /// C V C' in place for C = I + s·e_k m' (m_k = 0): row k += s Σ m_j row_j, then column k += s Σ m_j column_j. With
    /// s = −1 it maps the covariance of coefficients of centred columns to the uncentred ones; with s = +1 back.
    /// </summary>
    public static void CentringCongruence(double[,] v, int k, ReadOnlySpan<double> m, double s)
    {
        int d = m.Length;
        for (int c = 0; c < d; c++)
        {
            double acc = 0;
            for (int j = 0; j < d; j++) acc += m[j] * v[j, c];
            v[k, c] += s * acc;
        }
        for (int r = 0; r < d; r++)
        {
            double acc = 0;
            for (int j = 0; j < d; j++) acc += m[j] * v[r, j];
            v[r, k] += s * acc;
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MixedModels.LinearAlgebra;

/// <summary>
/// Dense column-major kernels (the BLAS/LAPACK routines the blocked factorization needs): Cholesky, rank-k update,
/// matrix product with a transpose, triangular solve. Element (i, j) of a matrix with leading dimension ld is at
/// <c>j*ld + i</c>. None allocates.
/// </summary>
internal static class DenseKernels
{
    private const int Panel = 64;

    /// <summary>y += alpha * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(alpha);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            for (int k = 0; k < vx.Length; k++) vy[k] += va * vx[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) y[i] += alpha * x[i];
    }

    /// <summary>x · y.</summary>
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length, i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var acc = Vector<double>.Zero;
            for (int k = 0; k < vx.Length; k++) acc += vx[k] * vy[k];
            s = Vector.Sum(acc);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) s += x[i] * y[i];
        return s;
    }

    /// <summary>In-place lower Cholesky factor of the n × n matrix at a (only the lower triangle is read and written). False if not positive definite.</summary>
    public static bool Cholesky(Span<double> a, int n, int ld)
    {
        for (int k0 = 0; k0 < n; k0 += Panel)
        {
            int kb = Math.Min(Panel, n - k0);
            if (!CholeskyUnblocked(a[(k0 * ld + k0)..], kb, ld)) return false;
            int m = n - k0 - kb;
            if (m == 0) break;
            TrsmRightLowerTranspose(a[(k0 * ld + k0 + kb)..], ld, m, kb, a[(k0 * ld + k0)..], ld);
            SyrkLowerSubtract(a[((k0 + kb) * ld + k0 + kb)..], ld, m, a[(k0 * ld + k0 + kb)..], ld, kb);
        }
        return true;
    }

    /// <summary>Left-looking unblocked Cholesky of a small block.</summary>
    public static bool CholeskyUnblocked(Span<double> a, int n, int ld)
    {
        for (int j = 0; j < n; j++)
        {
            var colJ = a.Slice(j * ld + j, n - j);
            for (int k = 0; k < j; k++)
            {
                double ljk = a[k * ld + j];
                if (ljk != 0) Axpy(-ljk, a.Slice(k * ld + j, n - j), colJ);
            }
            double d = colJ[0];
            if (!(d > 0)) return false;
            d = Math.Sqrt(d);
            colJ[0] = d;
            double inv = 1 / d;
            for (int i = 1; i < colJ.Length; i++) colJ[i] *= inv;
        }
        return true;
    }

    /// <summary>C (n × n, lower triangle) -= A A', A is n × k.</summary>
    public static void SyrkLowerSubtract(Span<double> c, int ldc, int n, ReadOnlySpan<double> a, int lda, int k)
    {
        for (int j = 0; j < n; j++)
        {
            var cj = c.Slice(j * ldc + j, n - j);
            for (int p = 0; p < k; p++)
            {
                double ajp = a[p * lda + j];
                if (ajp != 0) Axpy(-ajp, a.Slice(p * lda + j, n - j), cj);
            }
        }
    }

    /// <summary>C (m × n) -= A B', A is m × k, B is n × k.</summary>
    public static void GemmNtSubtract(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, int k)
    {
        for (int j = 0; j < n; j++)
        {
            var cj = c.Slice(j * ldc, m);
            for (int p = 0; p < k; p++)
            {
                double bjp = b[p * ldb + j];
                if (bjp != 0) Axpy(-bjp, a.Slice(p * lda, m), cj);
            }
        }
    }

    /// <summary>C (m × n) ← C L^{-T}, L n × n lower triangular.</summary>
    public static void TrsmRightLowerTranspose(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> l, int ldl)
    {
        for (int k = 0; k < n; k++)
        {
            var ck = c.Slice(k * ldc, m);
            double inv = 1 / l[k * ldl + k];
            for (int i = 0; i < m; i++) ck[i] *= inv;
            for (int j = k + 1; j < n; j++)
            {
                double ljk = l[k * ldl + j];
                if (ljk != 0) Axpy(-ljk, ck, c.Slice(j * ldc, m));
            }
        }
    }

    /// <summary>Solves L x = b in place (L n × n lower triangular, column-major).</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int ld, int n, Span<double> x)
    {
        for (int j = 0; j < n; j++)
        {
            x[j] /= l[j * ld + j];
            double xj = x[j];
            if (xj != 0) Axpy(-xj, l.Slice(j * ld + j + 1, n - j - 1), x.Slice(j + 1, n - j - 1));
        }
    }

    /// <summary>Solves L' x = b in place (L n × n lower triangular, column-major).</summary>
    public static void SolveLowerTranspose(ReadOnlySpan<double> l, int ld, int n, Span<double> x)
    {
        for (int j = n - 1; j >= 0; j--)
        {
            double s = x[j] - Dot(l.Slice(j * ld + j + 1, n - j - 1), x.Slice(j + 1, n - j - 1));
            x[j] = s / l[j * ld + j];
        }
    }
}

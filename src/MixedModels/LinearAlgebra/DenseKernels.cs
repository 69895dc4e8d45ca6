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
    private const int Panel = 32;

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

    /// <summary>x *= alpha.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(double alpha, Span<double> x)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = new Vector<double>(alpha);
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            for (int k = 0; k < vx.Length; k++) vx[k] *= va;
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) x[i] *= alpha;
    }

    /// <summary>z = x ∘ y elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        int n = x.Length, i = 0;
        if (y.Length < n || z.Length < n) throw new ArgumentException("the vectors need equal lengths");
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var vz = MemoryMarshal.Cast<double, Vector<double>>(z[..n]);
            for (int k = 0; k < vx.Length; k++) vz[k] = vx[k] * vy[k];
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) z[i] = x[i] * y[i];
    }

    /// <summary>Σ x, in vector lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum(ReadOnlySpan<double> x)
    {
        int n = x.Length, i = 0;
        double s = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var acc = Vector<double>.Zero;
            for (int k = 0; k < vx.Length; k++) acc += vx[k];
            s = Vector.Sum(acc);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++) s += x[i];
        return s;
    }

    /// <summary>x · y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    /// <summary>
    /// x · y0 … x · y3 in one pass over x: each result is summed exactly as <see cref="Dot"/> sums it, but the four
    /// independent accumulators keep the multiply-adds from waiting on each other.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Dot4(ReadOnlySpan<double> x, ReadOnlySpan<double> y0, ReadOnlySpan<double> y1, ReadOnlySpan<double> y2,
        ReadOnlySpan<double> y3, Span<double> result)
    {
        int n = x.Length, i = 0;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(y0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(y1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(y2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(y3[..n]);
            Vector<double> a0 = Vector<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
            for (int k = 0; k < vx.Length; k++)
            {
                var xv = vx[k];
                a0 += xv * v0[k];
                a1 += xv * v1[k];
                a2 += xv * v2[k];
                a3 += xv * v3[k];
            }
            s0 = Vector.Sum(a0);
            s1 = Vector.Sum(a1);
            s2 = Vector.Sum(a2);
            s3 = Vector.Sum(a3);
            i = vx.Length * Vector<double>.Count;
        }
        for (; i < n; i++)
        {
            s0 += x[i] * y0[i];
            s1 += x[i] * y1[i];
            s2 += x[i] * y2[i];
            s3 += x[i] * y3[i];
        }
        result[0] = s0;
        result[1] = s1;
        result[2] = s2;
        result[3] = s3;
    }

    /// <summary>The scratch (doubles) <see cref="Cholesky(Span{double}, int, int, Span{double})"/> needs for an n × n block.</summary>
    public static int CholeskyScratchSize(int n) => DenseCholesky.ScratchSize(n);

    /// <summary>In-place lower Cholesky factor of the n × n matrix at a (only the lower triangle is read and written). False if not positive definite.</summary>
    public static bool Cholesky(Span<double> a, int n, int ld) => Cholesky(a, n, ld, new double[CholeskyScratchSize(n)]);

    /// <summary>In-place blocked lower Cholesky factor (<see cref="DenseCholesky"/>). False if not positive definite.</summary>
    public static bool Cholesky(Span<double> a, int n, int ld, Span<double> scratch) => DenseCholesky.Factor(a, n, ld, scratch);

    /// <summary>Left-looking unblocked Cholesky of a small block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SyrkLowerSubtract(Span<double> c, int ldc, int n, ReadOnlySpan<double> a, int lda, int k)
    {
        if (n < FewRowsSyrk)
        {
            SyrkFewRows(c, ldc, n, a, lda, k);
            return;
        }
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

    /// <summary>Below this many rows, <see cref="SyrkLowerSubtract"/> works on row-major copies of A's columns.</summary>
    private const int FewRowsSyrk = 16;

    /// <summary>The doubles of the row-major copy of a slice of A's columns (on the stack).</summary>
    private const int FewRowsChunk = 2048;

    /// <summary>
    /// C -= A A' for few rows (the X and y rows of L, a Cholesky panel's last rows) and any k: A's columns are copied
    /// a slice at a time into rows (each row of A contiguous), and every entry of C is a vector dot product of two
    /// such rows, four entries per pass over a row. A column-major A with few rows would otherwise be read with a
    /// stride, one short update per column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SyrkFewRows(Span<double> c, int ldc, int n, ReadOnlySpan<double> a, int lda, int k)
    {
        // The slice's width: as many columns as the stack buffer holds, but no wider than A (a stackalloc is cleared).
        int width = Math.Min(Math.Max(8, FewRowsChunk / n / 8 * 8), (k + 7) / 8 * 8);
        Span<double> rows = stackalloc double[n * width];
        Span<double> sums = stackalloc double[n * n];
        Span<double> four = stackalloc double[4];
        sums.Clear();
        for (int p0 = 0; p0 < k; p0 += width)
        {
            int w = Math.Min(width, k - p0);
            for (int p = 0; p < w; p++)
            {
                var col = a.Slice((p0 + p) * lda, n);
                for (int i = 0; i < n; i++) rows[i * w + p] = col[i];
            }
            for (int i = 0; i < n; i++)
            {
                var ri = rows.Slice(i * w, w);
                int j = 0;
                for (; j + 4 <= i + 1; j += 4)
                {
                    Dot4(ri, rows.Slice(j * w, w), rows.Slice((j + 1) * w, w), rows.Slice((j + 2) * w, w), rows.Slice((j + 3) * w, w), four);
                    for (int e = 0; e < 4; e++) sums[i * n + j + e] += four[e];
                }
                for (; j <= i; j++) sums[i * n + j] += Dot(ri, rows.Slice(j * w, w));
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) c[j * ldc + i] -= sums[i * n + j];
    }

    /// <summary>C (m × n) -= A B', A is m × k, B is n × k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GemmNtSubtract(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, int k)
    {
        if (m < 8 && n <= 1024)
        {
            // Few rows (the X and y rows of L): each row of C is a combination of the columns of B, accumulated
            // contiguously and then scattered into C's strided row.
            Span<double> row = stackalloc double[n];
            for (int i = 0; i < m; i++)
            {
                row.Clear();
                for (int p = 0; p < k; p++)
                {
                    double aip = a[p * lda + i];
                    if (aip != 0) Axpy(aip, b.Slice(p * ldb, n), row);
                }
                for (int j = 0; j < n; j++) c[j * ldc + i] -= row[j];
            }
            return;
        }
        if (m < 8)
        {
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += a[p * lda + i] * b[p * ldb + j];
                    c[j * ldc + i] -= s;
                }
            return;
        }
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

    /// <summary>The scratch (doubles) the few-row path of <see cref="TrsmRightLowerTranspose(Span{double}, int, int, int, ReadOnlySpan{double}, int, Span{double})"/> needs.</summary>
    public static int TrsmScratchSize(int m, int n) => m < FewRows ? m * n + SolveRowsScratchSize(m, n) : 0;

    /// <summary>Below this many rows a right triangular solve works on transposed rows.</summary>
    public const int FewRows = 16;

    /// <summary>C (m × n) ← C L^{-T}, L n × n lower triangular.</summary>
    public static void TrsmRightLowerTranspose(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> l, int ldl) =>
        TrsmRightLowerTranspose(c, ldc, m, n, l, ldl, new double[TrsmScratchSize(m, n)]);

    /// <summary>
    /// C (m × n) ← C L^{-T}, L n × n lower triangular. With few rows, each row of C is solved on its own as a forward
    /// substitution with L's contiguous columns (in scratch); otherwise column by column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TrsmRightLowerTranspose(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> l, int ldl, Span<double> scratch)
    {
        if (m < FewRows && n > 2 * FewRows)
        {
            var rows = scratch[..(m * n)];
            for (int r = 0; r < m; r++)
                for (int j = 0; j < n; j++) rows[r * n + j] = c[j * ldc + r];
            SolveRows(rows, m, n, l, ldl, scratch[(m * n)..]);
            for (int r = 0; r < m; r++)
                for (int j = 0; j < n; j++) c[j * ldc + r] = rows[r * n + j];
            return;
        }
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

    /// <summary>
    /// Solves x L' = r for each of the m rows r of a row-major block (rows[r·n + j]), in place: panel by panel, the
    /// rows beyond a panel updated by one register-blocked product R[rest] -= L[rest, panel] R[panel]' (split between
    /// two threads when large).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveRows(Span<double> rows, int m, int n, ReadOnlySpan<double> l, int ldl, Span<double> work)
    {
        for (int k0 = 0; k0 < n; k0 += Panel)
        {
            int kb = Math.Min(Panel, n - k0);
            for (int k = k0; k < k0 + kb; k++)
            {
                double inv = 1 / l[k * ldl + k];
                var lk = l.Slice(k * ldl + k + 1, k0 + kb - k - 1);
                for (int r = 0; r < m; r++)
                {
                    var row = rows.Slice(r * n, n);
                    double xk = row[k] *= inv;
                    if (xk != 0) Axpy(-xk, lk, row.Slice(k + 1, lk.Length));
                }
            }
            int rest = n - k0 - kb;
            if (rest == 0) break;
            if (SyrkKernel.Supported)
                GemmKernel.NtSubtractSplit(rows[(k0 + kb)..], n, rest, m, l[(k0 * ldl + k0 + kb)..], ldl, rows[k0..], n, kb, work, bRowMajor: true, packA: false);
            else
                for (int r = 0; r < m; r++)
                    for (int k = k0; k < k0 + kb; k++)
                    {
                        double xk = rows[r * n + k];
                        if (xk != 0) Axpy(-xk, l.Slice(k * ldl + k0 + kb, rest), rows.Slice(r * n + k0 + kb, rest));
                    }
        }
    }

    /// <summary>The scratch <see cref="SolveRows"/> needs for m rows of length n (besides the rows themselves).</summary>
    public static int SolveRowsScratchSize(int m, int n) => GemmKernel.SplitScratchSize(n, m, Panel);

    /// <summary>Solves L x = b in place (L n × n lower triangular, column-major).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SolveLowerTranspose(ReadOnlySpan<double> l, int ld, int n, Span<double> x)
    {
        for (int j = n - 1; j >= 0; j--)
        {
            double s = x[j] - Dot(l.Slice(j * ld + j + 1, n - j - 1), x.Slice(j + 1, n - j - 1));
            x[j] = s / l[j * ld + j];
        }
    }
}

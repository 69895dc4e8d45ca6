using System.Runtime.CompilerServices;

namespace MixedModels.LinearAlgebra;

/// <summary>
/// Blocked right-looking Cholesky factorization of a dense block (LAPACK's dpotrf, written for this project's
/// kernels). Each panel of <see cref="Panel"/> columns: its diagonal block is factored unblocked; the rows below are
/// solved against it as a product with the inverse of the small triangle, so that the solve runs on the same packed
/// 12 × 4 FMA tiles as the update (each tile's inner loop stops where the triangle ends); the trailing block is
/// updated by the packed SYRK kernel. Solve and update are split between two threads when large.
/// </summary>
internal static unsafe class DenseCholesky
{
    /// <summary>Columns per panel of a large block: the trailing update reuses each loaded tile of C 64 times.</summary>
    public const int Panel = 64;

    /// <summary>Columns per panel of a block smaller than <see cref="LargeBlock"/> rows.</summary>
    public const int SmallPanel = 32;

    /// <summary>Blocks from this size on use the wide panel.</summary>
    public const int LargeBlock = 512;

    /// <summary>Below this many rows under a panel the solve is a plain substitution (the inverse does not pay).</summary>
    private const int SolveByInverseRows = 256;

    private static int PanelWidth(int n) => n >= LargeBlock ? Panel : SmallPanel;

    private static readonly int Mr = SyrkKernel.Mr, Nr = SyrkKernel.Nr;

    private static int RoundUp(int x, int b) => (x + b - 1) / b * b;

    /// <summary>The scratch (doubles) <see cref="Factor"/> needs for an n × n block.</summary>
    public static int ScratchSize(int n)
    {
        int kb = Math.Min(PanelWidth(n), Math.Max(n, 1));
        int solve = kb * kb + RoundUp(kb, Nr) * kb + (RoundUp(n, Mr) + Mr) * kb;
        return Math.Max(solve, Math.Max(SyrkKernel.ScratchSize(n, kb), DenseKernels.TrsmScratchSize(DenseKernels.FewRows - 1, kb)));
    }

    /// <summary>In-place lower Cholesky factor of the n × n matrix at a (lower triangle read and written). False if not positive definite.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Factor(Span<double> a, int n, int ld, Span<double> scratch)
    {
        int panel = PanelWidth(n);
        for (int k0 = 0; k0 < n; k0 += panel)
        {
            int kb = Math.Min(panel, n - k0);
            if (!DenseKernels.CholeskyUnblocked(a[(k0 * ld + k0)..], kb, ld)) return false;
            int m = n - k0 - kb;
            if (m == 0) break;
            var l21 = a[(k0 * ld + k0 + kb)..];
            var a22 = a[((k0 + kb) * ld + k0 + kb)..];
            if (!SyrkKernel.Supported || m < SolveByInverseRows)
            {
                DenseKernels.TrsmRightLowerTranspose(l21, ld, m, kb, a[(k0 * ld + k0)..], ld, scratch);
                if (SyrkKernel.Supported && m >= 16) SyrkKernel.LowerSubtract(a22, ld, m, l21, ld, kb, scratch);
                else DenseKernels.SyrkLowerSubtract(a22, ld, m, l21, ld, kb);
                continue;
            }
            SolvePanel(a, ld, k0, kb, m, scratch);
            SyrkKernel.LowerSubtract(a22, ld, m, l21, ld, kb, scratch);
        }
        return true;
    }

    /// <summary>L21 ← A21 L11^{-T} as A21 W' with W = L11⁻¹: W packed (negated) in 4-row panels, A21 in 12-row panels.</summary>
    private static void SolvePanel(Span<double> a, int ld, int k0, int kb, int m, Span<double> scratch)
    {
        var w = scratch[..(kb * kb)];
        InvertLower(a[(k0 * ld + k0)..], ld, kb, w);
        var packB = scratch.Slice(kb * kb, RoundUp(kb, Nr) * kb);
        SyrkKernel.Pack(w, kb, kb, kb, packB, Nr);
        for (int i = 0; i < packB.Length; i++) packB[i] = -packB[i];
        var packA = scratch[(kb * kb + packB.Length)..];
        fixed (double* pa = a, pA = packA, pB = packB)
        {
            double* c = pa + (long)k0 * ld + k0 + kb;
            if (m >= SyrkKernel.ParallelThreshold && HelperThread.Available)
            {
                var job = Job.Value!;
                job.Set(c, ld, m, kb, pB, pA);
                HelperThread.Instance.Run(job);
            }
            else MultiplyRows(c, ld, 0, m, kb, pB, pA);
        }
    }

    /// <summary>W ← L⁻¹ for the n × n lower triangular L (column-major, leading dimension ldl); W is n × n column-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void InvertLower(ReadOnlySpan<double> l, int ldl, int n, Span<double> w)
    {
        w[..(n * n)].Clear();
        for (int j = 0; j < n; j++)
        {
            var x = w.Slice(j * n, n);
            x[j] = 1;
            for (int k = j; k < n; k++)
            {
                double xk = x[k] / l[k * ldl + k];
                x[k] = xk;
                if (xk != 0 && k + 1 < n) DenseKernels.Axpy(-xk, l.Slice(k * ldl + k + 1, n - k - 1), x.Slice(k + 1, n - k - 1));
            }
        }
    }

    /// <summary>
    /// Rows [r0, r0 + rows) of C (n columns) ← C W': packed into 12-row panels at packA (from the row range's own
    /// offset), C cleared, then C −= A (−W)' tile by tile; a tile of columns j0..j0+3 needs W's columns ≤ j0 + 3 only.
    /// </summary>
    private static void MultiplyRows(double* c, int ldc, int r0, int rows, int n, double* packB, double* packA)
    {
        var source = new ReadOnlySpan<double>(c + r0, (n - 1) * ldc + rows);
        SyrkKernel.Pack(source, ldc, rows, n, new Span<double>(packA, RoundUp(rows, Mr) * n), Mr);
        for (int j = 0; j < n; j++) new Span<double>(c + (long)j * ldc + r0, rows).Clear();
        for (int j0 = 0; j0 < n; j0 += Nr)
        {
            int kLen = Math.Min(n, j0 + Nr);
            double* bPanel = packB + (long)(j0 / Nr) * Nr * n;
            for (int i0 = 0; i0 < rows; i0 += Mr)
                SyrkKernel.Tile(packA + (long)(i0 / Mr) * Mr * n, bPanel, Nr, kLen, c + r0, ldc, i0, j0, rows, n, lower: false);
        }
    }

    private static readonly ThreadLocal<SolveJob> Job = new(() => new SolveJob());

    /// <summary>The panel solve split by rows (at a multiple of 12, so each half packs whole panels) between two threads.</summary>
    private sealed class SolveJob : ISplitJob
    {
        private double* _c, _b, _a;
        private int _ldc, _m, _n;

        public void Set(double* c, int ldc, int m, int n, double* packB, double* packA)
        {
            _c = c; _ldc = ldc; _m = m; _n = n; _b = packB; _a = packA;
        }

        public void Execute(int part)
        {
            int half = _m / 2 / Mr * Mr;
            if (part == 0) MultiplyRows(_c, _ldc, 0, half, _n, _b, _a);
            else MultiplyRows(_c, _ldc, half, _m - half, _n, _b, _a + (long)half * _n);
        }
    }
}

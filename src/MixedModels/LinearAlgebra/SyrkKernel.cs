using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MixedModels.LinearAlgebra;

/// <summary>
/// The rank-k update C -= P P' of the lower triangle of a dense block, the bulk of a dense Cholesky factorization.
/// P is packed once into panels of <see cref="Mr"/> rows (each column's values of a panel contiguous); an Mr × Nr tile
/// of C is accumulated in registers with fused multiply-adds, reading the Nr broadcast values from the same packing:
/// 12 × 4 in 12 AVX2 registers, or 24 × 8 in 24 of AVX-512's 32 registers (a third fewer loads per multiply-add, and
/// on a core that runs 512-bit operations as two 256-bit halves still half the instructions). Large updates are split
/// by columns between the calling thread and the helper thread.
/// </summary>
internal static unsafe class SyrkKernel
{
    /// <summary>True when the 24 × 8 AVX-512 tile is used.</summary>
    public static readonly bool Wide = Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>The tile's rows (the packing's panel height) and columns.</summary>
    public static readonly int Mr = Wide ? 24 : 12, Nr = Wide ? 8 : 4;

    /// <summary>Blocks at least this large are split between the calling thread and the helper thread.</summary>
    public const int ParallelThreshold = 192;

    /// <summary>The scratch (doubles) a call with m rows and k columns needs.</summary>
    public static int ScratchSize(int m, int k) => RoundUp(m, Mr) * k;

    private static int RoundUp(int x, int b) => (x + b - 1) / b * b;

    public static bool Supported => Fma.IsSupported && Avx2.IsSupported;

    private static readonly ThreadLocal<SplitJob> Job = new(() => new SplitJob());

    /// <summary>C (m × m, lower triangle) -= P P', P is m × k with leading dimension ldp.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LowerSubtract(Span<double> c, int ldc, int m, ReadOnlySpan<double> p, int ldp, int k, Span<double> scratch)
    {
        var pack = scratch[..(RoundUp(m, Mr) * k)];
        Pack(p, ldp, m, k, pack);
        fixed (double* pc = c, pp = pack)
        {
            if (m >= ParallelThreshold && HelperThread.Available)
            {
                var job = Job.Value!;
                job.Set(pc, ldc, m, pp, k);
                HelperThread.Instance.Run(job);
                return;
            }
            Columns(pc, ldc, m, pp, k, 0, m);
        }
    }

    /// <summary>Packs P into panels of Mr rows: panel b holds, for each column, rows b·Mr.. contiguously (zero-padded).</summary>
    internal static void Pack(ReadOnlySpan<double> p, int ldp, int m, int k, Span<double> dst) => Pack(p, ldp, m, k, dst, Mr);

    /// <summary>Packs P (m × k) into panels of <paramref name="width"/> rows, each column's values of a panel contiguous.</summary>
    internal static void Pack(ReadOnlySpan<double> p, int ldp, int m, int k, Span<double> dst, int width)
    {
        int panels = (m + width - 1) / width;
        for (int b = 0; b < panels; b++)
        {
            int r0 = b * width;
            int n = Math.Min(width, m - r0);
            var panel = dst.Slice(b * width * k, width * k);
            for (int col = 0; col < k; col++)
            {
                var d = panel.Slice(col * width, width);
                p.Slice(col * ldp + r0, n).CopyTo(d);
                if (n < width) d[n..].Clear();
            }
        }
    }

    /// <summary>
    /// The inner dimension is taken this many columns of P at a time: a long P (a crossed term's 1,000 × 10,000 block)
    /// would otherwise stream every panel from memory once per tile; a slice of all panels stays in the L2 cache.
    /// </summary>
    internal const int Kc = 64;

    /// <summary>The tiles whose columns start in [from, to).</summary>
    private static void Columns(double* pc, int ldc, int m, double* pack, int k, int from, int to)
    {
        for (int k0 = 0; k0 < k; k0 += Kc)
        {
            int kc = Math.Min(Kc, k - k0);
            for (int j0 = from; j0 < to; j0 += Nr)
            {
                // The Nr broadcast values of columns j0.. sit in the panel holding row j0, at offset j0 mod Mr (Nr divides Mr).
                double* bPanel = pack + (long)(j0 / Mr) * Mr * k + j0 % Mr + (long)k0 * Mr;
                for (int i0 = j0 / Mr * Mr; i0 < m; i0 += Mr)
                    Tile(pack + (long)(i0 / Mr) * Mr * k + (long)k0 * Mr, bPanel, Mr, kc, pc, ldc, i0, j0, m, m, lower: true);
            }
        }
    }

    /// <summary>C[i0.., j0..] -= A B' for one Mr × Nr tile (A a packed panel, B's Nr values per step at stride bStride); only the lower triangle when <paramref name="lower"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile(double* a, double* b, int bStride, int k, double* c, int ldc, int i0, int j0, int rows, int cols, bool lower) =>
        Tile(a, Mr, b, bStride, k, c, ldc, i0, j0, rows, cols, lower);

    /// <summary>As above with A's Mr values of successive steps <paramref name="aStride"/> apart (Mr when packed; a column-major A's leading dimension when read in place).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile(double* a, int aStride, double* b, int bStride, int k, double* c, int ldc, int i0, int j0, int rows, int cols, bool lower)
    {
        if (Wide) Tile512(a, aStride, b, bStride, k, c, ldc, i0, j0, rows, cols, lower);
        else Tile256(a, aStride, b, bStride, k, c, ldc, i0, j0, rows, cols, lower);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256(double* a, int aStride, double* b, int bStride, int k, double* c, int ldc, int i0, int j0, int rows, int cols, bool lower)
    {
        const int Mr = 12, Nr = 4;
        Vector256<double> c00 = Vector256<double>.Zero, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00,
            c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int p = 0; p < k; p++)
        {
            var a0 = Avx.LoadVector256(a);
            var a1 = Avx.LoadVector256(a + 4);
            var a2 = Avx.LoadVector256(a + 8);
            var bv = Vector256.Create(b[0]);
            c00 = Fma.MultiplyAdd(a0, bv, c00); c01 = Fma.MultiplyAdd(a1, bv, c01); c02 = Fma.MultiplyAdd(a2, bv, c02);
            bv = Vector256.Create(b[1]);
            c10 = Fma.MultiplyAdd(a0, bv, c10); c11 = Fma.MultiplyAdd(a1, bv, c11); c12 = Fma.MultiplyAdd(a2, bv, c12);
            bv = Vector256.Create(b[2]);
            c20 = Fma.MultiplyAdd(a0, bv, c20); c21 = Fma.MultiplyAdd(a1, bv, c21); c22 = Fma.MultiplyAdd(a2, bv, c22);
            bv = Vector256.Create(b[3]);
            c30 = Fma.MultiplyAdd(a0, bv, c30); c31 = Fma.MultiplyAdd(a1, bv, c31); c32 = Fma.MultiplyAdd(a2, bv, c32);
            a += aStride;
            b += bStride;
        }
        if ((!lower || i0 >= j0 + Nr) && i0 + Mr <= rows && j0 + Nr <= cols)
        {
            Store(c + (long)(j0 + 0) * ldc + i0, c00, c01, c02);
            Store(c + (long)(j0 + 1) * ldc + i0, c10, c11, c12);
            Store(c + (long)(j0 + 2) * ldc + i0, c20, c21, c22);
            Store(c + (long)(j0 + 3) * ldc + i0, c30, c31, c32);
            return;
        }
        double* acc = stackalloc double[Mr * Nr];
        Avx.Store(acc + 0, c00); Avx.Store(acc + 4, c01); Avx.Store(acc + 8, c02);
        Avx.Store(acc + 12, c10); Avx.Store(acc + 16, c11); Avx.Store(acc + 20, c12);
        Avx.Store(acc + 24, c20); Avx.Store(acc + 28, c21); Avx.Store(acc + 32, c22);
        Avx.Store(acc + 36, c30); Avx.Store(acc + 40, c31); Avx.Store(acc + 44, c32);
        SubtractPartial(acc, Mr, Nr, c, ldc, i0, j0, rows, cols, lower);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512(double* a, int aStride, double* b, int bStride, int k, double* c, int ldc, int i0, int j0, int rows, int cols, bool lower)
    {
        const int Mr = 24, Nr = 8;
        Vector512<double> c00 = Vector512<double>.Zero, c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00,
            c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00,
            c40 = c00, c41 = c00, c42 = c00, c50 = c00, c51 = c00, c52 = c00,
            c60 = c00, c61 = c00, c62 = c00, c70 = c00, c71 = c00, c72 = c00;
        for (int p = 0; p < k; p++)
        {
            var a0 = Avx512F.LoadVector512(a);
            var a1 = Avx512F.LoadVector512(a + 8);
            var a2 = Avx512F.LoadVector512(a + 16);
            var bv = Vector512.Create(b[0]);
            c00 = Avx512F.FusedMultiplyAdd(a0, bv, c00); c01 = Avx512F.FusedMultiplyAdd(a1, bv, c01); c02 = Avx512F.FusedMultiplyAdd(a2, bv, c02);
            bv = Vector512.Create(b[1]);
            c10 = Avx512F.FusedMultiplyAdd(a0, bv, c10); c11 = Avx512F.FusedMultiplyAdd(a1, bv, c11); c12 = Avx512F.FusedMultiplyAdd(a2, bv, c12);
            bv = Vector512.Create(b[2]);
            c20 = Avx512F.FusedMultiplyAdd(a0, bv, c20); c21 = Avx512F.FusedMultiplyAdd(a1, bv, c21); c22 = Avx512F.FusedMultiplyAdd(a2, bv, c22);
            bv = Vector512.Create(b[3]);
            c30 = Avx512F.FusedMultiplyAdd(a0, bv, c30); c31 = Avx512F.FusedMultiplyAdd(a1, bv, c31); c32 = Avx512F.FusedMultiplyAdd(a2, bv, c32);
            bv = Vector512.Create(b[4]);
            c40 = Avx512F.FusedMultiplyAdd(a0, bv, c40); c41 = Avx512F.FusedMultiplyAdd(a1, bv, c41); c42 = Avx512F.FusedMultiplyAdd(a2, bv, c42);
            bv = Vector512.Create(b[5]);
            c50 = Avx512F.FusedMultiplyAdd(a0, bv, c50); c51 = Avx512F.FusedMultiplyAdd(a1, bv, c51); c52 = Avx512F.FusedMultiplyAdd(a2, bv, c52);
            bv = Vector512.Create(b[6]);
            c60 = Avx512F.FusedMultiplyAdd(a0, bv, c60); c61 = Avx512F.FusedMultiplyAdd(a1, bv, c61); c62 = Avx512F.FusedMultiplyAdd(a2, bv, c62);
            bv = Vector512.Create(b[7]);
            c70 = Avx512F.FusedMultiplyAdd(a0, bv, c70); c71 = Avx512F.FusedMultiplyAdd(a1, bv, c71); c72 = Avx512F.FusedMultiplyAdd(a2, bv, c72);
            a += aStride;
            b += bStride;
        }
        if ((!lower || i0 >= j0 + Nr) && i0 + Mr <= rows && j0 + Nr <= cols)
        {
            Store(c + (long)(j0 + 0) * ldc + i0, c00, c01, c02);
            Store(c + (long)(j0 + 1) * ldc + i0, c10, c11, c12);
            Store(c + (long)(j0 + 2) * ldc + i0, c20, c21, c22);
            Store(c + (long)(j0 + 3) * ldc + i0, c30, c31, c32);
            Store(c + (long)(j0 + 4) * ldc + i0, c40, c41, c42);
            Store(c + (long)(j0 + 5) * ldc + i0, c50, c51, c52);
            Store(c + (long)(j0 + 6) * ldc + i0, c60, c61, c62);
            Store(c + (long)(j0 + 7) * ldc + i0, c70, c71, c72);
            return;
        }
        double* acc = stackalloc double[Mr * Nr];
        Avx512F.Store(acc + 0, c00); Avx512F.Store(acc + 8, c01); Avx512F.Store(acc + 16, c02);
        Avx512F.Store(acc + 24, c10); Avx512F.Store(acc + 32, c11); Avx512F.Store(acc + 40, c12);
        Avx512F.Store(acc + 48, c20); Avx512F.Store(acc + 56, c21); Avx512F.Store(acc + 64, c22);
        Avx512F.Store(acc + 72, c30); Avx512F.Store(acc + 80, c31); Avx512F.Store(acc + 88, c32);
        Avx512F.Store(acc + 96, c40); Avx512F.Store(acc + 104, c41); Avx512F.Store(acc + 112, c42);
        Avx512F.Store(acc + 120, c50); Avx512F.Store(acc + 128, c51); Avx512F.Store(acc + 136, c52);
        Avx512F.Store(acc + 144, c60); Avx512F.Store(acc + 152, c61); Avx512F.Store(acc + 160, c62);
        Avx512F.Store(acc + 168, c70); Avx512F.Store(acc + 176, c71); Avx512F.Store(acc + 184, c72);
        SubtractPartial(acc, Mr, Nr, c, ldc, i0, j0, rows, cols, lower);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* dst, Vector512<double> v0, Vector512<double> v1, Vector512<double> v2)
    {
        Avx512F.Store(dst, Avx512F.Subtract(Avx512F.LoadVector512(dst), v0));
        Avx512F.Store(dst + 8, Avx512F.Subtract(Avx512F.LoadVector512(dst + 8), v1));
        Avx512F.Store(dst + 16, Avx512F.Subtract(Avx512F.LoadVector512(dst + 16), v2));
    }

    /// <summary>
    /// C[i0.., j0..] -= the accumulated tile (column-major, mr × nr) where it lies inside C (an edge tile) and, when
    /// <paramref name="lower"/>, on or below the diagonal (a diagonal tile).
    /// </summary>
    private static void SubtractPartial(double* acc, int mr, int nr, double* c, int ldc, int i0, int j0, int rows, int cols, bool lower)
    {
        for (int cc = 0; cc < nr; cc++)
        {
            int col = j0 + cc;
            if (col >= cols) break;
            for (int r = 0; r < mr; r++)
            {
                int row = i0 + r;
                if (row >= rows) break;
                if (!lower || row >= col) c[(long)col * ldc + row] -= acc[cc * mr + r];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* dst, Vector256<double> v0, Vector256<double> v1, Vector256<double> v2)
    {
        Avx.Store(dst, Avx.Subtract(Avx.LoadVector256(dst), v0));
        Avx.Store(dst + 4, Avx.Subtract(Avx.LoadVector256(dst + 4), v1));
        Avx.Store(dst + 8, Avx.Subtract(Avx.LoadVector256(dst + 8), v2));
    }

    /// <summary>The trailing update split by columns so that both halves have about the same number of tiles.</summary>
    private sealed class SplitJob : ISplitJob
    {
        private double* _c, _p;
        private int _ldc, _m, _k, _split;

        public void Set(double* c, int ldc, int m, double* p, int k)
        {
            _c = c; _ldc = ldc; _m = m; _p = p; _k = k;
            // Column j has m − j rows below the diagonal: half the work lies left of m(1 − 1/√2).
            _split = (int)(m * (1 - Math.Sqrt(0.5))) / Nr * Nr;
        }

        public void Execute(int part)
        {
            if (part == 0) Columns(_c, _ldc, _m, _p, _k, 0, _split);
            else Columns(_c, _ldc, _m, _p, _k, _split, _m);
        }
    }
}

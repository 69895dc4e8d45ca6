using System.Runtime.CompilerServices;

namespace MixedModels.LinearAlgebra;

/// <summary>
/// C (M × N) -= A B' with A (M × K, column-major) and B (N × K), by the register-blocked 12 × 4 tile of
/// <see cref="SyrkKernel"/>: A packed in 12-row panels, B in 4-row panels. B is column-major, or row-major when
/// <c>bRowMajor</c> (element (r, k) at r·ldb + k).
/// </summary>
internal static unsafe class GemmKernel
{
    /// <summary>The scratch (doubles) a call needs.</summary>
    public static int ScratchSize(int m, int n, int k) =>
        ((m + SyrkKernel.Mr - 1) / SyrkKernel.Mr * SyrkKernel.Mr + (n + SyrkKernel.Nr - 1) / SyrkKernel.Nr * SyrkKernel.Nr) * k;

    /// <summary>Packs a row-major B (n × k) into panels of <paramref name="width"/> rows.</summary>
    private static void PackRowMajor(ReadOnlySpan<double> b, int ldb, int n, int k, Span<double> dst, int width)
    {
        int panels = (n + width - 1) / width;
        for (int p = 0; p < panels; p++)
        {
            int r0 = p * width;
            int rows = Math.Min(width, n - r0);
            var panel = dst.Slice(p * width * k, width * k);
            panel.Clear();
            for (int i = 0; i < rows; i++)
            {
                var src = b.Slice((r0 + i) * ldb, k);
                for (int col = 0; col < k; col++) panel[col * width + i] = src[col];
            }
        }
    }

    /// <summary>
    /// C -= A B'. With <c>packA</c> false A's full row blocks are read where they lie (its columns are contiguous):
    /// when C has few columns each value of A enters one or two tiles, and packing it would cost more memory traffic
    /// than it saves. The last, partial row block is packed all the same (a tile reads Mr rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NtSubtract(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, int k,
        Span<double> scratch, bool bRowMajor = false, bool packA = true)
    {
        int mr = SyrkKernel.Mr, nr = SyrkKernel.Nr;
        int ma = (m + mr - 1) / mr * mr, nb = (n + nr - 1) / nr * nr;
        int full = packA ? 0 : m / mr * mr; // rows read in place
        var packedA = scratch[..((ma - full) * k)];
        var packB = scratch.Slice((ma - full) * k, nb * k);
        if (m > full) SyrkKernel.Pack(a[full..], lda, m - full, k, packedA, mr);
        if (bRowMajor) PackRowMajor(b, ldb, n, k, packB, nr);
        else SyrkKernel.Pack(b, ldb, n, k, packB, nr);
        fixed (double* pc = c, pa = packedA, pb = packB, aa = a)
        {
            for (int j0 = 0; j0 < n; j0 += nr)
            {
                double* bPanel = pb + (long)(j0 / nr) * nr * k;
                for (int i0 = 0; i0 < full; i0 += mr)
                    SyrkKernel.Tile(aa + i0, lda, bPanel, nr, k, pc, ldc, i0, j0, m, n, lower: false);
                for (int i0 = full; i0 < m; i0 += mr)
                    SyrkKernel.Tile(pa + (long)((i0 - full) / mr) * mr * k, bPanel, nr, k, pc, ldc, i0, j0, m, n, lower: false);
            }
        }
    }

    /// <summary>Below this many multiply-adds a product is not split between two threads (the handshake would cost more).</summary>
    private const long SplitWork = 1 << 16;

    /// <summary>The scratch (doubles) <see cref="NtSubtractSplit"/> needs: one call's for each thread.</summary>
    public static int SplitScratchSize(int m, int n, int k) => 2 * ScratchSize(m, n, k);

    /// <summary>
    /// <see cref="NtSubtract"/> with C's rows (and A's) split at a multiple of the tile height between this thread and
    /// the helper when the product is large: every tile is the one the whole call computes, so the result is the
    /// same to the bit. Scratch of <see cref="SplitScratchSize"/>.
    /// </summary>
    public static void NtSubtractSplit(Span<double> c, int ldc, int m, int n, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, int k,
        Span<double> scratch, bool bRowMajor, bool packA)
    {
        int half = m / 2 / SyrkKernel.Mr * SyrkKernel.Mr;
        if (half == 0 || (long)m * n * k < SplitWork || !HelperThread.Available)
        {
            NtSubtract(c, ldc, m, n, a, lda, b, ldb, k, scratch, bRowMajor, packA);
            return;
        }
        fixed (double* pc = c, pa = a, pb = b, ps = scratch)
        {
            var job = Job.Value!;
            job.Set(new(pc, c.Length), ldc, m, n, new(pa, a.Length), lda, new(pb, b.Length), ldb, k, new(ps, scratch.Length), half, bRowMajor, packA);
            HelperThread.Instance.Run(job);
        }
    }

    private static readonly ThreadLocal<SplitJob> Job = new(() => new SplitJob());

    /// <summary>One half of a split product: rows [0, half) on the calling thread, the rest on the helper, each with its own scratch.</summary>
    private sealed class SplitJob : ISplitJob
    {
        private Region _c, _a, _b, _scratch;
        private int _ldc, _m, _n, _lda, _ldb, _k, _half;
        private bool _bRowMajor, _packA;

        public void Set(Region c, int ldc, int m, int n, Region a, int lda, Region b, int ldb, int k, Region scratch, int half, bool bRowMajor, bool packA)
        {
            (_c, _ldc, _m, _n, _a, _lda, _b, _ldb, _k, _scratch, _half, _bRowMajor, _packA) = (c, ldc, m, n, a, lda, b, ldb, k, scratch, half, bRowMajor, packA);
        }

        public void Execute(int part)
        {
            int r0 = part == 0 ? 0 : _half, rows = part == 0 ? _half : _m - _half;
            int own = ScratchSize(_m, _n, _k);
            NtSubtract(_c.Span(r0), _ldc, rows, _n, _a.Span(r0), _lda, _b.Span(0), _ldb, _k,
                new Span<double>(_scratch.Start + part * own, own), _bRowMajor, _packA);
        }
    }

    /// <summary>A pinned span kept as a pointer and length (a job object cannot hold a span).</summary>
    private readonly struct Region(double* start, int length)
    {
        public double* Start { get; } = start;

        public Span<double> Span(int offset) => new(Start + offset, length - offset);
    }
}

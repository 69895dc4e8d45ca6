using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>From this many observations on, a single-term system (a GLMM's PIRLS) is refilled on both cores.</summary>
    internal static int ParallelFillRows { get; set; } = 100_000;

    /// <summary>Rows per chunk of the fill with X (its columns stay in the first-level cache between the two passes over a chunk).</summary>
    private const int FillChunk = 512;

    private double[]? _fillDiag, _fillXz, _fillXy;
    private FillJob? _fillJob;

    /// <summary>True when <see cref="FillA"/> can split the rows between the two cores: one term, many rows.</summary>
    private bool CanFillInParallel => _k == 1 && _n >= ParallelFillRows && HelperThread.Available;

    /// <summary>
    /// A = [Z X y]'W[Z X y] for one term, the rows split in two halves: the first accumulates into A's own storage,
    /// the second into scratch copies that are added afterwards (so no element is written by both cores).
    /// Allocates only on the first call (the scratch and the job).
    /// </summary>
    private void FillInParallel(double[] weights, double[] y)
    {
        var diag = ((BlockDiagonalBlock)_a[0][0]).Data;
        var xz = ((DenseBlock)_a[1][0]).Data;
        var xy = ((DenseBlock)_a[1][1]).Data;
        _fillDiag ??= new double[diag.Length];
        _fillXz ??= new double[xz.Length];
        _fillXy ??= new double[xy.Length];
        _fillJob ??= new FillJob(this);
        _fillJob.Set(weights, y);
        HelperThread.Instance.Run(_fillJob);
        for (int i = 0; i < diag.Length; i++) diag[i] += _fillDiag[i];
        for (int i = 0; i < xz.Length; i++) xz[i] += _fillXz[i];
        for (int i = 0; i < xy.Length; i++) xy[i] += _fillXy[i];
    }

    /// <summary>
    /// Rows [lo, hi) of the single term into the given diagonal, [X y]'WZ and [X y]'W[X y] storage (both triangles of
    /// the last), by the serial fill's kernels.
    /// </summary>
    private void FillRows(int lo, int hi, double[] diag, double[] xz, double[] xy, double[] weights, double[] y)
    {
        Array.Clear(diag);
        Array.Clear(xz);
        Array.Clear(xy);
        // In chunks, so that the weighted cross-products of [X y] read the chunk's columns from cache, not memory.
        for (int r0 = lo; r0 < hi; r0 += FillChunk)
        {
            int r1 = Math.Min(hi, r0 + FillChunk);
            TermRows(0, r0, r1, diag, xz, weights, y);
            AddCrossProducts(r0, r1, xy, weights, y);
        }
        MirrorUpper(xy, _p + 1);
    }

    /// <summary>[X y]'W[X y] of rows [lo, hi) into <paramref name="xy"/> (both triangles), a chunk of rows at a time.</summary>
    private void WeightedCrossProducts(int lo, int hi, double[] xy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        Array.Clear(xy);
        for (int r0 = lo; r0 < hi; r0 += FillChunk) AddCrossProducts(r0, Math.Min(hi, r0 + FillChunk), xy, weights, y);
        MirrorUpper(xy, _p + 1);
    }

    private static void MirrorUpper(double[] m, int w)
    {
        for (int c1 = 0; c1 < w; c1++)
            for (int c2 = 0; c2 < c1; c2++) m[c1 * w + c2] = m[c2 * w + c1];
    }

    /// <summary>Adds rows [lo, hi) to the upper triangle of [X y]'W[X y], with the weighted columns in the scratch column's rows [lo, hi).</summary>
    private void AddCrossProducts(int lo, int hi, double[] xy, ReadOnlySpan<double> weights, ReadOnlySpan<double> y)
    {
        int n = _n, p = _p, w = p + 1, len = hi - lo;
        var x = XData;
        var wu = _weightedColumn.AsSpan(lo, len);
        Span<double> four = stackalloc double[4];
        for (int c1 = 0; c1 < w; c1++)
        {
            var u = Column(x, y, c1, lo, len);
            DenseKernels.Multiply(weights.Slice(lo, len), u, wu);
            int c2 = c1;
            for (; c2 + 4 <= w; c2 += 4)
            {
                DenseKernels.Dot4(wu, Column(x, y, c2, lo, len), Column(x, y, c2 + 1, lo, len), Column(x, y, c2 + 2, lo, len), Column(x, y, c2 + 3, lo, len), four);
                for (int e = 0; e < 4; e++) xy[c1 * w + c2 + e] += four[e];
            }
            for (; c2 < w; c2++) xy[c1 * w + c2] += DenseKernels.Dot(wu, Column(x, y, c2, lo, len));
        }
    }

    /// <summary>Rows [lo, lo + len) of column c of [X y].</summary>
    private ReadOnlySpan<double> Column(double[] x, ReadOnlySpan<double> y, int c, int lo, int len) =>
        c < _p ? x.AsSpan(c * _n + lo, len) : y.Slice(lo, len);

    private sealed class FillJob(LmmWorkspace ws) : ISplitJob
    {
        private double[] _weights = [], _y = [];

        public void Set(double[] weights, double[] y) { _weights = weights; _y = y; }

        public void Execute(int part)
        {
            int mid = ws._n / 2;
            if (part == 0)
                ws.FillRows(0, mid, ((BlockDiagonalBlock)ws._a[0][0]).Data, ((DenseBlock)ws._a[1][0]).Data, ((DenseBlock)ws._a[1][1]).Data, _weights, _y);
            else ws.FillRows(mid, ws._n, ws._fillDiag!, ws._fillXz!, ws._fillXy!, _weights, _y);
        }
    }
}

using System.Runtime.CompilerServices;
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
    /// Rows [lo, hi) of a single term into the given diagonal, [X y]'WZ and [X y]'W[X y] storage (both triangles of
    /// the last).
    /// </summary>
    private void FillRows(int lo, int hi, double[] diag, double[] xz, double[] xy, double[] weights, double[] y)
    {
        Array.Clear(diag);
        Array.Clear(xz);
        if (_p == 0)
        {
            xy[0] = _dims[0] == 2 ? PairRowsResponseOnly(0, lo, hi, diag, xz, weights, y) : VectorRowsResponseOnly(0, lo, hi, diag, xz, weights, y);
            return;
        }
        // In chunks, so that the weighted cross-products of [X y] read the chunk's columns from cache, not memory.
        Array.Clear(xy);
        for (int r0 = lo; r0 < hi; r0 += FillChunk)
        {
            int r1 = Math.Min(hi, r0 + FillChunk);
            if (_dims[0] == 2) FillRowsPairWithX(r0, r1, diag, xz, weights, y);
            else FillRowsWithX(r0, r1, diag, xz, weights, y);
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

    /// <summary>A term of dimension 2 with X: its diagonal blocks and [X y]'WZ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRowsPairWithX(int lo, int hi, double[] diag, double[] xz, double[] weights, double[] y)
    {
        var term = _design.TermsArray[0];
        var codes = term.CodesArray;
        var z = term.ZArray;
        var x = XData;
        int n = _n, p = _p, w = p + 1;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double wr = weights[r], yr = y[r], z0 = z[2 * r], z1 = z[2 * r + 1];
            double wz0 = wr * z0, wz1 = wr * z1, cross = wz1 * z0;
            int o = lev * 4;
            diag[o] += wz0 * z0;
            diag[o + 1] += cross;
            diag[o + 2] += cross;
            diag[o + 3] += wz1 * z1;
            int off0 = 2 * lev * w, off1 = off0 + w;
            for (int c = 0; c < p; c++)
            {
                double xv = x[c * n + r];
                xz[off0 + c] += xv * wz0;
                xz[off1 + c] += xv * wz1;
            }
            xz[off0 + p] += yr * wz0;
            xz[off1 + p] += yr * wz1;
        }
    }

    /// <summary>A term of any dimension with X: its diagonal blocks and [X y]'WZ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FillRowsWithX(int lo, int hi, double[] diag, double[] xz, double[] weights, double[] y)
    {
        var term = _design.TermsArray[0];
        var codes = term.CodesArray;
        var z = term.ZArray;
        var x = XData;
        int n = _n, p = _p, w = p + 1, d = _dims[0], dd = d * d;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double wr = weights[r], yr = y[r];
            int o = lev * dd, zo = r * d;
            for (int b = 0; b < d; b++)
            {
                double zb = wr * z[zo + b];
                for (int c = 0; c < d; c++) diag[o + b * d + c] += z[zo + c] * zb;
                int off = (lev * d + b) * w;
                for (int c = 0; c < p; c++) xz[off + c] += x[c * n + r] * zb;
                xz[off + p] += yr * zb;
            }
        }
    }

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

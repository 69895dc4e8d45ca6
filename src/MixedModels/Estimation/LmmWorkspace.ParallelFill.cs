using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>From this many observations on, a single-term system without X (a GLMM's PIRLS with β held) is refilled on both cores.</summary>
    internal static int ParallelFillRows { get; set; } = 100_000;

    private double[]? _fillDiag, _fillXz;
    private FillJob? _fillJob;

    /// <summary>True when <see cref="FillA"/> can split the rows between the two cores: one term, no X, many rows.</summary>
    private bool CanFillInParallel => _k == 1 && _p == 0 && _n >= ParallelFillRows && HelperThread.Available;

    /// <summary>
    /// A = [Z y]'W[Z y] for one term and no X, the rows split in two halves: the first accumulates into A's own
    /// storage, the second into scratch copies that are added afterwards (so no element is written by both cores).
    /// Allocates only on the first call (the scratch and the job).
    /// </summary>
    private void FillInParallel(double[] weights, double[] y)
    {
        var diag = ((BlockDiagonalBlock)_a[0][0]).Data;
        var xz = ((DenseBlock)_a[1][0]).Data;
        _fillDiag ??= new double[diag.Length];
        _fillXz ??= new double[xz.Length];
        _fillJob ??= new FillJob(this);
        _fillJob.Set(weights, y);
        HelperThread.Instance.Run(_fillJob);
        for (int i = 0; i < diag.Length; i++) diag[i] += _fillDiag[i];
        for (int i = 0; i < xz.Length; i++) xz[i] += _fillXz[i];
        ((DenseBlock)_a[1][1]).Data[0] = _fillJob.Yy0 + _fillJob.Yy1;
    }

    /// <summary>Rows [lo, hi) of a single term into the given diagonal and Z'Wy storage; returns their Σ w y².</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double FillRows(int lo, int hi, double[] diag, double[] xz, double[] weights, double[] y)
    {
        Array.Clear(diag);
        Array.Clear(xz);
        var term = _design.TermsArray[0];
        var codes = term.CodesArray;
        var z = term.ZArray;
        int d = _dims[0], dd = d * d;
        double yy = 0;
        for (int r = lo; r < hi; r++)
        {
            int lev = codes[r];
            double w = weights[r], yr = y[r];
            yy += w * yr * yr;
            if (d == 1)
            {
                double wz = w * z[r];
                diag[lev] += wz * z[r];
                xz[lev] += yr * wz;
                continue;
            }
            int o = lev * dd, zo = r * d;
            for (int b = 0; b < d; b++)
            {
                double zb = w * z[zo + b];
                for (int c = 0; c < d; c++) diag[o + b * d + c] += z[zo + c] * zb;
                xz[lev * d + b] += yr * zb;
            }
        }
        return yy;
    }

    private sealed class FillJob(LmmWorkspace ws) : ISplitJob
    {
        private double[] _weights = [], _y = [];

        public double Yy0 { get; private set; }

        public double Yy1 { get; private set; }

        public void Set(double[] weights, double[] y) { _weights = weights; _y = y; }

        public void Execute(int part)
        {
            int mid = ws._n / 2;
            if (part == 0) Yy0 = ws.FillRows(0, mid, ((BlockDiagonalBlock)ws._a[0][0]).Data, ((DenseBlock)ws._a[1][0]).Data, _weights, _y);
            else Yy1 = ws.FillRows(mid, ws._n, ws._fillDiag!, ws._fillXz!, _weights, _y);
        }
    }
}

using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class GlmmWorkspace
{
    /// <summary>From this many observations on, the linear predictor and working values are computed on both cores.</summary>
    private const int ParallelRows = 100_000;

    /// <summary>Rows per chunk of <see cref="EtaRange"/>: η and the working values of a chunk stay in the first-level cache.</summary>
    private const int EtaChunk = 1024;

    /// <summary>
    /// η = offset + Xβ + ZΛu, then μ, the working weights and response (less Xβ when β is held) and the deviance; returns the penalized
    /// deviance (∞ if some η or μ is invalid). The random effects b = Λu are formed per level first; the rows are
    /// then one pass each (split between the two cores for large data). Allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double UpdateEta()
    {
        _active.ConditionalModes(_u, _effects);
        double dev;
        if (_n >= ParallelRows && HelperThread.Available)
        {
            HelperThread.Instance.Run(_etaJob);
            dev = _etaJob.Deviance0 + _etaJob.Deviance1;
        }
        else dev = EtaRange(0, _n);
        return Record(dev);
    }

    /// <summary>μ and the working values from the current η alone (the family's starting values).</summary>
    private void UpdateWorking() =>
        Record(Family.UpdateWorking(_eta, _y, _priorWeights, _offset, _mu, _muEta, _workingWeights, _workingResponse, _devResid));

    /// <summary>Keeps the deviance and ‖u‖²; returns the penalized deviance (∞ when the deviance is not finite).</summary>
    private double Record(double dev)
    {
        double u2 = DenseKernels.Dot(_u, _u);
        Deviance = dev;
        PenaltySquared = u2;
        return double.IsFinite(dev) ? dev + u2 : double.PositiveInfinity;
    }

    /// <summary>
    /// η and the family's working values for rows [lo, hi); returns their deviance. The rows go in chunks small enough
    /// to stay in the first-level cache: η of a chunk is built term by term in tight loops (offset and Xβ, then each
    /// random-effects term) and handed to the family's kernel while still in cache.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double EtaRange(int lo, int hi)
    {
        double dev = 0;
        for (int c0 = lo; c0 < hi; c0 += EtaChunk)
        {
            int len = Math.Min(EtaChunk, hi - c0);
            var eta = _eta.AsSpan(c0, len);
            var offset = _offset.AsSpan(c0, len);
            if (_betaHeld)
            {
                var fixedPart = _fixedPart.AsSpan(c0, len);
                for (int r = 0; r < eta.Length; r++) eta[r] = offset[r] + fixedPart[r];
            }
            else
            {
                offset.CopyTo(eta);
                var x = Design.X.Data;
                for (int c = 0; c < _p; c++) DenseKernels.Axpy(_beta[c], x.AsSpan(c * _n + c0, len), eta);
            }
            for (int j = 0; j < _k; j++) AddTerm(j, c0, len);
            dev += Family.UpdateWorking(eta, _y.AsSpan(c0, len), _priorWeights.AsSpan(c0, len), offset,
                _mu.AsSpan(c0, len), _muEta.AsSpan(c0, len), _workingWeights.AsSpan(c0, len), _workingResponse.AsSpan(c0, len), _devResid.AsSpan(c0, len));
            // With β held, the system for u takes the working response less Xβ: formed here, while the chunk is in cache.
            if (_betaHeld)
                for (int r = c0; r < c0 + len; r++) _uResponse[r] = _workingResponse[r] - _fixedPart[r];
        }
        return dev;
    }

    /// <summary>Adds term j's Z_j b_j to η of rows [start, start + len).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddTerm(int j, int start, int len)
    {
        var term = Design.TermsArray[j];
        var z = term.ZArray;
        var codes = term.CodesArray;
        var b = _effects[j];
        var eta = _eta;
        int end = start + len;
        switch (term.Dimension)
        {
            case 1:
                for (int r = start; r < end; r++) eta[r] += z[r] * b[codes[r]];
                break;
            case 2:
                for (int r = start; r < end; r++)
                {
                    int lev = 2 * codes[r];
                    eta[r] += z[2 * r] * b[lev] + z[2 * r + 1] * b[lev + 1];
                }
                break;
            default:
                int d = term.Dimension;
                for (int r = start; r < end; r++)
                {
                    int zo = r * d, bo = codes[r] * d;
                    double e = 0;
                    for (int a = 0; a < d; a++) e += z[zo + a] * b[bo + a];
                    eta[r] += e;
                }
                break;
        }
    }

    /// <summary>The two halves of the rows, one per core; a preallocated job, so a split evaluation allocates nothing.</summary>
    private sealed class EtaJob(GlmmWorkspace ws) : ISplitJob
    {
        public double Deviance0 { get; private set; }

        public double Deviance1 { get; private set; }

        public void Execute(int part)
        {
            int mid = ws._n / 2;
            // Keep the split on a multiple of 4 so both halves run whole vectors.
            mid -= mid % 4;
            if (part == 0) Deviance0 = ws.EtaRange(0, mid);
            else Deviance1 = ws.EtaRange(mid, ws._n);
        }
    }
}

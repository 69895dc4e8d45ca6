using System.Runtime.CompilerServices;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class GlmmWorkspace
{
    /// <summary>From this many observations on, the linear predictor and working values are computed on both cores.</summary>
    private const int ParallelRows = 100_000;

    /// <summary>
    /// η = offset + Xβ + ZΛu, then μ, the working weights and response and the deviance; returns the penalized
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
        double u2 = 0;
        foreach (double v in _u) u2 += v * v;
        Deviance = dev;
        PenaltySquared = u2;
        return double.IsFinite(dev) ? dev + u2 : double.PositiveInfinity;
    }

    /// <summary>η and the family's working values for rows [lo, hi); returns their deviance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double EtaRange(int lo, int hi)
    {
        int n = _n;
        var x = Design.X.Data;
        var terms = Design.TermsArray;
        for (int r = lo; r < hi; r++)
        {
            double e = _offset[r];
            if (_betaHeld) e += _fixedPart[r];
            else
                for (int c = 0; c < _p; c++) e += x[c * n + r] * _beta[c];
            for (int j = 0; j < _k; j++)
            {
                var term = terms[j];
                var z = term.ZArray;
                var b = _effects[j];
                int lev = term.CodesArray[r];
                switch (term.Dimension)
                {
                    case 1: e += z[r] * b[lev]; break;
                    case 2: e += z[2 * r] * b[2 * lev] + z[2 * r + 1] * b[2 * lev + 1]; break;
                    default:
                        int d = term.Dimension, zo = r * d, bo = lev * d;
                        for (int a = 0; a < d; a++) e += z[zo + a] * b[bo + a];
                        break;
                }
            }
            _eta[r] = e;
        }
        int len = hi - lo;
        return Family.UpdateWorking(_eta.AsSpan(lo, len), _y.AsSpan(lo, len), _priorWeights.AsSpan(lo, len), _offset.AsSpan(lo, len),
            _mu.AsSpan(lo, len), _muEta.AsSpan(lo, len), _workingWeights.AsSpan(lo, len), _workingResponse.AsSpan(lo, len), _devResid.AsSpan(lo, len));
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

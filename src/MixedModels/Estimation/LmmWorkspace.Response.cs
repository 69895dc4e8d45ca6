using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    /// <summary>
    /// Replaces the response (the design's offset is subtracted as for the original), updating only the parts of A
    /// that involve y: Z'y, X'y and y'y. The next <see cref="Objective"/> refits to the new response with everything
    /// else reused — one replicate of a parametric bootstrap, or a profile step, costs a refit and no rebuild.
    /// </summary>
    public void SetResponse(ReadOnlySpan<double> y)
    {
        if (y.Length != _n) throw new ArgumentException($"the response has {y.Length} values; the model has {_n} observations");
        var off = _design.OffsetArray;
        if (off is null) SetWorkingResponse(y);
        else
        {
            var w = new double[_n];
            for (int i = 0; i < _n; i++) w[i] = y[i] - off[i];
            SetWorkingResponse(w);
        }
    }

    /// <summary>
    /// Replaces the weights and the response of A = [Z X y]'W[Z X y], refilling every block in its existing storage
    /// (the structure of A and L is kept): one step of penalized iteratively reweighted least squares, where the
    /// weights are the working weights and <paramref name="workingResponse"/> the working response (offset already
    /// subtracted). The next <see cref="SetTheta"/> factors the new A. Allocates nothing after the first call.
    /// </summary>
    public void Reweight(ReadOnlySpan<double> weights, ReadOnlySpan<double> workingResponse)
    {
        if (weights.Length != _n || workingResponse.Length != _n)
            throw new ArgumentException($"weights and response need {_n} values (one per observation)");
        if (_weights is null || _weightsBorrowed) _weights = new double[_n];
        _weightsBorrowed = false;
        if (_weightedColumn.Length < _n) _weightedColumn = new double[_n];
        weights.CopyTo(_weights);
        Array.Clear(_shift);
        FillA(_weights, workingResponse);
    }

    /// <summary>
    /// <see cref="Reweight(ReadOnlySpan{double}, ReadOnlySpan{double})"/> from arrays the caller keeps unchanged
    /// until the next refill (a GLMM's working values): a single-term system is then refilled on both cores, and the
    /// weights are used where they are instead of copied.
    /// </summary>
    internal void Reweight(double[] weights, double[] workingResponse)
    {
        if (!CanFillInParallel || weights.Length != _n || workingResponse.Length != _n)
        {
            Reweight((ReadOnlySpan<double>)weights, workingResponse);
            return;
        }
        _weights = weights;
        _weightsBorrowed = true;
        if (_weightedColumn.Length < _n) _weightedColumn = new double[_n];
        Array.Clear(_shift);
        FillInParallel(weights, workingResponse);
        _factored = false;
    }

    /// <summary>
    /// Refills A from the design's own arrays after their values (not their codes) were rewritten in place — the rows
    /// of y, X and Z premultiplied by a new transformation (nlme's correlation and variance structures). The shift γ of
    /// the response stays the one computed at construction (y − Xγ is exact for any γ). Needs a workspace built with
    /// centre: false and no prior weights; allocates nothing.
    /// </summary>
    internal void Refill()
    {
        if (_centring.Active || _weights is not null)
            throw new InvalidOperationException("Refill needs a workspace without centring or prior weights");
        FillA([], Shifted(_design.ResponseArray));
    }

    /// <summary>Sets the response used in A as it is (no offset subtracted).</summary>
    internal void SetWorkingResponse(ReadOnlySpan<double> y)
    {
        y = Shifted(y);
        if (_weights is not null)
        {
            FillA(_weights, y);
            return;
        }
        int k = _k, n = _n, p = _p, w = p + 1;
        for (int j = 0; j < k; j++)
        {
            var term = _design.TermsArray[j];
            var codes = term.CodesArray;
            var z = term.ZArray;
            int d = _dims[j];
            var data = ((DenseBlock)_a[k][j]).Data;
            for (int col = 0; col < _levels[j] * d; col++) data[col * w + p] = 0;
            for (int r = 0; r < n; r++)
            {
                int col0 = codes[r] * d;
                for (int b = 0; b < d; b++) data[(col0 + b) * w + p] += y[r] * z[r * d + b];
            }
        }
        var xy = ((DenseBlock)_a[k][k]).Data;
        var x = XData;
        for (int c = 0; c < p; c++)
        {
            double s = DenseKernels.Dot(x.AsSpan(c * n, n), y);
            xy[c * w + p] = s;
            xy[p * w + c] = s;
        }
        xy[p * w + p] = DenseKernels.Dot(y, y);
        _factored = false;
    }
}

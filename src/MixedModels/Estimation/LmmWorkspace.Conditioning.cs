using MixedModels.Design;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

public sealed partial class LmmWorkspace
{
    // Numerical conditioning (issue: a response or covariate far from zero). A holds the centred X (ColumnCentring)
    // and the response minus X'γ, γ its least-squares fit: the penalized RSS is then a sum of residual-sized terms
    // instead of a difference of (ȳ/σ)²-sized ones. Both are exact reparameterizations of the same model: β'' = β' − γ
    // and β = C β'. The GLMM's reweighted systems use the centring but not the shift (their working response is
    // already of residual size), so Reweight sets γ to zero.
    private readonly ColumnCentring _centring;
    private readonly double[] _shift;
    private readonly double[] _betaScratch;
    private double[]? _shiftedResponse;

    /// <summary>The X of A: centred when X has an intercept column.</summary>
    private double[] XData => _centring.CentredX ?? _design.X.Data;

    /// <summary>
    /// γ, the (prior-weighted) least-squares coefficients of <paramref name="y"/> on the centred X, refined once, and
    /// y − Xγ; γ is zero (and the residual y) when X is empty, the response is not far from zero for its spread, or
    /// the normal equations are not positive definite.
    /// </summary>
    private static (double[] Gamma, double[] Residual) LeastSquaresShift(double[] x, int n, int p, ReadOnlySpan<double> y, double[]? w, double[]? ones)
    {
        if (p == 0 || !FarFromZero(y, w, ones)) return (new double[p], y.ToArray());
        return LeastSquares(x, n, p, y, w) ?? (new double[p], y.ToArray());
    }

    /// <summary>
    /// The fixed-effects fit alone (θ = 0): y − offset − Xβ̂ with β̂ the prior-weighted least-squares coefficients,
    /// without a factorization of the random effects' blocks (the moment start's residuals); null when the normal
    /// equations are not positive definite.
    /// </summary>
    internal double[]? FixedEffectsResiduals() =>
        _design.IsAggregated ? null : LeastSquares(XData, _n, _p, WorkingResponse(), _weights)?.Residual;

    /// <summary>γ, the (prior-weighted) least-squares coefficients of y on X refined once, and y − Xγ; null when the normal equations are not positive definite.</summary>
    private static (double[] Gamma, double[] Residual)? LeastSquares(double[] x, int n, int p, ReadOnlySpan<double> y, double[]? w)
    {
        var gamma = new double[p];
        var resid = y.ToArray();
        if (p == 0) return (gamma, resid);
        double WeightedDot(ReadOnlySpan<double> u, ReadOnlySpan<double> v)
        {
            if (w is null) return DenseKernels.Dot(u, v);
            double s = 0;
            for (int r = 0; r < u.Length; r++) s += w[r] * u[r] * v[r];
            return s;
        }
        var g = new double[p * p];
        for (int a = 0; a < p; a++)
            for (int b = a; b < p; b++)
            {
                double s = WeightedDot(x.AsSpan(a * n, n), x.AsSpan(b * n, n));
                g[a * p + b] = s;
                g[b * p + a] = s;
            }
        if (!DenseKernels.Cholesky(g, p, p)) return null;
        var step = new double[p];
        for (int pass = 0; pass < 2; pass++)
        {
            for (int a = 0; a < p; a++) step[a] = WeightedDot(x.AsSpan(a * n, n), resid);
            DenseKernels.SolveLower(g, p, p, step);
            DenseKernels.SolveLowerTranspose(g, p, p, step);
            foreach (double v in step) if (!double.IsFinite(v)) return null;
            for (int a = 0; a < p; a++)
            {
                gamma[a] += step[a];
                DenseKernels.Axpy(-step[a], x.AsSpan(a * n, n), resid);
            }
        }
        return (gamma, resid);
    }

    /// <summary>
    /// True when the response's (weighted) mean exceeds <see cref="ColumnCentring.Ratio"/> times its SD: only then does
    /// r² from the factor of [X y]'[X y] cancel noticeably, and only then is the response replaced by its residual.
    /// </summary>
    private static bool FarFromZero(ReadOnlySpan<double> y, double[]? w, double[]? ones)
    {
        var (mean, sd) = DesignConditioning.MeanSd(y, w, ones);
        return Math.Abs(mean) > ColumnCentring.Ratio * sd;
    }

    /// <summary>The response of A: <paramref name="y"/> minus X'γ (the same array when γ is zero).</summary>
    private ReadOnlySpan<double> Shifted(ReadOnlySpan<double> y)
    {
        if (_shift.AsSpan().IndexOfAnyExcept(0.0) < 0) return y;
        _shiftedResponse ??= new double[_n];
        y.CopyTo(_shiftedResponse);
        var x = XData;
        for (int c = 0; c < _p; c++)
            if (_shift[c] != 0) DenseKernels.Axpy(-_shift[c], x.AsSpan(c * _n, _n), _shiftedResponse);
        return _shiftedResponse;
    }

    /// <summary>β in X's coordinates → β of the factor, into the workspace's scratch. Allocates nothing.</summary>
    private ReadOnlySpan<double> OriginalBetaToFactor(ReadOnlySpan<double> beta)
    {
        if (beta.Length < _p) return beta;
        var b = _betaScratch.AsSpan(0, _p);
        beta[.._p].CopyTo(b);
        _centring.FromOriginal(b);
        for (int i = 0; i < _p; i++) b[i] -= _shift[i];
        return b;
    }
}

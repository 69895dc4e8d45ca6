using MixedModels.LinearAlgebra;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Satterthwaite's degrees of freedom for t and F tests of fixed effects, as lmerTest computes them: the
/// asymptotic covariance of the variance parameters (θ, σ) is twice the inverse Hessian of the deviance at the
/// estimates, and the gradient of Var(Lβ̂) in those parameters comes from the Jacobian of cov(β̂)(θ, σ); then
/// df = 2 Var(l'β̂)² / (g' A g). The σ derivatives are analytic; the θ derivatives of the deviance's parts
/// (log-determinants, r²(θ), (X'V⁻¹X)⁻¹) are central differences with Richardson extrapolation.
/// </summary>
public sealed class Satterthwaite
{
    private readonly double[,] _vcovBeta;
    private readonly double[,] _vcovVarpar;
    private readonly double[][,] _jacobian;
    private readonly double[] _beta;
    private readonly string[] _names;
    private readonly double _sigma;
    private readonly double[] _thetaScale;

    private Satterthwaite(double[,] vcovBeta, double[,] vcovVarpar, double[][,] jacobian, double[] beta, string[] names, double sigma, List<string> warnings,
        double[] thetaScale)
    {
        _thetaScale = thetaScale;
        _vcovBeta = vcovBeta;
        _vcovVarpar = vcovVarpar;
        _jacobian = jacobian;
        _beta = beta;
        _names = names;
        _sigma = sigma;
        Warnings = warnings.AsReadOnly();
    }

    /// <summary>lmerTest's warnings about the Hessian (negative or near-zero eigenvalues).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The asymptotic covariance matrix of (θ, σ): twice the (pseudo-)inverse Hessian of the deviance.</summary>
    public double[,] VarianceParameterCovariance()
    {
        var a = (double[,])_vcovVarpar.Clone();
        int m = a.GetLength(0);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++)
                a[i, j] *= (i < _thetaScale.Length ? _thetaScale[i] : 1) * (j < _thetaScale.Length ? _thetaScale[j] : 1);
        return a;
    }

    /// <summary>Computes the derivatives at the fit (about 4·k(k+1) objective evaluations for k covariance parameters).</summary>
    public static Satterthwaite Compute(LinearMixedModel model)
    {
        var ws = model.CreateWorkspace();
        int k = model.Theta.Count, p = model.FixedEffects.Count, n = model.Observations;
        double sigma = model.Sigma;
        // Derivatives are taken in the optimizer's units u = θ / scale (θ itself for every ordinary design; a random
        // slope far from unit scale would otherwise give a Hessian too ill-conditioned to invert). The df are the same
        // in any parameterization; the covariance of the variance parameters is returned in θ's units.
        var scale = Estimation.ParameterMap.Theta(model.Design).Scale.ToArray();
        var theta = model.Theta.Select((t, i) => t / scale[i]).ToArray();
        bool reml = model.Reml;
        var tBuffer = new double[k];
        // The θ-dependent parts: g = log-determinants, r², and the entries of U = (X'V⁻¹X)⁻¹/σ² ... (L_X L_X')⁻¹.
        double[] Parts(double[] uu)
        {
            for (int i = 0; i < k; i++) tBuffer[i] = uu[i] * scale[i];
            ws.SetTheta(tBuffer);
            var u = ws.UnscaledCovariance();
            var result = new double[2 + p * p];
            result[0] = ws.LogDetZ + (reml ? ws.LogDetX : 0);
            result[1] = ws.PenalizedRss;
            for (int i = 0; i < p; i++) for (int j = 0; j < p; j++) result[2 + i * p + j] = u[i, j];
            return result;
        }
        var steps = theta.Select(t => 0.02 * Math.Max(1, Math.Abs(t))).ToArray();
        var parts0 = Parts(theta);
        var (grad, hess) = k > 0 ? NumericalDerivatives.GradientAndHessian(Parts, theta, steps) : (new double[2 + p * p][], new double[2 + p * p][,]);
        double r2 = parts0[1];
        double nPrime = reml ? n - p : n;

        var h = new double[k + 1, k + 1];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++) h[i, j] = hess[0][i, j] + hess[1][i, j] / (sigma * sigma);
            h[i, k] = h[k, i] = -2 * grad[1][i] / (sigma * sigma * sigma);
        }
        h[k, k] = 6 * r2 / Math.Pow(sigma, 4) - 2 * nPrime / (sigma * sigma);

        var warnings = new List<string>();
        var (values, vectors) = SymmetricEigen.Decompose(h);
        const double tol = 1e-8;
        var negative = values.Where(v => v < -tol).ToArray();
        var zero = values.Where(v => v > -tol && v < tol).ToArray();
        if (negative.Length > 0)
            warnings.Add($"Model failed to converge with {negative.Length} negative eigenvalue{(negative.Length > 1 ? "s" : "")}: {string.Join(" ", negative.Select(v => v.ToString("0.0e+00", System.Globalization.CultureInfo.InvariantCulture)))}");
        if (zero.Length > 0)
            warnings.Add($"Model may not have converged with {zero.Length} eigenvalue{(zero.Length > 1 ? "s" : "")} close to zero: {string.Join(" ", zero.Select(v => v.ToString("0.0e+00", System.Globalization.CultureInfo.InvariantCulture)))}");
        var a = new double[k + 1, k + 1];
        for (int c = 0; c <= k; c++)
        {
            if (!(values[c] > tol)) continue;
            for (int i = 0; i <= k; i++)
                for (int j = 0; j <= k; j++) a[i, j] += 2 * vectors[i, c] * vectors[j, c] / values[c];
        }

        var jac = new double[k + 1][,];
        for (int i = 0; i <= k; i++)
        {
            jac[i] = new double[p, p];
            for (int r = 0; r < p; r++)
                for (int c = 0; c < p; c++)
                    jac[i][r, c] = i < k ? sigma * sigma * grad[2 + r * p + c][i] : 2 * sigma * parts0[2 + r * p + c];
        }
        var vcov = model.FixedEffectsCovariance();
        var beta = model.FixedEffects.Select(f => f.Estimate).ToArray();
        var names = model.FixedEffects.Select(f => f.Name).ToArray();
        return new Satterthwaite(vcov, a, jac, beta, names, sigma, warnings, scale);
    }

    private static double QuadraticForm(ReadOnlySpan<double> x, double[,] m)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
            for (int j = 0; j < x.Length; j++) s += x[i] * m[i, j] * x[j];
        return s;
    }

    /// <summary>The t test of l'β = 0 (lmerTest's <c>contest1D</c>).</summary>
    public TTest Test(ReadOnlySpan<double> contrast, string? name = null)
    {
        if (contrast.Length != _beta.Length) throw new ArgumentException($"the contrast has {contrast.Length} elements; the model has {_beta.Length} fixed effects");
        double estimate = 0;
        for (int i = 0; i < _beta.Length; i++) estimate += contrast[i] * _beta[i];
        double variance = QuadraticForm(contrast, _vcovBeta);
        double df = Df(contrast, variance);
        double se = Math.Sqrt(variance);
        double t = estimate / se;
        return new TTest(name ?? "contrast", estimate, se, df, t, TwoSidedP(t, df));
    }

    private double Df(ReadOnlySpan<double> contrast, double variance)
    {
        var g = new double[_jacobian.Length];
        for (int i = 0; i < g.Length; i++) g[i] = QuadraticForm(contrast, _jacobian[i]);
        return 2 * variance * variance / QuadraticForm(g, _vcovVarpar);
    }

    /// <summary>The t tests of every fixed effect (the columns lmerTest adds to the summary).</summary>
    public IReadOnlyList<TTest> Coefficients() => TTest.EachCoefficient(_names, (e, name) => Test(e, name));

    /// <summary>
    /// The F test of Lβ = 0 (lmerTest's <c>contestMD</c>): L V L' is diagonalized, the F statistic averages the
    /// squared t statistics of its eigen-directions, and the denominator df combines their Satterthwaite df.
    /// </summary>
    public FTest Test(double[,] contrasts, string term)
    {
        int rows = contrasts.GetLength(0), p = _beta.Length;
        var lvl = new double[rows, rows];
        for (int a = 0; a < rows; a++)
            for (int b = 0; b < rows; b++)
            {
                double s = 0;
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) s += contrasts[a, i] * _vcovBeta[i, j] * contrasts[b, j];
                lvl[a, b] = s;
            }
        var (d, vectors) = SymmetricEigen.Decompose(lvl);
        double tol = Math.Max(Math.Sqrt(2.220446049250313e-16) * d[0], 0);
        int q = d.Count(v => v > tol);
        if (q == 0) return new FTest(term, double.NaN, double.NaN, 0, double.NaN, double.NaN, double.NaN);
        var ptl = new double[q][];
        for (int m = 0; m < q; m++)
        {
            ptl[m] = new double[p];
            for (int j = 0; j < p; j++)
                for (int a = 0; a < rows; a++) ptl[m][j] += vectors[a, m] * contrasts[a, j];
        }
        if (q == 1)
        {
            var t = Test(ptl[0]);
            return FTable(term, t.TValue * t.TValue, 1, t.Df);
        }
        double fvalue = 0;
        var nu = new double[q];
        for (int m = 0; m < q; m++)
        {
            double lb = 0;
            for (int j = 0; j < p; j++) lb += ptl[m][j] * _beta[j];
            fvalue += lb * lb / d[m];
            nu[m] = Df(ptl[m], d[m]);
        }
        fvalue /= q;
        return FTable(term, fvalue, q, CombineDf(nu));
    }

    /// <summary>lmerTest's <c>get_Fstat_ddf</c>: the df of an F statistic from the df of its q independent t statistics.</summary>
    internal static double CombineDf(double[] nu)
    {
        if (nu.Length == 1) return nu[0];
        bool equal = true;
        for (int i = 1; i < nu.Length; i++) if (Math.Abs(nu[i] - nu[i - 1]) >= 1e-8) equal = false;
        if (equal) return nu.Average();
        if (nu.Any(v => v <= 2)) return 2;
        double e = nu.Sum(v => v / (v - 2));
        return 2 * e / (e - nu.Length);
    }

    private FTest FTable(string term, double fvalue, int ndf, double ddf)
    {
        double ms = fvalue * _sigma * _sigma;
        return new FTest(term, ms * ndf, ms, ndf, ddf, fvalue, FUpperTail(fvalue, ndf, ddf));
    }

    internal static double TwoSidedP(double t, double df) => Probability.TwoSidedT(t, df);

    internal static double FUpperTail(double f, double ndf, double ddf) => Probability.FUpper(f, ndf, ddf);
}

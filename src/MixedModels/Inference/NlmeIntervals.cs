using System.Globalization;
using System.Text;
using MixedModels.Formatting;
using MixedModels.LinearAlgebra;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One approximate interval of nlme's <c>intervals()</c>.</summary>
/// <param name="Name">nlme's label (<c>(Intercept)</c>, <c>sd((Intercept))</c>, <c>cor((Intercept),Days)</c>).</param>
/// <param name="Lower">Lower limit.</param>
/// <param name="Estimate">Estimate.</param>
/// <param name="Upper">Upper limit.</param>
public sealed record NlmeInterval(string Name, double Lower, double Estimate, double Upper);

/// <summary>
/// nlme's <c>intervals()</c> of an lme fit: t intervals for the fixed effects with nlme's standard errors and df, and
/// for the random effects' SDs and correlations and σ normal intervals on nlme's natural scale (log SD, log((1 + ρ)/(1 −
/// ρ)), log σ) from the inverse Hessian of the ML log-likelihood in those parameters, β profiled, computed here by
/// central differences; the limits transformed back. REML fits are refused for now (see <see cref="Compute"/>).
/// </summary>
public sealed class NlmeIntervals
{
    private NlmeIntervals(double level, IReadOnlyList<NlmeInterval> fixedEffects, IReadOnlyList<(string Level, IReadOnlyList<NlmeInterval> Rows)> random, NlmeInterval sigma)
    {
        Level = level;
        FixedEffects = fixedEffects;
        RandomEffects = random;
        Sigma = sigma;
    }

    /// <summary>The confidence level.</summary>
    public double Level { get; }

    /// <summary>The fixed effects' intervals.</summary>
    public IReadOnlyList<NlmeInterval> FixedEffects { get; }

    /// <summary>Per grouping level (outermost first), its SDs' and correlations' intervals.</summary>
    public IReadOnlyList<(string Level, IReadOnlyList<NlmeInterval> Rows)> RandomEffects { get; }

    /// <summary>The within-group standard error σ's interval.</summary>
    public NlmeInterval Sigma { get; }

    /// <summary>The intervals of an lme fit (a model with random effects).</summary>
    public static NlmeIntervals Compute(LinearMixedModel model, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(model);
        Inference.Level.Check(level);
        if (model.Design.RandomTerms.Count == 0) throw new ModelException("intervals() of a gls fit are not supported yet; an lme fit's are");
        if (model.Reml)
            throw new ModelException("intervals() of an lme fit by REML are not supported yet: nlme's approximate covariance of a REML fit's variance parameters is not reproduced here (its correlation limits are wider than the Hessian of the REML log-likelihood gives); fit with method = \"ML\"");
        // intervals() uses nlme's varFix as it is (summary() adjusts an ML fit's by n/(n − p); intervals() does not).
        var df = NlmeDf.Compute(model);
        var fixedRows = model.FixedEffects.Select((f, i) =>
        {
            double half = Probability.TQuantile((1 + level) / 2, df[i]) * f.StandardError;
            return new NlmeInterval(f.Name, f.Estimate - half, f.Estimate, f.Estimate + half);
        }).ToArray();
        var comps = model.VarianceComponents;
        // Natural parameters: per term its log SDs, then log((1 + ρ)/(1 − ρ)) of each pair; log σ last.
        var phi = new List<double>();
        foreach (var c in comps)
        {
            int d = c.Columns.Count;
            for (int a = 0; a < d; a++)
            {
                if (!(c.StandardDeviations[a] > 0)) throw new ModelException($"Non-positive definite approximate variance-covariance: the SD of {c.Columns[a]} in {c.Name} is 0 (nlme refuses the intervals too)");
                phi.Add(Math.Log(c.StandardDeviations[a]));
            }
            for (int a = 0; a < d; a++) for (int b = a + 1; b < d; b++) { double r = c.Correlation(a, b); phi.Add(Math.Log((1 + r) / (1 - r))); }
        }
        phi.Add(Math.Log(model.Sigma));
        var x0 = phi.ToArray();
        var ws = model.CreateWorkspace();
        double F(double[] x) => MinusLogLikelihood(ws, model, x);
        var hessian = NumericalDerivatives(F, x0);
        var cov = SmallMatrix.InverseSpd(hessian) ?? throw new ModelException("Non-positive definite approximate variance-covariance (nlme's message): the intervals of the variance parameters cannot be computed");
        double z = Probability.NormalQuantile((1 + level) / 2);
        int k = 0;
        var byTerm = new IReadOnlyList<NlmeInterval>[comps.Count];
        for (int t = 0; t < comps.Count; t++)
        {
            var c = comps[t];
            int d = c.Columns.Count;
            var rows = new List<NlmeInterval>();
            for (int a = 0; a < d; a++, k++)
            {
                double se = Math.Sqrt(cov[k, k]);
                rows.Add(new NlmeInterval($"sd({c.Columns[a]})", Math.Exp(x0[k] - z * se), Math.Exp(x0[k]), Math.Exp(x0[k] + z * se)));
            }
            for (int a = 0; a < d; a++)
                for (int b = a + 1; b < d; b++, k++)
                {
                    double se = Math.Sqrt(cov[k, k]);
                    rows.Add(new NlmeInterval($"cor({c.Columns[a]},{c.Columns[b]})", Math.Tanh((x0[k] - z * se) / 2), c.Correlation(a, b), Math.Tanh((x0[k] + z * se) / 2)));
                }
            byTerm[t] = rows;
        }
        double seSigma = Math.Sqrt(cov[k, k]);
        var sigma = new NlmeInterval("sigma", Math.Exp(x0[k] - z * seSigma), model.Sigma, Math.Exp(x0[k] + z * seSigma));
        var ordered = NlmeConventions.Levels(model).Select(l => (l.Name, (IReadOnlyList<NlmeInterval>)l.Terms.SelectMany(t => byTerm[t]).ToArray())).ToArray();
        return new NlmeIntervals(level, fixedRows, ordered, sigma);
    }

    /// <summary>−log-likelihood at natural parameters x (β profiled): θ from the SDs and correlations relative to σ.</summary>
    private static double MinusLogLikelihood(Estimation.LmmWorkspace ws, LinearMixedModel model, double[] x)
    {
        var comps = model.VarianceComponents;
        double sigma = Math.Exp(x[^1]);
        var theta = new List<double>();
        int k = 0;
        foreach (var c in comps)
        {
            int d = c.Columns.Count;
            var sd = new double[d];
            for (int a = 0; a < d; a++) sd[a] = Math.Exp(x[k++]);
            var cov = new double[d, d];
            for (int a = 0; a < d; a++) cov[a, a] = sd[a] * sd[a] / (sigma * sigma);
            for (int a = 0; a < d; a++)
                for (int b = a + 1; b < d; b++)
                {
                    double r = Math.Tanh(x[k++] / 2);
                    cov[a, b] = cov[b, a] = r * sd[a] * sd[b] / (sigma * sigma);
                }
            var l = SmallMatrix.CholeskyLower(cov);
            if (l is null) return double.PositiveInfinity;
            for (int col = 0; col < d; col++) for (int row = col; row < d; row++) theta.Add(l[row, col]);
        }
        ws.SetTheta(theta.ToArray());
        int n = model.Observations, p = model.FixedEffects.Count;
        double s2 = sigma * sigma;
        double m2 = model.Reml
            ? ws.LogDetZ + ws.LogDetX + (n - p) * Math.Log(2 * Math.PI * s2) + ws.PenalizedRss / s2
            : ws.LogDetZ + n * Math.Log(2 * Math.PI * s2) + ws.PenalizedRss / s2;
        return m2 / 2;
    }

    /// <summary>The Hessian by central differences with steps 1e-4 (1 + |x|).</summary>
    private static double[,] NumericalDerivatives(Func<double[], double> f, double[] x)
    {
        int m = x.Length;
        var h = x.Select(v => 1e-4 * (1 + Math.Abs(v))).ToArray();
        var hess = new double[m, m];
        double f0 = f(x);
        double At(int i, double di, int j, double dj)
        {
            var y = (double[])x.Clone();
            y[i] += di;
            y[j] += dj;
            return f(y);
        }
        for (int i = 0; i < m; i++)
        {
            hess[i, i] = (At(i, h[i], i, 0) - 2 * f0 + At(i, -h[i], i, 0)) / (h[i] * h[i]);
            for (int j = 0; j < i; j++)
                hess[i, j] = hess[j, i] = (At(i, h[i], j, h[j]) - At(i, h[i], j, -h[j]) - At(i, -h[i], j, h[j]) + At(i, -h[i], j, -h[j])) / (4 * h[i] * h[j]);
        }
        return hess;
    }

    /// <summary>The intervals as nlme prints them.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Approximate {RFormat.Cat(100 * Level)}% confidence intervals\n\n Fixed effects:\n");
        Matrix(sb, FixedEffects);
        sb.Append("\n Random Effects:\n");
        foreach (var (name, rows) in RandomEffects)
        {
            sb.Append("  Level: ").Append(name).Append(" \n");
            Matrix(sb, rows);
        }
        sb.Append("\n Within-group standard error:\n");
        TextMatrix.PrintNamedVector(sb, ["lower", "est.", "upper"], RFormat.Format([Sigma.Lower, Sigma.Estimate, Sigma.Upper], 7));
        return sb.ToString();
    }

    /// <summary>A numeric matrix as R prints it: each column formatted on its own.</summary>
    private static void Matrix(StringBuilder sb, IReadOnlyList<NlmeInterval> rows)
    {
        var lower = RFormat.Format(rows.Select(r => r.Lower).ToArray(), 7);
        var est = RFormat.Format(rows.Select(r => r.Estimate).ToArray(), 7);
        var upper = RFormat.Format(rows.Select(r => r.Upper).ToArray(), 7);
        var cells = new string[rows.Count, 3];
        for (int i = 0; i < rows.Count; i++) { cells[i, 0] = lower[i]; cells[i, 1] = est[i]; cells[i, 2] = upper[i]; }
        TextMatrix.Print(sb, rows.Select(r => r.Name).ToArray(), ["lower", "est.", "upper"], cells, right: true);
    }
}

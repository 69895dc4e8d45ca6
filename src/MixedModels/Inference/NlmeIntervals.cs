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
/// nlme's <c>intervals()</c> of an lme or gls fit: t intervals for the fixed effects with nlme's standard errors and
/// df, and for the variance parameters normal intervals on nlme's scale of its approximate covariance (apVar): log SDs
/// and log((1 + ρ)/(1 − ρ)) of the random effects, the correlation structure's and variance function's unconstrained
/// parameters (corSymm's correlations as log((1 + r)/(1 − r))), log σ — from the inverse Hessian of the (restricted)
/// log-likelihood in those parameters, β profiled, by central differences; the limits transformed back as nlme does.
/// nlme computes its Hessian with finite-difference steps of 6e-6 relative (fdHess), whose rounding error moves its
/// variances by up to about 1%; this Hessian is the accurate one, so the variance parameters' limits agree with
/// nlme's to about 1% of the interval's half-width.
/// </summary>
public sealed class NlmeIntervals
{
    private NlmeIntervals(double level, IReadOnlyList<NlmeInterval> fixedEffects, IReadOnlyList<(string Level, IReadOnlyList<NlmeInterval> Rows)> random,
        IReadOnlyList<NlmeInterval> correlation, IReadOnlyList<NlmeInterval> variance, NlmeInterval sigma, bool gls)
    {
        Level = level;
        FixedEffects = fixedEffects;
        RandomEffects = random;
        Correlation = correlation;
        Variance = variance;
        Sigma = sigma;
        IsGls = gls;
    }

    /// <summary>The confidence level.</summary>
    public double Level { get; }

    /// <summary>The fixed effects' intervals.</summary>
    public IReadOnlyList<NlmeInterval> FixedEffects { get; }

    /// <summary>Per grouping level (outermost first), its SDs' and correlations' intervals (none for gls).</summary>
    public IReadOnlyList<(string Level, IReadOnlyList<NlmeInterval> Rows)> RandomEffects { get; }

    /// <summary>The correlation structure's parameters (natural scale; empty without one).</summary>
    public IReadOnlyList<NlmeInterval> Correlation { get; }

    /// <summary>The variance function's estimated parameters (natural scale; empty without one).</summary>
    public IReadOnlyList<NlmeInterval> Variance { get; }

    /// <summary>The within-group (residual) standard error σ's interval.</summary>
    public NlmeInterval Sigma { get; }

    /// <summary>True for a gls fit (no random effects).</summary>
    public bool IsGls { get; }

    /// <summary>The intervals of an lme fit without variance function or correlation structure.</summary>
    public static NlmeIntervals Compute(LinearMixedModel model, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(model);
        Inference.Level.Check(level);
        if (model.Design.RandomTerms.Count == 0) throw new ModelException("intervals() of a gls fit: give the call to NlmeModel (ModelCall.FitNlme), whose intervals cover gls");
        var ws = model.CreateWorkspace();
        Parts? Evaluate(double[] theta, double[] structure)
        {
            ws.SetTheta(theta);
            return new Parts(ws.LogDetZ, ws.LogDetX, ws.PenalizedRss, 0);
        }
        return Compute(model, model.Design, null, null, [], Evaluate, level);
    }

    /// <summary>The intervals of a gls or lme fit with or without nlme's variance function and correlation structure.</summary>
    public static NlmeIntervals Compute(NlmeModel model, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(model);
        Inference.Level.Check(level);
        var (objective, _) = model.ObjectiveAtEstimates();
        Parts? Evaluate(double[] theta, double[] structure) =>
            objective.Parts(theta, structure, out double z, out double x, out double r, out double j) ? new Parts(z, x, r, j) : null;
        return Compute(model.Transformed, model.Design, model.BoundCorrelation, model.BoundVariance, [.. model.UnconstrainedParameters], Evaluate, level,
            NlmeModel.FixedMask(model.BoundCorrelation, model.BoundVariance));
    }

    private sealed record Parts(double LogDetZ, double LogDetX, double Pwrss, double LogJacobian);

    private static NlmeIntervals Compute(LinearMixedModel model, Design.ModelDesign design, Structures.BoundCorrelation? cor, Structures.BoundVariance? variance,
        double[] structure, Func<double[], double[], Parts?> evaluate, double level, bool[]? fixedStructure = null)
    {
        // intervals() of an lme fit uses nlme's varFix as it is (summary() adjusts an ML fit's by n/(n − p); intervals()
        // does not); a gls fit's varBeta has the adjustment.
        var df = NlmeDf.Compute(design);
        double seScale = design.RandomTerms.Count == 0 ? Math.Sqrt(NlmeConventions.CovarianceScale(model)) : 1;
        var fixedRows = model.FixedEffects.Select((f, i) =>
        {
            double half = Probability.TQuantile((1 + level) / 2, df[i]) * f.StandardError * seScale;
            return new NlmeInterval(f.Name, f.Estimate - half, f.Estimate, f.Estimate + half);
        }).ToArray();
        var comps = model.VarianceComponents;
        // nlme's apVar scale: per term its log SDs, then log((1 + ρ)/(1 − ρ)) of each pair; the structures; log σ last.
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
        int reCount = phi.Count, corCount = cor?.ParameterCount ?? 0;
        if (cor is not null) phi.AddRange(cor.ToIntervalScale(structure.AsSpan(0, corCount)));
        phi.AddRange(structure[corCount..]);
        phi.Add(Math.Log(model.Sigma));
        var x0 = phi.ToArray();
        // Parameters held fixed (nlme's fixed =) are not in the approximate covariance: their limits are their values.
        var free = Enumerable.Range(0, x0.Length).Where(i => i < reCount || i == x0.Length - 1 || fixedStructure is null || !fixedStructure[i - reCount]).ToArray();
        double F(double[] y)
        {
            var x = (double[])x0.Clone();
            for (int j = 0; j < free.Length; j++) x[free[j]] = y[j];
            return MinusLogLikelihood(model, cor, reCount, corCount, x, evaluate);
        }
        var hessian = NumericalDerivatives(F, free.Select(i => x0[i]).ToArray());
        var cov = SmallMatrix.InverseSpd(hessian) ?? throw new ModelException("Non-positive definite approximate variance-covariance (nlme's message): the intervals of the variance parameters cannot be computed");
        double z = Probability.NormalQuantile((1 + level) / 2);
        var half = new double[x0.Length];
        for (int j = 0; j < free.Length; j++) half[free[j]] = z * Math.Sqrt(cov[j, j]);
        int k = 0;
        var byTerm = new IReadOnlyList<NlmeInterval>[comps.Count];
        for (int t = 0; t < comps.Count; t++)
        {
            var c = comps[t];
            int d = c.Columns.Count;
            var rows = new List<NlmeInterval>();
            for (int a = 0; a < d; a++, k++)
                rows.Add(new NlmeInterval($"sd({c.Columns[a]})", Math.Exp(x0[k] - half[k]), Math.Exp(x0[k]), Math.Exp(x0[k] + half[k])));
            for (int a = 0; a < d; a++)
                for (int b = a + 1; b < d; b++, k++)
                    rows.Add(new NlmeInterval($"cor({c.Columns[a]},{c.Columns[b]})", Math.Tanh((x0[k] - half[k]) / 2), c.Correlation(a, b), Math.Tanh((x0[k] + half[k]) / 2)));
            byTerm[t] = rows;
        }
        var corRows = new List<NlmeInterval>();
        if (cor is not null && !cor.AllFixed)
        {
            // nlme maps the vectors of lower and upper limits through the structure's natural parameterization.
            var est = x0.AsSpan(k, corCount);
            var names = cor.Natural(structure.AsSpan(0, corCount)).Names;
            var lo = cor.NaturalFromIntervalScale(Shifted(est, half.AsSpan(k, corCount), -1));
            var mid = cor.NaturalFromIntervalScale(est);
            var hi = cor.NaturalFromIntervalScale(Shifted(est, half.AsSpan(k, corCount), +1));
            // A parameter decreasing in its unconstrained one (an MA coefficient here) keeps its limits in order, as nlme prints them.
            for (int i = 0; i < names.Length; i++) corRows.Add(new NlmeInterval(names[i], Math.Min(lo[i], hi[i]), mid[i], Math.Max(lo[i], hi[i])));
        }
        k += corCount;
        var varRows = new List<NlmeInterval>();
        if (variance is not null)
        {
            int count = variance.ParameterCount;
            var est = x0.AsSpan(k, count);
            var lo = variance.Natural(Shifted(est, half.AsSpan(k, count), -1)).ToArray();
            var mid = variance.Natural(est).ToArray();
            var hi = variance.Natural(Shifted(est, half.AsSpan(k, count), +1)).ToArray();
            // A stratum fixed at 1 (varIdent's reference) is not estimated: nlme leaves it out.
            for (int i = 0; i < mid.Length; i++)
                if (!(lo[i].Value == mid[i].Value && hi[i].Value == mid[i].Value)) varRows.Add(new NlmeInterval(mid[i].Name, lo[i].Value, mid[i].Value, hi[i].Value));
            k += count;
        }
        var sigma = new NlmeInterval("sigma", Math.Exp(x0[k] - half[k]), model.Sigma, Math.Exp(x0[k] + half[k]));
        var ordered = comps.Count == 0 ? [] : NlmeConventions.Levels(model).Select(l => (l.Name, (IReadOnlyList<NlmeInterval>)l.Terms.SelectMany(t => byTerm[t]).ToArray())).ToArray();
        return new NlmeIntervals(level, fixedRows, ordered, corRows, varRows, sigma, design.RandomTerms.Count == 0);
    }

    private static double[] Shifted(ReadOnlySpan<double> x, ReadOnlySpan<double> by, int sign)
    {
        var r = x.ToArray();
        for (int i = 0; i < r.Length; i++) r[i] += sign * by[i];
        return r;
    }

    /// <summary>
    /// −log-likelihood at x on the apVar scale (β profiled): θ from the SDs and correlations relative to σ, the
    /// structures' parameters, σ given (the restricted likelihood for REML, with n − p).
    /// </summary>
    private static double MinusLogLikelihood(LinearMixedModel model, Structures.BoundCorrelation? cor, int reCount, int corCount, double[] x,
        Func<double[], double[], Parts?> evaluate)
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
            var cv = new double[d, d];
            for (int a = 0; a < d; a++) cv[a, a] = sd[a] * sd[a] / (sigma * sigma);
            for (int a = 0; a < d; a++)
                for (int b = a + 1; b < d; b++)
                {
                    double r = Math.Tanh(x[k++] / 2);
                    cv[a, b] = cv[b, a] = r * sd[a] * sd[b] / (sigma * sigma);
                }
            var l = SmallMatrix.CholeskyLower(cv);
            if (l is null) return double.PositiveInfinity;
            for (int col = 0; col < d; col++) for (int row = col; row < d; row++) theta.Add(l[row, col]);
        }
        var structure = new double[x.Length - 1 - reCount];
        if (cor is not null && !cor.FromIntervalScale(x.AsSpan(reCount, corCount), structure.AsSpan(0, corCount))) return double.PositiveInfinity;
        x.AsSpan(reCount + corCount, structure.Length - corCount).CopyTo(structure.AsSpan(corCount));
        if (evaluate(theta.ToArray(), structure) is not { } parts) return double.PositiveInfinity;
        int n = model.Observations, p = model.FixedEffects.Count;
        double s2 = sigma * sigma;
        double m2 = model.Reml
            ? parts.LogDetZ + parts.LogDetX + (n - p) * Math.Log(2 * Math.PI * s2) + parts.Pwrss / s2
            : parts.LogDetZ + n * Math.Log(2 * Math.PI * s2) + parts.Pwrss / s2;
        return m2 / 2 - parts.LogJacobian;
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
        sb.Append(CultureInfo.InvariantCulture, $"Approximate {RFormat.Cat(100 * Level)}% confidence intervals\n\n {(IsGls ? "Coefficients" : "Fixed effects")}:\n");
        Matrix(sb, FixedEffects);
        if (!IsGls)
        {
            sb.Append("\n Random Effects:\n");
            foreach (var (name, rows) in RandomEffects)
            {
                sb.Append("  Level: ").Append(name).Append(" \n");
                Matrix(sb, rows);
            }
        }
        if (Correlation.Count > 0)
        {
            sb.Append("\n Correlation structure:\n");
            Matrix(sb, Correlation);
        }
        if (Variance.Count > 0)
        {
            sb.Append("\n Variance function:\n");
            Matrix(sb, Variance);
        }
        sb.Append(IsGls ? "\n Residual standard error:\n" : "\n Within-group standard error:\n");
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

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Structures;

namespace MixedModels.Results;

/// <summary>
/// A gls or lme fit with nlme's variance function and/or correlation structure: the estimates of the fixed effects,
/// the random effects' covariance, σ and the structures' parameters (nlme's natural scale), nlme's log-likelihood,
/// and the residuals of nlme's kinds. Immutable.
/// </summary>
public sealed partial class NlmeModel
{
    private readonly double[] _structure, _fitted, _residuals, _pearson, _normalized, _sd;
    private readonly BoundCorrelation? _cor;
    private readonly BoundVariance? _var;

    private NlmeModel(ModelDesign design, LinearMixedModel inner, NlmeFitOptions options, BoundCorrelation? cor, BoundVariance? variance,
        StructuredFit fit, double logLik, double[] fitted, double[] pearson, double[] normalized, double[] residuals, double[] sd)
    {
        _sd = sd;
        Design = design;
        Transformed = inner;
        Options = options;
        _cor = cor;
        _var = variance;
        _structure = fit.Structure;
        Optimization = fit.Optimization;
        LogLikelihood = logLik;
        _fitted = fitted;
        _pearson = pearson;
        _normalized = normalized;
        _residuals = residuals;
        Warnings = [.. inner.Warnings.Where(w => !w.StartsWith("optimizer", StringComparison.Ordinal)), .. fit.Warnings];
    }

    /// <summary>The model's design on the data's own rows.</summary>
    public ModelDesign Design { get; }

    /// <summary>
    /// The equivalent linear mixed model on the decorrelated, rescaled rows at the estimates: its β̂, their covariance,
    /// σ̂, θ̂, variance components and conditional modes are this model's (its likelihood and residuals are not).
    /// </summary>
    public LinearMixedModel Transformed { get; }

    /// <summary>The options of the fit (REML or ML, the structures).</summary>
    public NlmeFitOptions Options { get; }

    /// <summary>True for a REML fit.</summary>
    public bool Reml => Options.Reml;

    /// <summary>nlme's log-likelihood (restricted for REML).</summary>
    public double LogLikelihood { get; }

    /// <summary>The number of parameters: β, the random effects' covariance, σ and the structures' parameters.</summary>
    public int ParameterCount => Transformed.ParameterCount + _structure.Length - FixedParameterCount;

    /// <summary>AIC.</summary>
    public double Aic => -2 * LogLikelihood + 2 * ParameterCount;

    /// <summary>nlme's BIC (with n − p observations for REML).</summary>
    public double Bic => Inference.NlmeConventions.Bic(LogLikelihood, ParameterCount, Observations, Transformed.FixedEffects.Count, Reml);

    /// <summary>The number of observations.</summary>
    public int Observations => Design.Observations;

    /// <summary>σ̂, the residual standard deviation (for g = 1 and no correlation).</summary>
    public double Sigma => Transformed.Sigma;

    /// <summary>The fixed effects (standard errors as lme4 computes them; nlme's summary scales ML ones by n/(n − p)).</summary>
    public FixedEffectList FixedEffects => Transformed.FixedEffects;

    /// <summary>How the optimizer ended.</summary>
    public OptimizationResult Optimization { get; }

    /// <summary>Warnings from the optimizer.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Fitted values Xβ̂ + Zb̂ (the innermost level) on the response's scale.</summary>
    public IReadOnlyList<double> Fitted => _fitted.AsReadOnly();

    /// <summary>Response residuals y − fitted.</summary>
    public IReadOnlyList<double> Residuals => _residuals.AsReadOnly();

    /// <summary>nlme's Pearson residuals: (y − fitted) / (σ̂ gᵢ).</summary>
    public IReadOnlyList<double> PearsonResiduals => _pearson.AsReadOnly();

    /// <summary>nlme's normalized residuals: the Pearson residuals decorrelated by the correlation structure.</summary>
    public IReadOnlyList<double> NormalizedResiduals => _normalized.AsReadOnly();

    /// <summary>The correlation structure's parameters on nlme's natural scale (Phi, Rho, range, …), with their names.</summary>
    public IReadOnlyList<(string Name, double Value)> CorrelationParameters()
    {
        if (_cor is null) return [];
        var (names, values) = _cor.Natural(_structure.AsSpan(0, _cor.ParameterCount));
        return names.Zip(values).ToArray();
    }

    /// <summary>The variance function's parameters on nlme's natural scale (ratios, powers), with their names.</summary>
    public IReadOnlyList<(string Name, double Value)> VarianceParameters() =>
        _var is null ? [] : _var.Natural(_structure.AsSpan(_cor?.ParameterCount ?? 0)).ToArray();

    /// <summary>The estimated parameters of the structures on nlme's unconstrained scale (correlation, then variance).</summary>
    public IReadOnlyList<double> UnconstrainedParameters => _structure.AsReadOnly();

    internal BoundCorrelation? BoundCorrelation => _cor;

    /// <summary>True when the correlation's grouping was replaced by the random effects' innermost one (nlme's warning).</summary>
    internal bool CorrelationRegrouped => _cor?.Regrouped ?? false;

    internal BoundVariance? BoundVariance => _var;

    internal ReadOnlySpan<double> StructureParameters => _structure;

    /// <summary>
    /// The fit's objective and its argument at the estimates (θ on the objective's scale, then the structures'
    /// parameters), the fitted values of a fitted-value variance covariate held at the fit's: for benchmarks and tests.
    /// </summary>
    internal (StructuredObjective Objective, double[] X) ObjectiveAtEstimates()
    {
        var objective = new StructuredObjective(Design, Reml, _cor, _var);
        _fitted.CopyTo(objective.Fitted, 0);
        double[] x = [.. Transformed.Theta, .. _structure];
        double f = Math.Exp(-objective.LogScale(_structure.AsSpan(_cor?.ParameterCount ?? 0)));
        for (int i = 0; i < Transformed.Theta.Count; i++) x[i] *= f;
        return (objective, x);
    }

    /// <summary>Which structure parameters (correlation, then variance) nlme's fixed = holds.</summary>
    internal static bool[] FixedMask(BoundCorrelation? cor, BoundVariance? variance) => [.. cor?.Fixed() ?? [], .. variance?.Fixed() ?? []];

    /// <summary>The number of the structures' parameters held fixed (not estimated, not counted in df).</summary>
    public int FixedParameterCount => FixedMask(_cor, _var).Count(f => f);

    /// <summary>
    /// Fits <paramref name="formula"/> (lme4 syntax: random effects as <c>(x | g)</c>, none for gls) with the options'
    /// structures to <paramref name="data"/>.
    /// </summary>
    /// <exception cref="ModelException">A structure does not fit the data (a covariate missing, groups not nested, …).</exception>
    public static NlmeModel Fit(string formula, Table data, NlmeFitOptions options, DesignOptions? design = null, string? dataName = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxIterations, 1);
        var d = ModelDesign.Build(formula, data, design, dataName);
        if (d.HasWeights || d.HasOffset) throw new ModelException("nlme's gls and lme take no prior weights or offset here; give a variance function by weights = varFixed(~ x)");
        var rows = d.Frame.KeptRows;
        int[]? innermost = d.RandomTerms.Count == 0 ? null : d.TermsArray.MaxBy(t => t.LevelCount)!.CodesArray;
        var cor = options.Correlation?.Bind(data, rows, innermost);
        var notes = new List<string>();
        if (cor is not null && innermost is not null && !StructuredObjective.Nested(d, cor))
        {
            // nlme replaces a correlation grouping that is an outer level of random's (Dog of Dog/Side) with the innermost
            // one, warning; any other grouping is an error.
            var chain = d.TermsArray.DistinctBy(t => t.GroupName).OrderBy(t => t.LevelCount).Select(t => t.GroupName.Split(':')[0]).ToArray();
            var groups = options.Correlation!.Form.Groups;
            if (!(groups.Count < chain.Length && groups.SequenceEqual(chain.Take(groups.Count))))
                throw new ModelException($"incompatible formulas for groups in 'random' and 'correlation' (nlme): the correlation's groups ({string.Join("/", groups)}) are not levels of random's ({string.Join("/", chain)})");
            notes.Add("cannot use smaller level of grouping for 'correlation' than for 'random'. Replacing the former with the latter. (nlme's warning)");
            cor = options.Correlation.Bind(data, rows, innermost, formGroups: false);
        }
        var variance = options.Weights?.Bind(data, rows);
        var start = LinearMixedModel.Fit(d, new FitOptions { Reml = options.Reml });
        var objective = new StructuredObjective(d, options.Reml, cor, variance);
        double[] structureStart = [.. cor?.Start() ?? [], .. variance?.Start() ?? []];
        // Without structures the model is the linear mixed model already fitted (nlme's gls or lme as lme4 fits it).
        var fit = cor is null && variance is null
            ? new StructuredFit([.. start.Theta], [], start.Optimization, 1, [.. start.Warnings.Where(w => w.StartsWith("optimizer", StringComparison.Ordinal))])
            : StructuredFitter.Fit(objective, d, [.. start.Theta], structureStart, [.. start.Fitted], options.Optimizer, options.MaxIterations, FixedMask(cor, variance));
        var transformed = objective.Transform(fit.Structure) ?? throw new ModelException("a correlation matrix is not positive definite at the estimates");
        double logJacobian = objective.LogJacobian;
        var inner = LinearMixedModel.AtTheta(transformed, fit.Theta, options.Reml);
        var fitted = StructuredFitter.Fitted(d, inner.FixedEffects.Select(f => f.Estimate).ToArray(), inner.InternalModes);
        var y = d.Response;
        var residuals = new double[y.Length];
        for (int i = 0; i < y.Length; i++) residuals[i] = y[i] - fitted[i];
        var (pearson, normalized) = objective.Residuals(fit.Structure, residuals, inner.Sigma);
        var sd = objective.SdFactors(fit.Structure.AsSpan(cor?.ParameterCount ?? 0));
        fit.Warnings.InsertRange(0, notes);
        return new NlmeModel(d, inner, options, cor, variance, fit, inner.LogLikelihood + logJacobian, fitted, pearson, normalized, residuals, sd);
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Formulas;

namespace MixedModels.Results;

/// <summary>
/// An immutable fitted linear mixed model: estimates, variance components, fit criteria, conditional modes,
/// fitted values and residuals, warnings. Create one with <see cref="Fit(string, Table, FitOptions?, DesignOptions?, string?)"/>
/// or from the pipeline's stages (<see cref="Fit(LmmWorkspace, FitOptions?)"/>). The last stage of the pipeline:
/// parse → frame → design → workspace → optimize → result.
/// </summary>
public sealed partial class LinearMixedModel : IMixedModel
{
    private readonly double[] _theta, _fitted, _residuals;
    /// <summary>The scaled residuals' quantiles: given for a fit from aggregates, else computed on first request.</summary>
    private double[]? _quantiles;
    private readonly double[,] _vcov;
    private readonly double[][] _modes;
    private readonly FixedEffect[] _fixed;
    private readonly VarianceComponent[] _components;
    private readonly string[] _warnings;

    internal LinearMixedModel(ModelDesign design, bool reml, double[] theta, double sigma, double[] beta, double[,] vcov,
        double[][] modes, double objective, double devianceMl, double[] fitted, OptimizationResult optimization,
        bool singular, List<string> warnings)
    {
        Design = design;
        Reml = reml;
        _theta = theta;
        Sigma = sigma;
        _vcov = vcov;
        _modes = modes;
        Objective = objective;
        DevianceMl = devianceMl;
        _fitted = fitted;
        Optimization = optimization;
        Singular = singular;
        _warnings = [.. warnings];
        var names = design.X.ColumnNames;
        _fixed = new FixedEffect[beta.Length];
        for (int i = 0; i < beta.Length; i++) _fixed[i] = new FixedEffect(names[i], beta[i], Math.Sqrt(vcov[i, i]));
        FixedEffects = new FixedEffectList(_fixed);
        var y = design.Response;
        if (design.IsAggregated)
        {
            // Fitted from aggregates: there are no observations to give fitted values or residuals for.
            _fitted = [];
            _residuals = [];
            _quantiles = [];
        }
        else
        {
            _residuals = new double[y.Length];
            for (int i = 0; i < y.Length; i++) _residuals[i] = y[i] - fitted[i];
        }
        _components = BuildComponents(design, theta, sigma);
    }

    /// <summary>A copy of <paramref name="other"/> (fitted from aggregates) with the quantiles of its scaled residuals, computed where the data live.</summary>
    private LinearMixedModel(LinearMixedModel other, double[] quantiles)
    {
        Design = other.Design;
        Reml = other.Reml;
        _theta = other._theta;
        Sigma = other.Sigma;
        _vcov = other._vcov;
        _modes = other._modes;
        Objective = other.Objective;
        DevianceMl = other.DevianceMl;
        _fitted = other._fitted;
        _residuals = other._residuals;
        Optimization = other.Optimization;
        Singular = other.Singular;
        _warnings = other._warnings;
        _fixed = other._fixed;
        FixedEffects = other.FixedEffects;
        _components = other._components;
        _quantiles = quantiles;
    }

    /// <summary>The same fit with the scaled residuals' minimum, quartiles and maximum from a pass over the observations where they live.</summary>
    internal LinearMixedModel WithScaledResidualQuantiles(double[] quantiles)
    {
        if (!Design.IsAggregated || quantiles.Length != 5) throw new InvalidOperationException("only a fit from aggregates takes its residual quantiles from elsewhere");
        return new LinearMixedModel(this, quantiles);
    }

    /// <summary>The model specification.</summary>
    public ModelDesign Design { get; }

    /// <summary>The formula.</summary>
    public Formula Formula => Design.Formula;

    /// <summary>True for a REML fit, false for maximum likelihood.</summary>
    public bool Reml { get; }

    /// <summary>The relative covariance parameters θ̂ (lme4's layout).</summary>
    public IReadOnlyList<double> Theta => _theta.AsReadOnly();

    /// <summary>The residual standard deviation σ̂.</summary>
    public double Sigma { get; }

    /// <summary>The fixed effects with standard errors.</summary>
    public FixedEffectList FixedEffects { get; }

    /// <summary>The variance components of the random-effects terms (lme4's <c>VarCorr</c>), in term order.</summary>
    public IReadOnlyList<VarianceComponent> VarianceComponents => _components.AsReadOnly();

    /// <summary>The optimum of the objective: the REML criterion (REML fit) or the deviance (ML fit).</summary>
    public double Objective { get; }

    /// <summary>The ML deviance at these estimates (for an ML fit, <see cref="Objective"/>).</summary>
    public double DevianceMl { get; }

    /// <summary>The log-likelihood (the REML log-likelihood for a REML fit, as lme4 reports it).</summary>
    public double LogLikelihood => -Objective / 2;

    /// <summary>The number of parameters: fixed effects, θ, and σ.</summary>
    public int ParameterCount => _fixed.Length + _theta.Length + 1;

    /// <summary>Akaike's criterion, objective + 2·npar.</summary>
    public double Aic => Objective + 2 * ParameterCount;

    /// <summary>Schwarz's criterion, objective + npar·log(n).</summary>
    public double Bic => Objective + ParameterCount * Math.Log(Observations);

    /// <summary>The number of observations used.</summary>
    public int Observations => Design.Observations;

    /// <summary>Residual degrees of freedom as lme4 prints them: n − npar.</summary>
    public int ResidualDf => Observations - ParameterCount;

    /// <summary>The number of rows removed for missing values.</summary>
    public int DroppedRows => Design.DroppedRows;

    /// <summary>The grouping factors and their numbers of levels (lme4's <c>ngrps</c>).</summary>
    public IReadOnlyList<(string Name, int Levels)> Groups => Design.GroupingFactors();

    /// <summary>The optimizer's outcome (evaluations, status).</summary>
    public OptimizationResult Optimization { get; }

    /// <summary>True when the optimizer converged.</summary>
    public bool Converged => Optimization.Converged;

    /// <summary>True for a singular (boundary) fit: some diagonal element of some T is below 1e-4, as lme4's <c>isSingular</c>.</summary>
    public bool Singular { get; }

    /// <summary>Warnings about the fit: singular fit, convergence problems (lme4's messages).</summary>
    public IReadOnlyList<string> Warnings => _warnings.AsReadOnly();

    /// <summary>lme4's fit messages about the design: columns dropped for rank deficiency, predictors on very different scales.</summary>
    public IReadOnlyList<string> Messages => Design.Messages;

    /// <summary>The fitted values (empty for a model fitted from aggregates: <see cref="ModelDesign.IsAggregated"/>).</summary>
    public IReadOnlyList<double> Fitted => _fitted.AsReadOnly();

    /// <summary>The response residuals y − fitted (empty for a model fitted from aggregates).</summary>
    public IReadOnlyList<double> Residuals => _residuals.AsReadOnly();

    /// <summary>
    /// Minimum, quartiles and maximum of the scaled residuals (residual / σ̂, √w·residual / σ̂ with prior weights): a
    /// selection over the n residuals, made on the first call (a summary needs it, a fit alone does not); empty for a
    /// model fitted from aggregates unless a pass over the observations gave them.
    /// </summary>
    public IReadOnlyList<double> ScaledResidualQuantiles()
    {
        if (_quantiles is null)
        {
            // Those of r (or √w·r) divided by σ (no n-long copy without weights).
            var q = Statistics.Quantiles(Design.HasWeights ? ResidualsOf(ResidualKind.Pearson) : _residuals, [0, 0.25, 0.5, 0.75, 1]);
            for (int i = 0; i < q.Length; i++) q[i] /= Sigma;
            _quantiles = q;
        }
        return _quantiles.AsReadOnly();
    }

    /// <summary>The covariance matrix of the fixed effects (a copy).</summary>
    public double[,] FixedEffectsCovariance() => (double[,])_vcov.Clone();

    /// <summary>The correlation matrix of the fixed effects.</summary>
    public double[,] FixedEffectsCorrelation() => Statistics.Correlation(_vcov);

    /// <summary>The conditional modes in the terms' internal coordinates (those of <see cref="RandomEffectsTerm.Z"/>), per term.</summary>
    internal double[][] InternalModes => _modes;

    /// <summary>The conditional modes b̂ of term <paramref name="term"/> (levels × columns, row-major).</summary>
    public ReadOnlySpan<double> ConditionalModes(int term) => TermCoordinates.Modes(Design.RandomTerms[term], _modes[term]);

    /// <summary>
    /// The conditional modes with their conditional covariances, per term (lme4's <c>ranef(condVar = TRUE)</c>).
    /// Computes the conditional variances, which costs a factorization and one triangular solve per random effect.
    /// </summary>
    public IReadOnlyList<RandomEffectsTable> RandomEffects()
    {
        var ws = CreateWorkspace();
        var condVar = ws.ConditionalVariances();
        double s2 = Sigma * Sigma;
        var tables = new List<RandomEffectsTable>();
        for (int j = 0; j < Design.RandomTerms.Count; j++)
        {
            var t = Design.RandomTerms[j];
            var cov = TermCoordinates.Covariances(t, condVar[j].Select(v => s2 * v).ToArray());
            tables.Add(new RandomEffectsTable(t.GroupName, _components[j].Name, t.Levels, t.ColumnNames, TermCoordinates.Modes(t, _modes[j]), cov));
        }
        return tables;
    }

    /// <summary>
    /// lme4's <c>coef()</c>: per grouping factor, each level's coefficients — the fixed effects plus that level's
    /// random effects (all terms on the factor); a random-effects column that is not a fixed effect counts 0 as its
    /// fixed part and comes first, as in lme4.
    /// </summary>
    public IReadOnlyList<GroupCoefficients> Coefficients() => GroupCoefficients.Compute(Design, _fixed, TermCoordinates.Modes(Design, _modes));

    /// <summary>A new workspace for this model's design, set to θ̂ (for profiles, bootstrap, or the objective near the optimum).</summary>
    public LmmWorkspace CreateWorkspace()
    {
        var ws = new LmmWorkspace(Design, Reml);
        ws.SetTheta(_theta);
        return ws;
    }

    internal static VarianceComponent[] BuildComponents(ModelDesign design, double[] theta, double sigma)
    {
        var result = new VarianceComponent[design.RandomTerms.Count];
        var names = Formatting.RNames.VarCorrGroupNames(design.RandomTerms.Select(t => t.GroupName).ToArray());
        int offset = 0;
        for (int j = 0; j < result.Length; j++)
        {
            var term = design.RandomTerms[j];
            int d = term.Dimension;
            var t = new double[d, d];
            for (int col = 0; col < d; col++)
                for (int row = col; row < d; row++) t[row, col] = theta[offset++];
            var cov = new double[d, d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += t[a, c] * t[b, c];
                    cov[a, b] = sigma * sigma * s;
                }
            term.Centring?.CovarianceToOriginal(cov);
            result[j] = new VarianceComponent(term.GroupName, names[j], term.ColumnNames, cov);
        }
        return result;
    }
}

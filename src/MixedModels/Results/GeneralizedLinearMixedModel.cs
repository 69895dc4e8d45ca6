using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Families;
using MixedModels.Formulas;

namespace MixedModels.Results;

/// <summary>
/// An immutable fitted generalized linear mixed model (lme4's <c>glmerMod</c>): family and link, estimates, variance
/// components, the Laplace (or quadrature) criterion, conditional modes, fitted means and residuals, warnings.
/// Create one with <see cref="Fit(string, Data.Table, GlmmFitOptions?, DesignOptions?, string?)"/>.
/// </summary>
public sealed partial class GeneralizedLinearMixedModel : IMixedModel
{
    private readonly double[] _theta, _eta, _mu, _y, _priorWeights, _pearsonQuantiles;
    private readonly double[,] _vcov;
    private readonly double[][] _modes, _condVar;
    private readonly FixedEffect[] _fixed;
    private readonly VarianceComponent[] _components;
    private readonly string[] _warnings;

    /// <summary>Builds the result from a workspace left at the optimum and the optimizer's outcome.</summary>
    internal GeneralizedLinearMixedModel(GlmmWorkspace ws, GlmmFit fit)
    {
        Design = ws.Design;
        Family = ws.Family;
        Nagq = ws.Nagq;
        _theta = fit.Theta;
        Criterion = fit.Criterion;
        Optimization = fit.Optimization;
        Singular = fit.Singular;
        var warnings = new List<string>(fit.Warnings);
        _eta = ws.LinearPredictor.ToArray();
        _mu = ws.Mean.ToArray();
        _y = Design.ResponseArray;
        _priorWeights = ws.PriorWeights.ToArray();
        Deviance = ws.Deviance;
        Dispersion = Family.HasDispersion ? EstimateDispersion(ws.PenaltySquared) : 1;
        double s2 = Dispersion;
        int p = fit.Beta.Length;
        _vcov = Covariance(ws, fit, s2, warnings);
        _warnings = [.. warnings];
        var names = Design.X.ColumnNames;
        _fixed = new FixedEffect[p];
        for (int i = 0; i < p; i++) _fixed[i] = new FixedEffect(names[i], fit.Beta[i], Math.Sqrt(_vcov[i, i]));
        FixedEffects = new FixedEffectList(_fixed);
        _modes = ws.Inner.ConditionalModes(ws.SphericalModes);
        _condVar = ws.Inner.ConditionalVariances();
        foreach (var cv in _condVar)
            for (int i = 0; i < cv.Length; i++) cv[i] *= s2;
        _components = LinearMixedModel.BuildComponents(Design, _theta, Sigma);
        var pearson = Residuals(ResidualKind.Pearson);
        for (int i = 0; i < pearson.Length; i++) pearson[i] /= Sigma;
        _pearsonQuantiles = Statistics.Quantiles(pearson, [0, 0.25, 0.5, 0.75, 1]);
    }

    /// <summary>The model specification.</summary>
    public ModelDesign Design { get; }

    /// <summary>The formula.</summary>
    public Formula Formula => Design.Formula;

    /// <summary>The response family and its link.</summary>
    public Family Family { get; }

    /// <summary>The number of quadrature points: 1 the Laplace approximation, 0 the fast fit, ≥ 2 adaptive Gauss–Hermite.</summary>
    public int Nagq { get; }

    /// <summary>The relative covariance parameters θ̂ (lme4's layout).</summary>
    public IReadOnlyList<double> Theta => _theta.AsReadOnly();

    /// <summary>The fixed effects with their standard errors (z = estimate / SE).</summary>
    public FixedEffectList FixedEffects { get; }

    /// <summary>The variance components on the linear-predictor scale.</summary>
    public IReadOnlyList<VarianceComponent> VarianceComponents => _components.AsReadOnly();

    /// <summary>The optimized criterion: −2 × the Laplace (or quadrature) approximation to the log-likelihood, lme4's.</summary>
    public double Criterion { get; }

    /// <summary>The log-likelihood (−Criterion/2).</summary>
    public double LogLikelihood => -Criterion / 2;

    /// <summary>−2 log-likelihood, the "deviance" column of lme4's glmer summary.</summary>
    public double MinusTwoLogLikelihood => Criterion;

    /// <summary>The sum of the squared deviance residuals at the estimates.</summary>
    public double Deviance { get; }

    /// <summary>The dispersion φ (1 for the binomial and Poisson families).</summary>
    public double Dispersion { get; }

    /// <summary>√φ: lme4's <c>sigma()</c> (1 for the binomial and Poisson families).</summary>
    public double Sigma => Math.Sqrt(Dispersion);

    /// <summary>β, θ and, for a family with a dispersion, φ.</summary>
    public int ParameterCount => _fixed.Length + _theta.Length + (Family.HasDispersion ? 1 : 0);

    /// <summary>Akaike's information criterion.</summary>
    public double Aic => Criterion + 2 * ParameterCount;

    /// <summary>Schwarz's Bayesian information criterion.</summary>
    public double Bic => Criterion + ParameterCount * Math.Log(Observations);

    /// <summary>The number of observations used.</summary>
    public int Observations => Design.Observations;

    /// <summary>n − number of parameters.</summary>
    public int ResidualDf => Observations - ParameterCount;

    /// <summary>Rows removed for missing values.</summary>
    public int DroppedRows => Design.DroppedRows;

    /// <summary>The grouping factors and their numbers of levels.</summary>
    public IReadOnlyList<(string Name, int Levels)> Groups => Design.GroupingFactors();

    /// <summary>How the optimizer ended (X is (θ, β) for nAGQ ≥ 1, θ for nAGQ = 0).</summary>
    public OptimizationResult Optimization { get; }

    /// <summary>True when the optimizer converged.</summary>
    public bool Converged => Optimization.Converged;

    /// <summary>True for a boundary (singular) fit.</summary>
    public bool Singular { get; }

    /// <summary>lme4's convergence and singularity messages.</summary>
    public IReadOnlyList<string> Warnings => _warnings.AsReadOnly();

    /// <summary>Messages about the design (rank deficiency, scales).</summary>
    public IReadOnlyList<string> Messages => Design.Messages;

    /// <summary>The fitted means μ̂ (for a binomial response, probabilities).</summary>
    public IReadOnlyList<double> Fitted => _mu.AsReadOnly();

    /// <summary>The linear predictor η̂ = Xβ̂ + Zb̂ + offset.</summary>
    public IReadOnlyList<double> LinearPredictor => _eta.AsReadOnly();

    /// <summary>Minimum, quartiles and maximum of the Pearson residuals divided by σ (lme4's "Scaled residuals").</summary>
    public IReadOnlyList<double> ScaledResidualQuantiles() => _pearsonQuantiles.AsReadOnly();

    /// <summary>The overdispersion statistic: Σ Pearson residual² / residual df (about 1 when the family's variance holds).</summary>
    public double OverdispersionRatio()
    {
        double s = 0;
        foreach (double r in Residuals(ResidualKind.Pearson)) s += r * r;
        return s / ResidualDf;
    }

    /// <summary>The covariance matrix of the fixed effects (a copy).</summary>
    public double[,] FixedEffectsCovariance() => (double[,])_vcov.Clone();

    /// <summary>The correlation matrix of the fixed effects.</summary>
    public double[,] FixedEffectsCorrelation() => Statistics.Correlation(_vcov);

    /// <summary>The conditional modes b̂ of a term (levels × columns, row-major).</summary>
    public ReadOnlySpan<double> ConditionalModes(int term) => TermCoordinates.Modes(Design.RandomTerms[term], _modes[term]);

    /// <summary>The conditional modes with their conditional covariances (lme4's <c>ranef(condVar = TRUE)</c>, at the modes' working weights).</summary>
    public IReadOnlyList<RandomEffectsTable> RandomEffects()
    {
        var tables = new List<RandomEffectsTable>();
        for (int j = 0; j < Design.RandomTerms.Count; j++)
        {
            var t = Design.RandomTerms[j];
            tables.Add(new RandomEffectsTable(t.GroupName, _components[j].Name, t.Levels, t.ColumnNames, TermCoordinates.Modes(t, _modes[j]),
                TermCoordinates.Covariances(t, (double[])_condVar[j].Clone())));
        }
        return tables;
    }

    /// <summary>lme4's <c>coef()</c>: fixed plus random effects per level, on the linear-predictor scale.</summary>
    public IReadOnlyList<GroupCoefficients> Coefficients() => GroupCoefficients.Compute(Design, _fixed, TermCoordinates.Modes(Design, _modes));

    /// <inheritdoc/>
    public override string ToString() => Summary();

    /// <summary>
    /// lme4's <c>vcov()</c> of a glmer fit: from the finite-difference Hessian H of the criterion in (θ, β) when it
    /// was taken and is positive definite, 2 H⁻¹ restricted to β; otherwise (nAGQ = 0, or a bad Hessian, with
    /// lme4's warning) φ (R_X'R_X)⁻¹ of the working linear model.
    /// </summary>
    private static double[,] Covariance(GlmmWorkspace ws, GlmmFit fit, double dispersion, List<string> warnings)
    {
        int t = fit.Theta.Length, p = fit.Beta.Length;
        if (fit.Hessian is { } h && p > 0)
        {
            var inv = LinearAlgebra.SmallMatrix.Inverse(h);
            if (inv is not null)
            {
                var v = new double[p, p];
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) v[i, j] = inv[t + i, t + j] + inv[t + j, t + i];
                if (LinearAlgebra.SmallMatrix.CholeskyUpper(v) is not null) return v;
            }
            warnings.Add("variance-covariance matrix computed from finite-difference Hessian is\nnot positive definite or contains NA values: falling back to var-cov estimated from RX");
        }
        var rx = ws.FullAtCurrentState().UnscaledCovariance();
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) rx[i, j] *= dispersion;
        return rx;
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Formulas;
using MixedModels.Robust;

namespace MixedModels.Results;

/// <summary>The ψ-functions a robust fit used for one random-effects term: ρ_b for its effects, ρσ_b for its variance parameters.</summary>
/// <param name="Group">The term's grouping factor (<c>Subject</c>), as robustlmm names it.</param>
/// <param name="Effects">ρ_b.</param>
/// <param name="Scale">ρσ_b.</param>
public sealed record RobustTermFunctions(string Group, PsiFunction Effects, PsiFunction Scale);

/// <summary>
/// An immutable robust linear mixed model fit, as robustlmm's <c>rlmer()</c> (Koller 2016): fixed effects with their
/// robust covariance, θ, σ and the variance components, conditional modes, and the robustness weights of the
/// observations (w_e) and of the random effects (w_b). No likelihood is defined for these estimates, so there is
/// no log-likelihood, AIC or likelihood-ratio test, as in robustlmm.
/// </summary>
public sealed partial class RobustLinearMixedModel
{
    private readonly double[] _theta, _beta, _fitted, _residuals, _quantiles, _weightsE, _weightsB;
    private readonly double[,] _vcov;
    private readonly double[][] _modes;
    private readonly VarianceComponent[] _components;
    private readonly string[] _warnings;
    private readonly RobustTermFunctions[] _functions;

    private RobustLinearMixedModel(RobustFit fit, RobustFitOptions options)
    {
        var ws = fit.Workspace;
        Design = ws.Design;
        Options = options;
        Method = ws.Setup.Method;
        RhoE = ws.Setup.RhoE;
        RhoSigmaE = ws.Setup.RhoSigmaE;
        _theta = (double[])ws.Theta.Clone();
        Sigma = ws.Sigma;
        _beta = (double[])ws.Beta.Clone();
        var unscaled = ws.UnscaledCovariance();
        int p = _beta.Length;
        _vcov = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) _vcov[i, j] = Sigma * Sigma * unscaled[i, j];
        var names = Design.X.ColumnNames;
        var fixedEffects = new FixedEffect[p];
        for (int i = 0; i < p; i++) fixedEffects[i] = new FixedEffect(names[i], _beta[i], Math.Sqrt(_vcov[i, i]));
        FixedEffects = new FixedEffectList(fixedEffects);
        _residuals = ws.Residuals();
        var y = Design.Response;
        _fitted = new double[y.Length];
        for (int i = 0; i < y.Length; i++) _fitted[i] = y[i] - _residuals[i];
        _quantiles = Statistics.Quantiles(_residuals, [0, 0.25, 0.5, 0.75, 1]);
        for (int i = 0; i < _quantiles.Length; i++) _quantiles[i] /= Sigma;
        _weightsE = ws.ResidualWeights();
        _weightsB = ws.RandomEffectWeights();
        _modes = Enumerable.Range(0, ws.TermCount).Select(ws.Modes).ToArray();
        _components = LinearMixedModel.BuildComponents(Design, _theta, Sigma);
        _functions = _components.Select((c, t) => new RobustTermFunctions(c.Group, ws.Setup.Terms[t].RhoB, ws.Setup.Terms[t].RhoSigmaB)).ToArray();
        Iterations = fit.Iterations;
        Converged = fit.Converged;
        _warnings = [.. fit.Warnings];
    }

    /// <summary>
    /// Fits <paramref name="formula"/> (lme4 syntax) robustly to <paramref name="data"/>, as
    /// <c>robustlmm::rlmer(formula, data)</c>: DAStau with smoothed Huber functions by default.
    /// </summary>
    public static RobustLinearMixedModel Fit(string formula, Table data, RobustFitOptions? options = null, DesignOptions? design = null, string? dataName = null) =>
        Fit(ModelDesign.Build(formula, data, (design ?? new DesignOptions()) with { CentreTerms = false }, dataName), options);

    /// <summary>Fits a robust model from its design (a linear mixed model's design, without prior weights).</summary>
    public static RobustLinearMixedModel Fit(ModelDesign design, RobustFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        options ??= new RobustFitOptions();
        if (design.RandomTerms.Any(t => t.IsCentred)) design = ModelDesign.Build(design.Frame, design.Options with { CentreTerms = false });
        return new RobustLinearMixedModel(RobustFitter.Fit(design, options), options);
    }

    /// <summary>The model specification.</summary>
    public ModelDesign Design { get; }

    /// <summary>The formula.</summary>
    public Formula Formula => Design.Formula;

    /// <summary>The options the fit was asked for.</summary>
    public RobustFitOptions Options { get; }

    /// <summary>The method used (DAStau falls back to DASvar for blocks larger than 2, with a warning).</summary>
    public RobustMethod Method { get; }

    /// <summary>ρ_e, the function for the residuals.</summary>
    public PsiFunction RhoE { get; }

    /// <summary>ρσ_e, the function of the residual scale.</summary>
    public PsiFunction RhoSigmaE { get; }

    /// <summary>The functions used per random-effects term.</summary>
    public IReadOnlyList<RobustTermFunctions> TermFunctions => _functions.AsReadOnly();

    /// <summary>θ̂ (lme4's layout).</summary>
    public IReadOnlyList<double> Theta => _theta.AsReadOnly();

    /// <summary>The robust residual scale σ̂.</summary>
    public double Sigma { get; }

    /// <summary>The fixed effects with their robust standard errors and t values.</summary>
    public FixedEffectList FixedEffects { get; }

    /// <summary>The variance components (lme4's <c>VarCorr</c> layout).</summary>
    public IReadOnlyList<VarianceComponent> VarianceComponents => _components.AsReadOnly();

    /// <summary>The number of observations.</summary>
    public int Observations => Design.Observations;

    /// <summary>The grouping factors and their numbers of levels.</summary>
    public IReadOnlyList<(string Name, int Levels)> Groups => Design.GroupingFactors();

    /// <summary>The number of rows removed for missing values.</summary>
    public int DroppedRows => Design.DroppedRows;

    /// <summary>The iterations of the outer loop.</summary>
    public int Iterations { get; }

    /// <summary>True when the iterations converged and the estimating equations hold.</summary>
    public bool Converged { get; }

    /// <summary>rlmer's warnings (non-convergence, unsatisfied estimating equations, τ set to 1, method fallback).</summary>
    public IReadOnlyList<string> Warnings => _warnings.AsReadOnly();

    /// <summary>The fitted values Xβ̂ + Zb̂.</summary>
    public IReadOnlyList<double> Fitted => _fitted.AsReadOnly();

    /// <summary>The residuals y − fitted.</summary>
    public IReadOnlyList<double> Residuals => _residuals.AsReadOnly();

    /// <summary>Minimum, quartiles and maximum of the scaled residuals (residual / σ̂).</summary>
    public IReadOnlyList<double> ScaledResidualQuantiles() => _quantiles.AsReadOnly();

    /// <summary>The robustness weight of each observation, ρ_e's w(r/σ̂) (robustlmm's <c>getME(fit, "w_e")</c>).</summary>
    public IReadOnlyList<double> ResidualWeights => _weightsE.AsReadOnly();

    /// <summary>The robustness weight of each random effect in lme4's order of b (robustlmm's <c>getME(fit, "w_b")</c>).</summary>
    public IReadOnlyList<double> RandomEffectWeights => _weightsB.AsReadOnly();

    /// <summary>The covariance matrix of the fixed effects (a copy).</summary>
    public double[,] FixedEffectsCovariance() => (double[,])_vcov.Clone();

    /// <summary>The correlation matrix of the fixed effects.</summary>
    public double[,] FixedEffectsCorrelation() => Statistics.Correlation(_vcov);

    /// <summary>The conditional modes b̂ of term <paramref name="term"/> (levels × columns, row-major).</summary>
    public ReadOnlySpan<double> ConditionalModes(int term) => _modes[term];

    /// <summary>The robustness weights of term <paramref name="term"/>'s random effects (levels × columns, row-major).</summary>
    public ReadOnlySpan<double> RandomEffectWeightsOf(int term)
    {
        int off = 0;
        for (int t = 0; t < term; t++) off += Design.RandomTerms[t].RandomEffectCount;
        return _weightsB.AsSpan(off, Design.RandomTerms[term].RandomEffectCount);
    }
}

using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Formulas;

namespace MixedModels.Results;

/// <summary>
/// What every fitted mixed model offers, whatever its family or estimation method: the seam that reporting,
/// inference and diagnostics use, so a new model family gets tables, JSON and plots wherever they make sense.
/// Implementations are immutable.
/// </summary>
public interface IMixedModel
{
    /// <summary>The model specification.</summary>
    ModelDesign Design { get; }

    /// <summary>The formula.</summary>
    Formula Formula { get; }

    /// <summary>The relative covariance parameters θ̂ (lme4's layout).</summary>
    IReadOnlyList<double> Theta { get; }

    /// <summary>The fixed-effect estimates and standard errors, by position or by name.</summary>
    FixedEffectList FixedEffects { get; }

    /// <summary>The variance components (covariance of each random-effects term on the response's scale).</summary>
    IReadOnlyList<VarianceComponent> VarianceComponents { get; }

    /// <summary>The log-likelihood at the estimates (the REML log-likelihood for a REML fit, as lme4).</summary>
    double LogLikelihood { get; }

    /// <summary>Akaike's information criterion.</summary>
    double Aic { get; }

    /// <summary>Schwarz's Bayesian information criterion.</summary>
    double Bic { get; }

    /// <summary>The number of estimated parameters.</summary>
    int ParameterCount { get; }

    /// <summary>The number of observations used.</summary>
    int Observations { get; }

    /// <summary>n − number of parameters.</summary>
    int ResidualDf { get; }

    /// <summary>Rows removed for missing values.</summary>
    int DroppedRows { get; }

    /// <summary>The grouping factors and their numbers of levels.</summary>
    IReadOnlyList<(string Name, int Levels)> Groups { get; }

    /// <summary>How the optimizer ended.</summary>
    OptimizationResult Optimization { get; }

    /// <summary>True when the optimizer converged.</summary>
    bool Converged { get; }

    /// <summary>True for a boundary (singular) fit.</summary>
    bool Singular { get; }

    /// <summary>Convergence and singularity warnings, as lme4 gives them.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Messages about the design (rank deficiency, scales).</summary>
    IReadOnlyList<string> Messages { get; }

    /// <summary>The fitted values on the response scale.</summary>
    IReadOnlyList<double> Fitted { get; }

    /// <summary>The covariance matrix of the fixed effects (a copy).</summary>
    double[,] FixedEffectsCovariance();

    /// <summary>The correlation matrix of the fixed effects.</summary>
    double[,] FixedEffectsCorrelation();

    /// <summary>The conditional modes b̂ of a term (levels × columns, row-major).</summary>
    ReadOnlySpan<double> ConditionalModes(int term);

    /// <summary>The conditional modes with their conditional covariances, per term (computed on each call).</summary>
    IReadOnlyList<RandomEffectsTable> RandomEffects();

    /// <summary>lme4's <c>coef()</c>: fixed plus random effects per level.</summary>
    IReadOnlyList<GroupCoefficients> Coefficients();

    /// <summary>The text of R's <c>summary()</c> of the model.</summary>
    string Summary();

    /// <summary>The model as JSON.</summary>
    string ToJson();
}

namespace MixedModels.Results;

/// <summary>The kinds of residuals (lme4's <c>residuals(m, type)</c> and <c>residuals(m, scaled = TRUE)</c>).</summary>
public enum ResidualKind
{
    /// <summary>y − fitted.</summary>
    Response,
    /// <summary>Pearson residuals: (y − μ)·√w/√V(μ); for a linear mixed model (y − fitted)·√w (the response residuals without prior weights).</summary>
    Pearson,
    /// <summary>Pearson residuals divided by σ̂: the residuals of the summary's quantiles and of the QQ plot.</summary>
    Scaled,
    /// <summary>Deviance residuals sign(y − μ)·√dᵢ (a generalized model; for a linear model the Pearson residuals).</summary>
    Deviance,
    /// <summary>Working residuals (y − μ)/(dμ/dη) (a generalized model; for a linear model the response residuals).</summary>
    Working,
}

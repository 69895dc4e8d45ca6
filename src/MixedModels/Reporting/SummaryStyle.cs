namespace MixedModels.Reporting;

/// <summary>Whose printed summary a linear mixed model's <c>Summary(style)</c> reproduces.</summary>
public enum SummaryStyle
{
    /// <summary>lme4's (lmerTest's) <c>summary()</c>.</summary>
    Lme4,

    /// <summary>Python statsmodels' <c>MixedLMResults.summary()</c> (one grouping factor, one random-effects term).</summary>
    Statsmodels,
}

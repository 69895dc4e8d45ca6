using MixedModels.Inference;
using MixedModels.Reporting;

namespace MixedModels.Results;

public sealed partial class LinearMixedModel
{
    /// <summary>
    /// The text of the model summary with lme4's sections, layout and number formatting. With Satterthwaite's or
    /// Kenward-Roger's method (Satterthwaite is the default) the fixed-effects table gains df and p-values as
    /// lmerTest prints them; <see cref="DdfMethod.None"/> gives lme4's own summary. A model without random effects
    /// gets R's <c>summary(lm(...))</c> instead.
    /// </summary>
    public string Summary(DdfMethod ddf = DdfMethod.Satterthwaite) =>
        Design.RandomTerms.Count == 0 ? LinearModelSummaryWriter.Write(this) : SummaryWriter.Write(this, ddf);

    /// <summary>
    /// The summary in another program's layout: <see cref="SummaryStyle.Statsmodels"/> is Python statsmodels'
    /// MixedLM summary (patsy's names, its joint-Hessian standard errors; one grouping factor and one random-effects
    /// term, else a <see cref="ModelException"/> says why it cannot be shown).
    /// </summary>
    public string Summary(SummaryStyle style) => style switch
    {
        SummaryStyle.Statsmodels => StatsmodelsSummaryWriter.Write(this),
        _ => Summary(),
    };

    /// <summary>The fit as JSON (see the README for the fields); fixed effects carry df and p-values unless <paramref name="ddf"/> is None.</summary>
    public string ToJson(DdfMethod ddf = DdfMethod.Satterthwaite, bool indented = true) => JsonReport.Write(this, ddf, indented);

    string IMixedModel.Summary() => Summary();

    string IMixedModel.ToJson() => ToJson();
}

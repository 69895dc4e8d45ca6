using MixedModels.Reporting;

namespace MixedModels.Results;

public sealed partial class RobustLinearMixedModel
{
    /// <summary>The text of robustlmm's <c>summary()</c>.</summary>
    public string Summary() => RobustSummaryWriter.Write(this);

    /// <summary>The summary.</summary>
    public override string ToString() => Summary();

    /// <summary>The fit as JSON (indented by default).</summary>
    public string ToJson(bool indented = true) => RobustJsonReport.Write(this, indented);

    /// <summary>broom.mixed's <c>tidy()</c> of the fit.</summary>
    public TidyTable Tidy() => TidyTable.Create(this);

    /// <summary>
    /// robustlmm's <c>compare()</c> of this fit with others (typically the classical lmer fit of the same model):
    /// coefficients (standard errors), variance components, correlations, σ, the REML criterion of classical fits and
    /// the ψ-functions of robust ones, one column per fit.
    /// </summary>
    /// <param name="classical">The classical fit (lmer) to compare with.</param>
    /// <param name="classicalLabel">Its column label.</param>
    /// <param name="label">This fit's column label.</param>
    public RobustComparison Compare(LinearMixedModel classical, string classicalLabel = "lmer", string label = "rlmer") =>
        RobustComparison.Create([ComparedFit.Of(classicalLabel, classical), ComparedFit.Of(label, this)]);
}

using MixedModels.Reporting;

namespace MixedModels.Results;

public sealed partial class GeneralizedLinearMixedModel
{
    /// <summary>The text of lme4's <c>summary()</c> of the glmer fit, with its layout and number formatting.</summary>
    public string Summary() => GlmmSummaryWriter.Write(this);

    /// <summary>The fit as JSON (see the README for the fields): family, link, nagq, fixef with z statistics and p-values.</summary>
    public string ToJson() => ToJson(indented: true);

    /// <summary>The fit as JSON, indented or on one line.</summary>
    public string ToJson(bool indented) => GlmmJsonReport.Write(this, indented);
}

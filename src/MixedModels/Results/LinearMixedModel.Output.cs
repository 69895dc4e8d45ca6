using MixedModels.Reporting;

namespace MixedModels.Results;

public sealed partial class LinearMixedModel
{
    /// <summary>The text of lme4's <c>summary()</c> for this fit (same sections, layout and number formatting).</summary>
    public string Summary() => SummaryWriter.Write(this);

    /// <summary>The fit as JSON (see the README for the fields).</summary>
    public string ToJson(bool indented = true) => JsonReport.Write(this, indented);
}

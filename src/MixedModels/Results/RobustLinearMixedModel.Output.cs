using MixedModels.Reporting;

namespace MixedModels.Results;

public sealed partial class RobustLinearMixedModel
{
    /// <summary>The text of robustlmm's <c>summary()</c>.</summary>
    public string Summary() => RobustSummaryWriter.Write(this);

    /// <summary>The summary.</summary>
    public override string ToString() => Summary();
}

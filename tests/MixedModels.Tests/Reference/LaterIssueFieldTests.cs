using Xunit;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Fields of the reference set that belong to later issues. They are skipped here, visibly, until the features
/// that produce them exist; each skip names what is missing.
/// </summary>
public sealed class LaterIssueFieldTests
{
    [Fact(Skip = "Prediction issue: predict() on new data (*_predict.json) is not implemented yet")]
    public void PredictionOnNewData() { }
}

using Xunit;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Fields of the reference set that belong to later issues. They are skipped here, visibly, until the features
/// that produce them exist; each skip names what is missing.
/// </summary>
public sealed class LaterIssueFieldTests
{
    [Fact(Skip = "Inference issue: profile-likelihood intervals (confint_profile) are not implemented yet")]
    public void ProfileConfidenceIntervals() { }

    [Fact(Skip = "Inference issue: Wald intervals (confint_wald) are not reported yet")]
    public void WaldConfidenceIntervals() { }

    [Fact(Skip = "Inference issue: model comparison (sleepstudy_anova.json) is not implemented yet")]
    public void AnovaModelComparison() { }

    [Fact(Skip = "Inference issue: models without random effects (sleepstudy_ols.json) are not implemented yet")]
    public void OrdinaryLeastSquaresBaseline() { }

    [Fact(Skip = "Prediction issue: predict() on new data (*_predict.json) is not implemented yet")]
    public void PredictionOnNewData() { }
}

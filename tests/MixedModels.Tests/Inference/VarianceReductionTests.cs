using MixedModels.Inference;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>The proportional reduction in variance components between nested models, against lme4's variances.</summary>
public sealed class VarianceReductionTests
{
    [Fact]
    public void ReductionFromTheNullModelMatchesLme4sVariances()
    {
        // hsb: the null model and the model with SES and a random SES slope (shared reference fits).
        var nullRef = ReferenceRecord.Load("fits", "hsb_null");
        var sesRef = ReferenceRecord.Load("fits", "hsb_ses_slope");
        var rows = VarianceReduction.Compute(ReferenceFitTests.FitOf(nullRef), ReferenceFitTests.FitOf(sesRef));
        double V(ReferenceRecord r, string group, string? var1) => r.Root.GetProperty("varcorr").EnumerateArray()
            .Single(e => e.GetProperty("group").GetString() == group && e.GetProperty("var1").GetString() == var1
                         && e.GetProperty("var2").ValueKind == System.Text.Json.JsonValueKind.Null).GetProperty("vcov").GetDouble();
        Assert.Equal(2, rows.Count); // the intercept variance (SES's variance has no counterpart in the null model) and the residual
        Assert.Equal(("School", "(Intercept)"), (rows[0].Group, rows[0].Term));
        double expected = 1 - V(sesRef, "School", "(Intercept)") / V(nullRef, "School", "(Intercept)");
        Assert.Equal(expected, rows[0].ProportionExplained, 3);
        Assert.InRange(rows[0].ProportionExplained, 0.43, 0.45);
        Assert.Equal("Residual", rows[1].Group);
        Assert.Equal(1 - V(sesRef, "Residual", null) / V(nullRef, "Residual", null), rows[1].ProportionExplained, 4);
    }

    [Fact]
    public void ModelsOfDifferentDataAreRefused()
    {
        var a = ReferenceFitTests.FitOf(ReferenceRecord.Load("fits", "sleepstudy_slope_reml"));
        var b = ReferenceFitTests.FitOf(ReferenceRecord.Load("fits", "sleepstudy_missing"));
        Assert.Throws<ModelException>(() => VarianceReduction.Compute(a, b));
    }
}

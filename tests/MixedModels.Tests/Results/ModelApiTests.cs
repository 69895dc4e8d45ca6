using MixedModels.Data;
using MixedModels.Families;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Results;

/// <summary>What a C# user reaches from a fitted model: its text, coefficients by name, and the analyses as methods.</summary>
public sealed class ModelApiTests
{
    private static readonly LinearMixedModel Sleep = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));

    [Fact]
    public void ToStringIsTheSummary()
    {
        Assert.Equal(Sleep.Summary(), Sleep.ToString());
        Assert.StartsWith("Linear mixed model fit by REML", Sleep.ToString());
        var tidy = Sleep.Tidy();
        Assert.Equal(tidy.Format(TableFormat.Text), tidy.ToString());
    }

    [Fact]
    public void FixedEffectsAreFoundByName()
    {
        var days = Sleep.FixedEffects["Days"];
        Assert.Same(Sleep.FixedEffects[1], days);
        Assert.Equal(10.467, days.Estimate, 3);
        Assert.True(Sleep.FixedEffects.TryGet("(Intercept)", out var intercept));
        Assert.Equal(251.405, intercept.Estimate, 3);
        Assert.False(Sleep.FixedEffects.TryGet("days", out _));   // names are case-sensitive, as R's
        var e = Assert.Throws<KeyNotFoundException>(() => Sleep.FixedEffects["Dayz"]);
        Assert.Contains("'(Intercept)', 'Days'", e.Message);
        Assert.Equal(["(Intercept)", "Days"], Sleep.FixedEffects.Names);
    }

    [Fact]
    public void AnalysesFromTheModelEqualTheStaticOnes()
    {
        Assert.Equal(AnovaTable.TypeIII(Sleep).ToString(), Sleep.Anova().ToString());
        Assert.Equal(ConfidenceIntervals.Wald(Sleep), Sleep.ConfidenceIntervals(IntervalMethod.Wald));
        var smaller = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Datasets.Load("sleepstudy"));
        Assert.Equal(ModelComparison.Compare(Sleep, smaller).ToString(), Sleep.Compare(smaller).ToString());
        Assert.Equal(ParametricBootstrap.Run(Sleep, 20, 3).PercentileIntervals(), Sleep.Bootstrap(20, 3).PercentileIntervals());
        Assert.Equal(TidyTable.Create(Sleep).ToString(), Sleep.Tidy().ToString());
        var wald = Sleep.ConfidenceIntervals(IntervalMethod.Wald);
        Assert.Equal(ConfidenceIntervals.Format(wald, TableFormat.Text), wald.ToString());
        Assert.Contains("parameter", wald.ToString());
        Assert.Equal(wald[1], wald["Days"]);
        Assert.Contains("'(Intercept)', 'Days'", Assert.Throws<KeyNotFoundException>(() => wald["sigma"]).Message);
    }

    [Fact]
    public void GlmmAnalysesFromTheModel()
    {
        var cbpp = Datasets.Load("cbpp");
        var m = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp, new() { Family = Family.Create("binomial") });
        Assert.Equal(m.Summary(), m.ToString());
        Assert.Equal(GlmmIntervals.Wald(m), m.ConfidenceIntervals(IntervalMethod.Wald));
        Assert.Equal(TidyTable.Create(m, exponentiate: true).ToString(), m.Tidy(exponentiate: true).ToString());
        Assert.Equal(m.FixedEffects[1], m.FixedEffects["period2"]);
        var fitted = m.Augment();
        Assert.Equal(m.Observations, fitted.Count);
        Assert.All(fitted, r => Assert.Equal(r.Observed - r.Fitted, r.Residual, 12));
    }

    [Fact]
    public void AugmentAndRandomEffectRecordsCarryTheFit()
    {
        var data = Datasets.Load("sleepstudy");
        var rows = Sleep.Augment();
        Assert.Equal(180, rows.Count);
        var reaction = ((NumericColumn)data["Reaction"]).Values;
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i, rows[i].Row);
            Assert.Equal(reaction[i], rows[i].Observed);
            Assert.Equal(Sleep.Fitted[i], rows[i].Fitted);
            Assert.Equal(Sleep.Residuals[i], rows[i].Residual);
        }
        var ranef = Sleep.RandomEffectRecords();
        Assert.Equal(36, ranef.Count);   // 18 subjects x 2 columns, by column then level as lme4's as.data.frame(ranef())
        var table = Sleep.RandomEffects()[0];
        Assert.Equal(("Subject", "(Intercept)", "308"), (ranef[0].Group, ranef[0].Term, ranef[0].Level));
        Assert.Equal(table.Mode(0, 0), ranef[0].ConditionalMode);
        Assert.Equal(("Days", table.Mode(0, 1), table.ConditionalSd(0, 1)), (ranef[18].Term, ranef[18].ConditionalMode, ranef[18].ConditionalSd));
    }

    [Fact]
    public void AugmentSkipsRowsDroppedForMissingValues()
    {
        var data = Table.ReadCsv(new StringReader("y,x,g\n1,1,a\n2,,a\n3,3,b\n4,4,b\n5,5,c\n7,6,c\n6,2,a\n"));
        var m = LinearMixedModel.Fit("y ~ x + (1 | g)", data);
        Assert.Equal([0, 2, 3, 4, 5, 6], m.Augment().Select(r => r.Row));
    }
}

using MixedModels.Data;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>
/// anova and profile intervals on designs that crashed (issue 10, point 5): a rank-deficient model, and a factor
/// 'fac' with level B beside a numeric column 'facB' (two coefficients named facB).
/// </summary>
public sealed class AnovaEdgeTests
{
    [Fact]
    public void ARankDeficientModelPrintsLmerTestsTableWithTheAliasedTermEmpty()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + MEANSES + I(SES + MEANSES) + (1 | School)", Datasets.Load("hsb"));
        string text = AnovaTable.TypeIII(m).ToString();
        // lmerTest 3.1 on the same data (R 4, lme4 1.1-31)
        Assert.Contains("SES              15051.4 15051.4     1 7021.5 406.586 < 2.2e-16 ***\n", text);
        Assert.Contains("MEANSES           3505.5  3505.5     1  182.3  94.693 < 2.2e-16 ***\n", text);
        Assert.Contains("I(SES + MEANSES)                                                   \n", text);
    }

    private static Table FacB()
    {
        var rnd = new Random(1);
        int n = 120;
        var y = new double[n]; var facB = new double[n]; var fac = new string[n]; var g = new string[n];
        for (int i = 0; i < n; i++)
        {
            fac[i] = "ABC"[i % 3].ToString();
            facB[i] = rnd.NextDouble();
            g[i] = "g" + i % 10;
            y[i] = i % 3 + 0.5 * facB[i] + rnd.NextDouble();
        }
        return new Table([new NumericColumn("y", y), CategoricalColumn.FromStrings("fac", fac), new NumericColumn("facB", facB), CategoricalColumn.FromStrings("g", g)]);
    }

    [Fact]
    public void AFactorLevelNamedLikeAColumnGetsADistinctNameAndItsOwnTest()
    {
        var data = FacB();
        var m = LinearMixedModel.Fit("y ~ fac + facB + (1 | g)", data);
        Assert.Equal(["(Intercept)", "facB", "facC", "facB.1"], m.FixedEffects.Select(f => f.Name));
        var anova = AnovaTable.TypeIII(m);
        Assert.Equal(["fac", "facB"], anova.Rows.Select(r => r.Term));
        // the numeric term's F is its t statistic squared (a one-df test)
        Assert.Equal(Math.Pow(m.FixedEffects[3].TValue, 2), anova.Rows[1].FValue, 1e-6);
        Assert.Equal(2, anova.Rows[0].NumDf);
        // the same model with the column renamed gives the same tests
        var renamed = LinearMixedModel.Fit("y ~ fac + x + (1 | g)", data.With(new NumericColumn("x", ((NumericColumn)data["facB"]).Values)));
        var other = AnovaTable.TypeIII(renamed);
        for (int i = 0; i < 2; i++) Assert.Equal(other.Rows[i].FValue, anova.Rows[i].FValue, 1e-8);
    }

    [Fact]
    public void ProfileIntervalsOfDuplicateNamesAreMatchedToTheirRows()
    {
        var m = LinearMixedModel.Fit("y ~ fac + facB + (1 | g)", FacB());
        var tidy = TidyTable.Create(m, new TidyOptions { Intervals = IntervalMethod.Profile });
        var rows = tidy.Rows.Where(r => r.Effect == "fixed").ToList();
        Assert.Equal(4, rows.Count);
        foreach (var r in rows) Assert.True(r.ConfLow < r.Estimate && r.Estimate < r.ConfHigh, r.Term);
    }
}

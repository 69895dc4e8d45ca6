using MixedModels.Data;
using MixedModels.Formatting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Results;

/// <summary>Group names as lme4 prints them (issue 10, point 7).</summary>
public sealed class GroupNameTests
{
    [Fact]
    public void RepeatedGroupNamesAreMadeNamesAsLme4sVarCorr()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + (1 | School) + (0 + SES | School) + (1 | School:Sex)", Datasets.Load("hsb"));
        // lme4 1.1-31: VarCorr prints School.Sex, School, School.1 (names(ranef) keep School:Sex)
        Assert.Equal(["School.Sex", "School", "School.1"], m.VarianceComponents.Select(v => v.Name));
        Assert.Contains(" School.Sex (Intercept)", m.Summary());
        Assert.Equal(["School.Sex", "School", "School.1", "x..cask.batch.", "X1a", "if."],
            RNames.MakeUnique(new[] { "School:Sex", "School", "School", "x:(cask:batch)", "1a", "if" }.Select(RNames.MakeName).ToArray()));
    }

    [Fact]
    public void ThreeLevelNestingIsNamedAsLme4()
    {
        var m = LinearMixedModel.Fit("MathAch ~ 1 + (1 | Sector/School/Sex)", Datasets.Load("hsb"));
        Assert.Equal(["Sex:(School:Sector)", "School:Sector", "Sector"], m.Design.RandomTerms.Select(t => t.GroupName));
        // lme4 1.1-31: REML criterion 47068.0196624; SDs 1.08516, 2.41428, 1.94754, residual 6.22432
        Assert.Equal(47068.0196624, m.Objective, 1e-6);
        double[] sds = [1.08516, 2.41428, 1.94754]; // Sector's (2 levels) is flat: agreement to 1e-4 relative
        for (int i = 0; i < 3; i++) Assert.Equal(sds[i], m.VarianceComponents[i].StandardDeviations[0], 1e-4 * sds[i]);
        Assert.Equal(6.22432, Math.Round(m.Sigma, 5));
    }
}

/// <summary>Population predictions need no grouping columns, as lme4's re.form = NA (issue 10, point 7).</summary>
public sealed class PopulationPredictionTests
{
    [Fact]
    public void PopulationPredictionsNeedNoGroupingColumns()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));
        var nd = new Table([new NumericColumn("Days", [0.0, 5.0])]);
        var p = m.Predict(nd, PredictOptions.Population);
        Assert.Equal(m.FixedEffects[0].Estimate, p[0].Fit, 1e-10);
        Assert.Equal(m.FixedEffects[0].Estimate + 5 * m.FixedEffects[1].Estimate, p[1].Fit, 1e-10);
        var withGroups = m.Predict(Datasets.Load("sleepstudy"), PredictOptions.Population);
        Assert.Equal(withGroups[0].Fit, p[0].Fit, 1e-10);
        // conditional predictions still need them, with the column named
        var e = Assert.Throws<FormulaException>(() => m.Predict(nd));
        Assert.Contains("'Subject'", e.Message);
        var (code, text, err) = Tests.Cli.CliTests.Run("plot", "groups", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--x", "Days", "--panels", "308,309");
        Assert.True(code == 0, err);
        Assert.Contains("308", text);
        Assert.DoesNotContain(">310<", text);
    }
}

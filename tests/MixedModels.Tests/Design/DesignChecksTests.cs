using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Design;

/// <summary>lme4's checks on the data and the model, each a clear error.</summary>
public sealed class DesignChecksTests
{
    private static Table Small(int groups, int perGroup, bool constant = false)
    {
        int n = groups * perGroup;
        var rnd = new Random(1);
        var g = Enumerable.Range(0, n).Select(i => "g" + (i / perGroup)).ToArray();
        var y = Enumerable.Range(0, n).Select(i => constant ? 5.0 : rnd.NextDouble()).ToArray();
        var x = Enumerable.Range(0, n).Select(i => (double)(i % perGroup)).ToArray();
        return new Table([new NumericColumn("y", y), new NumericColumn("x", x), CategoricalColumn.FromStrings("g", g)]);
    }

    [Fact]
    public void GroupingFactorWithOneLevelIsAnError() =>
        Assert.Contains("> 1 sampled level", Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ x + (1 | g)", Small(1, 10))).Message);

    [Fact]
    public void GroupingFactorWithAsManyLevelsAsRowsIsAnError() =>
        Assert.Contains("must be < number of observations", Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ x + (1 | g)", Small(10, 1))).Message);

    [Fact]
    public void TooManyRandomEffectsForTheObservationsIsAnError() =>
        Assert.Contains("number of random effects (=20) for term (x | g)",
            Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ x + (x | g)", Small(10, 2))).Message);

    [Fact]
    public void ConstantResponseIsAnError() =>
        Assert.Contains("constant", Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ x + (1 | g)", Small(5, 4, constant: true))).Message);

    [Fact]
    public void CategoricalResponseIsAnError() =>
        Assert.Contains("categorical", Assert.Throws<ModelException>(() => ModelDesign.Build("g ~ x + (1 | g)", Small(5, 4))).Message);

    [Fact]
    public void UnknownColumnPointsIntoTheFormula()
    {
        var e = Assert.Throws<FormulaException>(() => ModelDesign.Build("y ~ xx + (1 | g)", Small(5, 4)));
        Assert.Equal(4, e.Position);
        Assert.Contains("did you mean 'x'", e.Message);
    }

    [Fact]
    public void UnknownFunctionIsAnError() =>
        Assert.Contains("unknown function 'lgo'; did you mean 'log'", Assert.Throws<FormulaException>(() => ModelDesign.Build("y ~ lgo(x) + (1 | g)", Small(5, 4))).Message);

    [Fact]
    public void RowsWithMissingValuesAreDroppedAndCounted()
    {
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy_missing"));
        Assert.Equal(150, m.Observations);
        Assert.Equal(30, m.DroppedRows);
    }

    [Fact]
    public void EveryRowMissingIsAnError()
    {
        var t = new Table([new NumericColumn("y", [double.NaN, double.NaN]), CategoricalColumn.FromStrings("g", ["a", "b"])]);
        Assert.Contains("no rows are left", Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ 1 + (1 | g)", t)).Message);
    }

    [Fact]
    public void InfiniteValuesAreAnError()
    {
        var t = Small(5, 4).With(new NumericColumn("x", Enumerable.Range(0, 20).Select(i => i == 7 ? double.PositiveInfinity : i).ToArray()));
        Assert.Contains("infinite value (data row 8)", Assert.Throws<ModelException>(() => ModelDesign.Build("y ~ x + (1 | g)", t)).Message);
    }

    [Fact]
    public void TermsAreOrderedAsLme4Orders()
    {
        var d = ModelDesign.Build("strength ~ 1 + (1 | batch/cask)", Datasets.Load("pastes"));
        Assert.Equal(["cask:batch", "batch"], d.RandomTerms.Select(t => t.GroupName));
        Assert.Equal(["a:A", "a:B", "a:C"], d.RandomTerms[0].Levels.Take(3));
        var p = ModelDesign.Build("diameter ~ 1 + (1 | sample) + (1 | plate)", Datasets.Load("penicillin"));
        Assert.Equal(["plate", "sample"], p.RandomTerms.Select(t => t.GroupName));
    }

    [Fact]
    public void SumAndHelmertContrastsAreAvailable()
    {
        var t = Datasets.Load("pastes");
        var sum = ModelDesign.Build("strength ~ cask + (1 | batch)", t, new DesignOptions { Contrasts = new Dictionary<string, ContrastKind> { ["cask"] = ContrastKind.Sum } });
        Assert.Equal(["(Intercept)", "cask1", "cask2"], sum.X.ColumnNames);
        Assert.Equal(-1, sum.X[Enumerable.Range(0, 60).First(i => ((CategoricalColumn)t["cask"])[i] == "c"), 1]);
        var helmert = ModelDesign.Build("strength ~ cask + (1 | batch)", t, new DesignOptions { Contrasts = new Dictionary<string, ContrastKind> { ["cask"] = ContrastKind.Helmert } });
        int rowC = Enumerable.Range(0, 60).First(i => ((CategoricalColumn)t["cask"])[i] == "c");
        Assert.Equal(2, helmert.X[rowC, 2]);
    }
}

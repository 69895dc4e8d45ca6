using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Data;

public sealed class DatasetsTests
{
    [Theory]
    [InlineData("sleepstudy", 180, "Subject", 18)]
    [InlineData("dyestuff", 30, "Batch", 6)]
    [InlineData("dyestuff2", 30, "Batch", 6)]
    [InlineData("penicillin", 144, "plate", 24)]
    [InlineData("pastes", 60, "cask", 3)]
    [InlineData("hsb", 7185, "School", 160)]
    [InlineData("orthodont", 108, "Subject", 27)]
    [InlineData("prepost", 200, "id", 100)]
    [InlineData("insteval", 73421, "d", 1128)]
    [InlineData("sleepstudy_missing", 180, "Subject", 18)]
    public void EmbeddedDataSetsLoadWithCategoricalGroupingColumns(string name, int rows, string group, int levels)
    {
        var t = Datasets.Load(name);
        Assert.Equal(rows, t.RowCount);
        Assert.Equal(levels, Assert.IsType<CategoricalColumn>(t[group]).Levels.Count);
    }

    [Fact]
    public void LevelOrdersAreRs()
    {
        Assert.Equal(["1", "6", "7", "8"], ((CategoricalColumn)Datasets.Load("insteval")["d"]).Levels.Take(4));
        var time = (CategoricalColumn)Datasets.Load("prepost")["time"];
        Assert.True(time.Ordered);
        Assert.Equal(["pre", "post"], time.Levels);
    }

    [Fact]
    public void UnknownNameListsTheDataSets() =>
        Assert.Contains("sleepstudy", Assert.Throws<MixedModelsDataException>(() => Datasets.Load("sleepstudyy")).Message);
}

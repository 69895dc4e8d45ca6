using MixedModels.Data;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Data;

public sealed class DataReaderTests
{
    [Fact]
    public void ReadsNumbersTextBooleansAndNulls()
    {
        var dt = new System.Data.DataTable();
        dt.Columns.Add("x", typeof(int));
        dt.Columns.Add("y", typeof(double));
        dt.Columns.Add("g", typeof(string));
        dt.Columns.Add("b", typeof(bool));
        dt.Rows.Add(1, 2.5, "a", true);
        dt.Rows.Add(DBNull.Value, 3.5, "b", false);
        dt.Rows.Add(3, DBNull.Value, DBNull.Value, true);
        var t = Table.FromDataReader(dt.CreateDataReader());
        Assert.Equal(3, t.RowCount);
        Assert.True(t["x"].IsMissing(1));
        Assert.Equal(2.5, ((NumericColumn)t["y"])[0]);
        Assert.True(t["g"].IsMissing(2));
        Assert.Equal(["FALSE", "TRUE"], ((CategoricalColumn)t["b"]).Levels);
    }

    [Fact]
    public void AFitFromADataReaderEqualsTheFitFromTheEmbeddedData()
    {
        var source = Datasets.Load("sleepstudy");
        var dt = new System.Data.DataTable();
        dt.Columns.Add("Reaction", typeof(double));
        dt.Columns.Add("Days", typeof(int));
        dt.Columns.Add("Subject", typeof(string));
        var subject = (CategoricalColumn)source["Subject"];
        for (int i = 0; i < source.RowCount; i++)
            dt.Rows.Add(((NumericColumn)source["Reaction"])[i], (int)((NumericColumn)source["Days"])[i], subject[i]);
        var t = Table.FromDataReader(dt.CreateDataReader());
        var a = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", t);
        var b = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", source);
        Assert.Equal(b.Objective, a.Objective, 9);
        Assert.Equal(b.FixedEffects[1].Estimate, a.FixedEffects[1].Estimate, 9);
    }

    private sealed class Recorder : IProgress<long>
    {
        public readonly List<long> Values = [];
        public void Report(long value) => Values.Add(value);
    }

    [Fact]
    public void ReportsRowsReadEveryTenThousandAndAtTheEnd()
    {
        var dt = new System.Data.DataTable();
        dt.Columns.Add("x", typeof(double));
        for (int i = 0; i < 25_000; i++) dt.Rows.Add(i * 0.5);
        var progress = new Recorder();
        var t = Table.FromDataReader(dt.CreateDataReader(), progress);
        Assert.Equal(25_000, t.RowCount);
        Assert.Equal(new long[] { 10_000, 20_000, 25_000 }, progress.Values);
    }
}

using System.Data;
using MixedModels.Data;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>Tables from what .NET code holds: records, DataTables, asynchronous readers.</summary>
public sealed class RecordTableTests
{
    private enum Arm { Placebo, Low, High }

    private sealed record Visit(string Subject, double Days, double Reaction);

    private sealed class Trial
    {
        public int Id { get; init; }
        [Categorical] public int School { get; init; }
        public Arm Arm { get; init; }
        public bool Female { get; init; }
        public double? Score { get; init; }
        public string? Note { get; init; }
        public long Count;
        private double Hidden { get; } = 1;
        public double Twice => 2 * Hidden;
    }

    [Fact]
    public void RecordsFitAsTheCsvDoes()
    {
        var sleep = Datasets.Load("sleepstudy");
        var subject = (CategoricalColumn)sleep["Subject"];
        var days = ((NumericColumn)sleep["Days"]).Values.ToArray();
        var reaction = ((NumericColumn)sleep["Reaction"]).Values.ToArray();
        var visits = Enumerable.Range(0, sleep.RowCount).Select(i => new Visit(subject[i]!, days[i], reaction[i])).ToList();
        var fromRecords = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Table.FromRecords(visits));
        var fromData = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", sleep);
        Assert.Equal(fromData.Objective, fromRecords.Objective, 10);
        Assert.Equal(fromData.FixedEffects["Days"].StandardError, fromRecords.FixedEffects["Days"].StandardError, 8);
    }

    [Fact]
    public void PropertyTypesMapToColumns()
    {
        var rows = new[]
        {
            new Trial { Id = 1, School = 20, Arm = Arm.High, Female = true, Score = 1.5, Note = "x", Count = 3 },
            new Trial { Id = 2, School = 3, Arm = Arm.Placebo, Female = false, Score = null, Note = null, Count = 4 },
            new Trial { Id = 3, School = 20, Arm = Arm.High, Female = true, Score = 2.5, Note = "y", Count = 5 },
        };
        var t = Table.FromRecords(rows, "Id");
        Assert.Equal(["Arm", "Count", "Female", "Id", "Note", "School", "Score", "Twice"], t.ColumnNames.Order(StringComparer.Ordinal));
        Assert.Equal(["1", "2", "3"], ((CategoricalColumn)t["Id"]).Levels);
        Assert.Equal(["3", "20"], ((CategoricalColumn)t["School"]).Levels);          // numeric order, as factor() of a number
        Assert.Equal(["Placebo", "High"], ((CategoricalColumn)t["Arm"]).Levels);      // declaration order, unused levels dropped
        Assert.Equal(["FALSE", "TRUE"], ((CategoricalColumn)t["Female"]).Levels);
        Assert.True(t["Score"].IsMissing(1));
        Assert.Equal(2.5, ((NumericColumn)t["Score"])[2]);
        Assert.True(t["Note"].IsMissing(1));
        Assert.Equal(4, ((NumericColumn)t["Count"])[1]);
        Assert.Equal(2, ((NumericColumn)t["Twice"])[0]);
        Assert.False(t.Contains("Hidden"));
    }

    private sealed record WithDate(DateTime When, double Y);

    [Fact]
    public void UnusableMembersAndNamesAreRefused()
    {
        var e = Assert.Throws<MixedModelsDataException>(() => Table.FromRecords([new WithDate(DateTime.Now, 1)]));
        Assert.Contains("'When'", e.Message);
        Assert.Contains("DateTime", e.Message);
        var unknown = Assert.Throws<MixedModelsDataException>(() => Table.FromRecords([new Visit("a", 1, 2)], "Subjct"));
        Assert.Contains("'Subjct'", unknown.Message);
        Assert.Contains("Subject, Days, Reaction", unknown.Message);
        Assert.Throws<MixedModelsDataException>(() => Table.FromRecords(new Visit?[] { null }));
        Assert.Contains("infinite", Assert.Throws<MixedModelsDataException>(() => Table.FromRecords([new Visit("a", double.PositiveInfinity, 2)])).Message);
    }

    private static DataTable SleepTable()
    {
        var sleep = Datasets.Load("sleepstudy");
        var dt = new DataTable();
        dt.Columns.Add("Reaction", typeof(double));
        dt.Columns.Add("Days", typeof(int));
        dt.Columns.Add("Subject", typeof(string));
        for (int i = 0; i < sleep.RowCount; i++)
            dt.Rows.Add(((NumericColumn)sleep["Reaction"])[i], (int)((NumericColumn)sleep["Days"])[i], ((CategoricalColumn)sleep["Subject"])[i]);
        return dt;
    }

    [Fact]
    public async Task DataTablesAndAsyncReadersGiveTheSameTable()
    {
        var dt = SleepTable();
        var fromDt = Table.FromDataTable(dt);
        using var reader = dt.CreateDataReader();
        var fromAsync = await Table.FromDataReaderAsync(reader);
        var csv = new StringWriter();
        fromDt.WriteCsv(csv);
        Assert.Equal(csv.ToString(), Write(fromAsync));
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", fromDt);
        Assert.Equal(1743.628, m.Objective, 3);
    }

    private static string Write(Table t)
    {
        var w = new StringWriter();
        t.WriteCsv(w);
        return w.ToString();
    }

    [Fact]
    public async Task ReadCsvAsyncReadsAsReadCsv()
    {
        string text = "y;x;g\n1,5;2;a\n\"2,5\";;b\n3;4;\"c \"\"d\"\"\"\n";
        var sync = Table.ReadCsv(new StringReader(text));
        var fromReader = await Table.ReadCsvAsync(new StringReader(text));
        var fromStream = await Table.ReadCsvAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, text);
            var fromFile = await Table.ReadCsvAsync(path);
            Assert.Equal(Write(sync), Write(fromFile));
        }
        finally { File.Delete(path); }
        Assert.Equal(Write(sync), Write(fromReader));
        Assert.Equal(Write(sync), Write(fromStream));
        Assert.Equal(1.5, ((NumericColumn)sync["y"])[0]);
        Assert.Equal("c \"d\"", ((CategoricalColumn)sync["g"])[2]);
        var e = await Assert.ThrowsAsync<MixedModelsDataException>(() => Table.ReadCsvAsync(new StringReader("a,b\n1,2\n3\n")));
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public async Task ReadCsvAsyncHonoursCancellation()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var text = "a,b\n" + string.Concat(Enumerable.Repeat("1,2\n", 100_000));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Table.ReadCsvAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), cancellationToken: cts.Token));
    }
}

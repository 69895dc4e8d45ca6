using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Data;

public sealed class CsvTests
{
    private static Table Read(string text) => Table.ReadCsv(new StringReader(text));

    [Fact]
    public void ReadsQuotedFieldsWithSeparatorsQuotesAndNewlines()
    {
        var t = Read("name,value,note\n\"Smith, J\",1.5,\"said \"\"hi\"\"\"\n\"two\nlines\",2,plain\n");
        var name = Assert.IsType<CategoricalColumn>(t["name"]);
        Assert.Equal(["Smith, J", "two\nlines"], new[] { name[0]!, name[1]! });
        Assert.Equal("said \"hi\"", ((CategoricalColumn)t["note"])[0]);
        Assert.Equal([1.5, 2.0], ((NumericColumn)t["value"]).Values.ToArray());
    }

    [Fact]
    public void InfersTypesAndMissingValues()
    {
        var t = Read("a,b,c\n1,x,\"3\"\nNA,,4\nNaN,y,5e-1\n");
        var a = Assert.IsType<NumericColumn>(t["a"]);
        Assert.True(a.IsMissing(1) && a.IsMissing(2));
        var b = Assert.IsType<CategoricalColumn>(t["b"]);
        Assert.True(b.IsMissing(1));
        Assert.Equal(["x", "y"], b.Levels);
        Assert.Equal([3.0, 4.0, 0.5], ((NumericColumn)t["c"]).Values.ToArray());
    }

    [Fact]
    public void TextLevelsAreSortedOrdinallyAndNumbersBecomeText()
    {
        var t = Read("g\nb\n10\nB\n2\na\n");
        Assert.Equal(["10", "2", "B", "a", "b"], ((CategoricalColumn)t["g"]).Levels);
    }

    [Fact]
    public void NumericColumnsBecomeFactorsInNumericOrder()
    {
        var t = Read("s\n10\n2\n1\n2\n").AsFactor("s");
        var s = (CategoricalColumn)t["s"];
        Assert.Equal(["1", "2", "10"], s.Levels);
        Assert.Equal([2, 1, 0, 1], s.Codes.ToArray());
    }

    [Fact]
    public void ExplicitAndOrderedLevels()
    {
        var t = Read("time\npre\npost\npre\n").AsFactor("time", ["pre", "post"], ordered: true);
        var time = (CategoricalColumn)t["time"];
        Assert.True(time.Ordered);
        Assert.Equal(["pre", "post"], time.Levels);
        Assert.Throws<MixedModelsDataException>(() => Read("time\npre\nmid\n").AsFactor("time", ["pre", "post"]));
    }

    [Theory]
    [InlineData("a,b\n1,2\n3\n", 3L, "has 1 field but the header has 2")]
    [InlineData("a,b\n1,2\n3,4,5\n", 3L, "has 3 fields")]
    [InlineData("a,a\n1,2\n", 1L, "twice")]
    [InlineData("a,b\n\"1,2\n", 2L, "never closed")]
    [InlineData("a,b\n\"1\"x,2\n", 2L, "after the closing quote")]
    [InlineData("a,b\n1\"2,3\n", 2L, "quote character inside an unquoted field")]
    [InlineData("a,,c\n1,2,3\n", 1L, "column 2 of the header has no name")]
    public void ErrorsNameTheLine(string text, long line, string message)
    {
        var e = Assert.Throws<MixedModelsDataException>(() => Read(text));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void EmptyInputIsAnError() => Assert.Contains("empty", Assert.Throws<MixedModelsDataException>(() => Read("")).Message);

    [Fact]
    public void HeaderOnlyGivesNoRows() => Assert.Equal(0, Read("a,b\n").RowCount);

    [Fact]
    public void HandlesCrLfBomAndBlankLines()
    {
        var t = Read("\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n");
        Assert.Equal(["a", "b"], t.ColumnNames);
        Assert.Equal(2, t.RowCount);
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var e = Assert.Throws<MixedModelsDataException>(() => Table.ReadCsv("/no/such/file.csv"));
        Assert.Contains("no such file", e.Message);
    }

    [Fact]
    public void UnknownColumnSuggestsTheNearestName()
    {
        var t = Read("Reaction,Days\n1,2\n");
        var e = Assert.Throws<MixedModelsDataException>(() => t["Dasy"]);
        Assert.Contains("did you mean 'Days'", e.Message);
    }

    [Fact]
    public void WriteThenReadRoundTrips()
    {
        var t = Datasets.Load("pastes");
        var sw = new StringWriter();
        t.WriteCsv(sw);
        var back = Read(sw.ToString());
        Assert.Equal(t.RowCount, back.RowCount);
        Assert.Equal(((NumericColumn)t["strength"]).Values.ToArray(), ((NumericColumn)back["strength"]).Values.ToArray());
        Assert.Equal(((CategoricalColumn)t["cask"]).Levels, ((CategoricalColumn)back["cask"]).Levels);
    }

    [Theory]
    [InlineData("y;x;g\n1,5;2;a\n3;4;b,c\n", ';')]
    [InlineData("y\tx\tg\n1.5\t2\ta\n3\t4\tb\n", '\t')]
    public void DetectsSemicolonAndTabSeparatedHeaders(string text, char separator)
    {
        var t = Read(text);
        Assert.Equal(new[] { "y", "x", "g" }, t.ColumnNames);
        Assert.Equal(2, t.RowCount);
        Assert.IsType<NumericColumn>(t["x"]);
        Assert.Equal(1.5, ((NumericColumn)t["y"])[0]); // with ';' a decimal comma, as R's read.csv2
        Assert.Equal(3, ((NumericColumn)t["y"])[1]);
        if (separator == ';') Assert.Equal("b,c", ((CategoricalColumn)t["g"])[1]); // text keeps its comma
    }

    [Fact]
    public void CommaHeaderKeepsSemicolonsInsideFields()
    {
        var t = Read("a,b\nx;y,1\n");
        Assert.Equal(new[] { "a", "b" }, t.ColumnNames);
        Assert.Equal("x;y", ((CategoricalColumn)t["a"])[0]);
        Assert.Single(Read("\"a;b\"\n1\n").ColumnNames);
        Assert.Single(Table.ReadCsv(new StringReader("a;b\n1;2\n"), new CsvOptions { DetectSeparator = false }).ColumnNames);
    }

    private sealed class LastValue : IProgress<long>
    {
        public long Value = -1;
        public void Report(long value) => Value = value;
    }

    [Fact]
    public void ReportsTheBytesReadFromAFile()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mixed-csv-").FullName, "d.csv");
        File.WriteAllText(path, "y,g\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i},g{i % 7}\n")));
        var progress = new LastValue();
        var t = Table.ReadCsv(path, bytesRead: progress);
        Assert.Equal(20_000, t.RowCount);
        Assert.Equal(new FileInfo(path).Length, progress.Value);
    }
}

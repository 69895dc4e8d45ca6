using System.Text;
using MixedModels.Data;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>Reading never turns bad bytes or ambiguous numbers into values silently (issue 10, point 1).</summary>
public sealed class CsvTrustTests
{
    private static Table Read(string text) => Table.ReadCsv(new StringReader(text), new CsvOptions { DetectSeparator = true });

    [Fact]
    public void ASemicolonColumnMixingDecimalCommaAndPointIsTextAsReadCsv2LeavesIt()
    {
        var t = Read("y;x;w\n1,5;1.234;2,5\n2,5;2,5;3\n3;3;4,25\n");
        Assert.Equal([1.5, 2.5, 3], ((NumericColumn)t["y"]).Values.ToArray());
        var x = Assert.IsType<CategoricalColumn>(t["x"]);
        Assert.Equal(["1.234", "2,5", "3"], x.Levels);
        Assert.Equal([2.5, 3, 4.25], ((NumericColumn)t["w"]).Values.ToArray());
    }

    private static string WriteTemp(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mixed-trust-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] LongFile(Func<int, string> row)
    {
        var sb = new StringBuilder("y,x,g\n");
        for (int i = 0; i < 2000; i++) sb.Append(row(i)).Append('\n');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    [Fact]
    public void ANulByteAfterTheFirstBlockIsRefusedWithItsLine()
    {
        string path = WriteTemp(LongFile(i => i == 1500 ? "5,3,g\0x" : $"{i},{i % 7},g{i % 5}"));
        try
        {
            var e = Assert.Throws<MixedModelsDataException>(() => Table.ReadCsv(path));
            Assert.Contains("line 1502", e.Message);
            Assert.Contains("NUL", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void InvalidUtf8AfterTheFirstBlockIsRefusedWithItsLine()
    {
        var bytes = LongFile(i => $"{i},{i % 7},g{i % 5}").ToList();
        int at = Encoding.UTF8.GetString(bytes.ToArray()).IndexOf("\n1700,", StringComparison.Ordinal) + 5;
        bytes.Insert(at, 0xFF);
        string path = WriteTemp([.. bytes]);
        try
        {
            var e = Assert.Throws<MixedModelsDataException>(() => Table.ReadCsv(path));
            Assert.Contains("line 1702", e.Message);
            Assert.Contains("not valid UTF-8", e.Message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void MinusZeroIsTheLevelZeroOfAFactor()
    {
        var t = Read("y,g\n1,0\n2,-0\n3,1\n").AsFactor("g");
        var g = (CategoricalColumn)t["g"];
        Assert.Equal(["0", "1"], g.Levels);
        Assert.Equal(g.Codes[0], g.Codes[1]);
    }

    [Fact]
    public void NaNsProducedByAFunctionAreCountedApartFromMissingValues()
    {
        var data = Datasets.Load("sleepstudy_missing");
        var m = LinearMixedModel.Fit("log(Days - 2.5) ~ 1 + (1 | Subject)", data);
        var msg = Assert.Single(m.Messages, s => s.Contains("NaNs produced"));
        // Days 0, 1, 2 give NaN on the rows where Days is not already missing
        int produced = 0;
        var days = ((NumericColumn)data["Days"]).Values;
        foreach (double d in days) if (!double.IsNaN(d) && d < 2.5) produced++;
        Assert.StartsWith($"log(Days - 2.5): NaNs produced on {produced} rows", msg);
        Assert.DoesNotContain(LinearMixedModel.Fit("log(Reaction) ~ Days + (1 | Subject)", data).Messages, s => s.Contains("NaN"));
    }
}

using System.Globalization;
using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>The fast number parser (csFastFloat) reads exactly what the invariant-culture parser reads, and nothing more.</summary>
public sealed class CsvNumberTests
{
    private static Table Read(string text, CsvOptions? options = null) => Table.ReadCsv(new StringReader(text), options);

    [Fact]
    public void NumbersInManyFormatsReadAsDoubleParseReadsThem()
    {
        var rnd = new Random(20261201);
        var texts = new List<string>();
        for (int i = 0; i < 20000; i++)
        {
            double v = (rnd.NextDouble() - 0.5) * Math.Pow(10, rnd.Next(-300, 300));
            texts.Add((i % 5) switch
            {
                0 => v.ToString("R", CultureInfo.InvariantCulture),
                1 => v.ToString("E10", CultureInfo.InvariantCulture),
                2 => v.ToString("F3", CultureInfo.InvariantCulture).TrimEnd('0'),
                3 => rnd.Next(-100000, 100000).ToString(CultureInfo.InvariantCulture),
                _ => " " + v.ToString("G6", CultureInfo.InvariantCulture) + " ",
            });
        }
        texts.AddRange(["1e-400", "-0", "00012", ".5", "5.", "+.5e-3", "1E+05", "1e-320", "4.9e-324", "1.7976931348623157e308"]);
        var column = (NumericColumn)Read("x\n" + string.Join("\n", texts) + "\n")["x"];
        for (int i = 0; i < texts.Count; i++)
            Assert.Equal(double.Parse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture), column[i]);
    }

    [Theory]
    [InlineData("1.5.3")]
    [InlineData("1d")]
    [InlineData("0x10")]
    [InlineData("1_0")]
    [InlineData("12 3")]
    [InlineData("1,5")]
    [InlineData("1.5abc")]
    [InlineData("inf")]
    public void TextThatOnlyStartsLikeANumberIsText(string value)
    {
        var table = Read($"x\n1\n\"{value}\"\n2.5\n");
        var x = Assert.IsType<CategoricalColumn>(table["x"]);
        Assert.Equal(value, x[1]);
        if (value.Contains(',')) return;   // unquoted, a comma separates fields
        var unquoted = Read($"x,y\n1,2\n{value},3\n");
        Assert.Equal(value, Assert.IsType<CategoricalColumn>(unquoted["x"])[1]);
    }

    [Fact]
    public void InfinitiesAndMissingCodesTakeTheCarefulPath()
    {
        var t = Read("x,y\n1,Inf\n-99,-Inf\n-99.5,2\n", new CsvOptions { MissingValues = ["", "NA", "-99"] });
        var x = (NumericColumn)t["x"];
        Assert.True(x.IsMissing(1));
        Assert.Equal(-99.5, x[2]);
        var y = (NumericColumn)t["y"];
        Assert.Equal(double.PositiveInfinity, y[0]);
        Assert.Equal(double.NegativeInfinity, y[1]);
    }
}

using MixedModels.Formatting;
using System.Text.Json;
using MixedModels.Reporting;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>R's format(), round(), signif(), zapsmall(), abbreviate() and format.pval() against R's own output (tools/format-reference.R).</summary>
public sealed class RFormatTests
{
    private static readonly JsonElement Cases =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "r-format.json"))).RootElement;

    private static double[] D(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static string[] S(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    [Fact]
    public void FormatMatchesR()
    {
        var failures = new List<string>();
        foreach (var c in Cases.GetProperty("format").EnumerateArray())
        {
            var x = D(c.GetProperty("x"));
            int digits = c.GetProperty("digits")[0].GetInt32();
            int nsmall = c.GetProperty("nsmall")[0].GetInt32();
            var expected = S(c.GetProperty("out"));
            var ours = RFormat.Format(x, digits, nsmall);
            if (!ours.SequenceEqual(expected))
                failures.Add($"format({string.Join(", ", x.Select(v => v.ToString("R")))}, digits={digits}, nsmall={nsmall}): [{string.Join("|", ours)}] vs R [{string.Join("|", expected)}]");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void RoundMatchesR()
    {
        foreach (var c in Cases.GetProperty("round").EnumerateArray())
        {
            double x = c.GetProperty("x")[0].GetDouble();
            int d = c.GetProperty("digits")[0].GetInt32();
            Assert.Equal(c.GetProperty("out")[0].GetDouble(), RFormat.Round(x, d));
        }
    }

    [Fact]
    public void SignifMatchesR()
    {
        foreach (var c in Cases.GetProperty("signif").EnumerateArray())
        {
            double x = c.GetProperty("x")[0].GetDouble();
            int d = c.GetProperty("digits")[0].GetInt32();
            double expected = c.GetProperty("out")[0].GetDouble();
            Assert.True(Math.Abs(RFormat.Signif(x, d) - expected) <= 1e-15 * Math.Abs(expected), $"signif({x:R}, {d}): {RFormat.Signif(x, d):R} vs {expected:R}");
        }
    }

    [Fact]
    public void ZapSmallMatchesR()
    {
        foreach (var c in Cases.GetProperty("zapsmall").EnumerateArray())
            Assert.Equal(D(c.GetProperty("out")), RFormat.ZapSmall(D(c.GetProperty("x")), 5));
    }

    [Fact]
    public void AbbreviateMatchesR()
    {
        foreach (var c in Cases.GetProperty("abbreviate").EnumerateArray())
        {
            var names = S(c.GetProperty("names"));
            int ml = c.GetProperty("minlength")[0].GetInt32();
            Assert.Equal(S(c.GetProperty("out")), Abbreviate.Names(names, ml));
        }
    }

    [Fact]
    public void FormatPvalMatchesR()
    {
        foreach (var c in Cases.GetProperty("pval").EnumerateArray())
            Assert.Equal(S(c.GetProperty("out")), PValues.Format(D(c.GetProperty("p")), c.GetProperty("digits")[0].GetInt32()));
    }

    [Theory]
    [InlineData(1743.6282719585, "1743.628")]
    [InlineData(246.99, "246.99")]
    [InlineData(1585.0, "1585")]
    [InlineData(237721.8, "237721.8")]
    public void CatPrintsSevenSignificantDigits(double x, string expected) => Assert.Equal(expected, RFormat.Cat(x));
}

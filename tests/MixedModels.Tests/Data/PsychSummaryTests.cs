using System.Text.Json;
using MixedModels.Data;
using MixedModels.Tests.Cli;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>Descriptives as courses use them, against R's psych 2.x and aggregate() (tools/reference-prep.R, Reference/prep/describe.json).</summary>
public sealed class PsychSummaryTests
{
    private static readonly JsonElement Ref =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("prep"), "describe.json"))).RootElement;

    private static void Same(JsonElement expected, PsychRow actual)
    {
        Assert.Equal(expected.GetProperty("variable").GetString(), actual.Variable);
        Assert.Equal(expected.GetProperty("vars").GetInt32(), actual.Vars);
        Assert.Equal(expected.GetProperty("n").GetInt32(), actual.N);
        foreach (var (name, value) in new[] { ("mean", actual.Mean), ("sd", actual.Sd), ("median", actual.Median), ("trimmed", actual.Trimmed),
            ("mad", actual.Mad), ("min", actual.Min), ("max", actual.Max), ("range", actual.Range), ("skew", actual.Skew),
            ("kurtosis", actual.Kurtosis), ("se", actual.Se) })
        {
            double r = expected.GetProperty(name).GetDouble();
            Assert.True(Math.Abs(value - r) <= 1e-10 * Math.Max(1, Math.Abs(r)), $"{actual.Variable} {name}: {value} vs psych {r}");
        }
    }

    [Fact]
    public void DescribeIsPsychs()
    {
        var sleep = PsychSummary.Describe(Datasets.Load("sleepstudy"));
        var expected = Ref.GetProperty("psych_sleep").EnumerateArray().ToList();
        Assert.Equal(expected.Count, sleep.Count);
        for (int i = 0; i < sleep.Count; i++) Same(expected[i], sleep[i]);
        var hsb = Datasets.Load("hsb");
        var four = new Table(new[] { "MathAch", "SES", "Size", "Sector" }.Select(c => hsb[c]));
        var rows = PsychSummary.Describe(four);
        var h = Ref.GetProperty("psych_hsb").EnumerateArray().ToList();
        for (int i = 0; i < rows.Count; i++) Same(h[i], rows[i]);
    }

    [Fact]
    public void DescribeByAndGroupMeans()
    {
        var hsb = Datasets.Load("hsb");
        var two = new Table(new[] { "MathAch", "SES", "Sector" }.Select(c => hsb[c]));
        var groups = PsychSummary.DescribeBy(two, "Sector");
        var expected = Ref.GetProperty("psych_by_sector").EnumerateArray().ToList();
        Assert.Equal(expected.Select(e => e.GetProperty("group").GetString()), groups.Select(g => g.Group));
        for (int g = 0; g < groups.Count; g++)
        {
            var rows = expected[g].GetProperty("rows").EnumerateArray().ToList();
            for (int i = 0; i < rows.Count; i++) Same(rows[i], groups[g].Rows[i]);
        }
        var three = new Table(new[] { "MathAch", "SES", "Size", "Sector" }.Select(c => hsb[c]));
        var (columns, means) = PsychSummary.GroupMeans(three, "Sector");
        var r = Ref.GetProperty("group_means_sector").EnumerateArray().ToList();
        for (int g = 0; g < r.Count; g++)
        {
            Assert.Equal(r[g].GetProperty("Sector").GetString(), means[g].Group);
            for (int c = 0; c < columns.Count; c++) Assert.Equal(r[g].GetProperty(columns[c]).GetDouble(), means[g].Means[c], 10);
        }
    }

    [Fact]
    public void TheCliPrintsPsychsTableAndAFirstLook()
    {
        var (code, text, _) = CliTests.Run("describe", "--data", "sleepstudy", "--style", "psych");
        Assert.Equal(0, code);
        Assert.Contains("vars", text);
        Assert.Contains("Subject*", text);
        Assert.Contains("298.51", text);
        Assert.Contains("59.34", text);
        var (_, json, _) = CliTests.Run("describe", "--data", "hsb", "--style", "psych", "--by", "Sector", "--format", "json");
        var doc = JsonDocument.Parse(json).RootElement;
        Assert.Equal("Catholic", doc[0].GetProperty("Sector").GetString());
        var (_, means, _) = CliTests.Run("describe", "--data", "hsb", "--by", "Sector", "--format", "csv");
        Assert.StartsWith("Sector,n,SES,MathAch", means);
        var (icc, line, _) = CliTests.Run("describe", "--data", "hsb", "--group", "School", "--icc", "MathAch");
        Assert.Equal(0, icc);
        Assert.Contains($"ICC of MathAch ~ 1 + (1 | School): {Ref.GetProperty("icc_hsb").GetDouble():0.000}", line);
        Assert.Contains("160 groups of 14 to 67 rows", line);
        var (bad, _, why) = CliTests.Run("describe", "--data", "hsb", "--icc", "MathAch");
        Assert.Equal(1, bad);
        Assert.Contains("--group", why);
    }
}

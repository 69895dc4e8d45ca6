using System.Text.Json;
using MixedModels.Data;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>describe, datasets show/export and bench through the CLI.</summary>
public sealed class DataCommandsTests
{
    [Fact]
    public void DescribeSummarizesColumnsAndGroupSizes()
    {
        var (code, json, err) = CliTests.Run("describe", "--data", "sleepstudy_missing", "--group", "Subject", "--format", "json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(180, root.GetProperty("rows").GetInt32());
        var reaction = root.GetProperty("columns").EnumerateArray().First(c => c.GetProperty("column").GetString() == "Reaction");
        var values = ((NumericColumn)Datasets.Load("sleepstudy_missing")["Reaction"]).Values.ToArray().Where(v => !double.IsNaN(v)).ToArray();
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        Assert.Equal(23, reaction.GetProperty("missing").GetInt32());
        Assert.Equal(mean, reaction.GetProperty("mean").GetDouble(), 10);
        Assert.Equal(sd, reaction.GetProperty("sd").GetDouble(), 10);
        Assert.Equal(values.Min(), reaction.GetProperty("min").GetDouble());
        Assert.Equal(values.Max(), reaction.GetProperty("max").GetDouble());
        var group = root.GetProperty("groups")[0];
        var summary = group.GetProperty("summary")[0];
        Assert.Equal(18, summary.GetProperty("groups").GetInt32());
        Assert.Equal(10, summary.GetProperty("median_size").GetDouble());
        var distribution = group.GetProperty("distribution");
        Assert.Equal(1, distribution.GetArrayLength());
        Assert.Equal(18, distribution[0].GetProperty("groups").GetInt32());
    }

    [Fact]
    public void DescribeShowsUnequalGroupSizesAsText()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mixed-describe-").FullName, "d.csv");
        File.WriteAllText(path, "y,school\n1,a\n2,a\n3,a\n4,b\n5,c\n6,c\n");
        var (code, text, err) = CliTests.Run("describe", "--data", path, "--group", "school");
        Assert.True(code == 0, err);
        Assert.Contains("Group sizes of school", text);
        Assert.Matches(@"│\s+1 │\s+1 │", text);   // one group of size 1
        Assert.Matches(@"│ school\s+│\s+3 │\s+6 │\s+1 │\s+2 │", text); // 3 groups, 6 rows, min 1, median 2
        Assert.Contains("╭", text);
    }

    [Fact]
    public void DatasetsShowListsColumnTypesAndLevels()
    {
        var (code, text, _) = CliTests.Run("datasets", "show", "prepost");
        Assert.Equal(0, code);
        Assert.Contains("prepost: Pre/post scores", text);
        Assert.Matches(@"│ time\s+│ ordered\s+│", text);
        Assert.Contains("pre (100), post (100)", text);
        Assert.Matches(@"│ score\s+│ numeric\s+│\s+12 │", text);
    }

    [Fact]
    public void DatasetsExportWritesCsvThatReadsBackToTheSameTable()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("mixed-export-").FullName, "pastes.csv");
        var (code, _, err) = CliTests.Run("datasets", "export", "pastes", "--output", path);
        Assert.True(code == 0, err);
        var back = Table.ReadCsv(path);
        var original = Datasets.Load("pastes");
        Assert.Equal(original.RowCount, back.RowCount);
        Assert.Equal(original.ColumnNames, back.ColumnNames);
        Assert.Equal(((NumericColumn)original["strength"]).Values.ToArray(), ((NumericColumn)back["strength"]).Values.ToArray());
    }

    [Fact]
    public void BenchReportsTheSuiteFieldsAsJson()
    {
        var (code, json, err) = CliTests.Run("bench", "--only", "pastes", "--max-runs", "3", "--format", "json");
        Assert.True(code == 0, err);
        var row = Assert.Single(JsonDocument.Parse(json).RootElement.EnumerateArray());
        Assert.Equal("pastes", row.GetProperty("name").GetString());
        Assert.True(row.GetProperty("median_ms").GetDouble() > 0);
        Assert.Equal(3, row.GetProperty("runs").GetInt32());
        Assert.True(row.GetProperty("evaluations").GetInt32() > 10);
        Assert.Equal(246.990745853, row.GetProperty("objective").GetDouble(), 6); // lme4's REML criterion for pastes
        Assert.True(row.GetProperty("allocated_bytes").GetInt64() > 0);
    }
}

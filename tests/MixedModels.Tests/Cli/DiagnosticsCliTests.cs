using System.Text.Json;
using System.Xml.Linq;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>The ranef, predict, simulate, influence, plot and report commands.</summary>
public sealed class DiagnosticsCliTests
{
    private const string Sleep = "Reaction ~ Days + (Days | Subject)";

    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    [Fact]
    public void RanefSortedByEffectWithIntervals()
    {
        var (code, json, err) = Run("ranef", "--data", "sleepstudy", "--formula", Sleep, "--format", "json");
        Assert.True(code == 0, err);
        var rows = JsonDocument.Parse(json).RootElement.EnumerateArray().ToArray();
        Assert.Equal(36, rows.Length);
        var intercepts = rows.Where(r => r.GetProperty("term").GetString() == "(Intercept)").Select(r => r.GetProperty("estimate").GetDouble()).ToArray();
        Assert.Equal(intercepts.Order(), intercepts);
        Assert.True(rows[0].GetProperty("conf_low").GetDouble() < rows[0].GetProperty("estimate").GetDouble());
        var (_, coef, _) = Run("ranef", "--data", "sleepstudy", "--formula", Sleep, "--coef", "--format", "csv");
        Assert.StartsWith("group,level,(Intercept),Days\nSubject,308,253.66", coef);
        var (_, outliers, _) = Run("ranef", "--data", "sleepstudy", "--formula", Sleep, "--outliers", "2", "--format", "csv");
        Assert.StartsWith("group,level,term,estimate,cond.sd,sampling.sd,z,block.chisq\n", outliers);
    }

    [Fact]
    public void PredictReadsNewDataAndReportsNewLevels()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mixed-new-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "Days,Subject\n0,308\n12,999\n");
        try
        {
            var (code, csv, err) = Run("predict", "--data", "sleepstudy", "--formula", Sleep, "--newdata", path, "--interval", "prediction", "--format", "csv");
            Assert.True(code == 0, err);
            var lines = csv.TrimEnd().Split('\n');
            Assert.Equal("Days,Subject,fit,se.fixed,se,lower,upper,new.levels", lines[0]);
            Assert.StartsWith("0,308,253.66", lines[1]);
            Assert.EndsWith(",Subject", lines[2]);
            var (_, pop, _) = Run("predict", "--data", "sleepstudy", "--formula", Sleep, "--newdata", path, "--population", "--format", "json");
            Assert.Equal(251.405, JsonDocument.Parse(pop).RootElement[0].GetProperty("fit").GetDouble(), 3);
            var (bad, _, message) = Run("predict", "--data", "sleepstudy", "--formula", "Reaction ~ Days + Extra + (1 | Subject)", "--newdata", path);
            Assert.Equal(1, bad);
            Assert.Contains("no column 'Extra'", message);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SimulateWritesOneColumnPerSimulation()
    {
        string[] args = ["simulate", "--data", "sleepstudy", "--formula", Sleep, "--nsim", "3", "--seed", "7"];
        var (code, csv, err) = Run(args);
        Assert.True(code == 0, err);
        var lines = csv.TrimEnd().Split('\n');
        Assert.Equal("sim_1,sim_2,sim_3", lines[0]);
        Assert.Equal(181, lines.Length);
        Assert.Equal(csv, Run(args).Out);
    }

    [Fact]
    public void InfluenceListsEveryCluster()
    {
        var (code, json, err) = Run("influence", "--data", "sleepstudy", "--formula", Sleep, "--format", "json", "--approximate");
        Assert.True(code == 0, err);
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(18, rows.GetArrayLength());
        Assert.True(rows[0].GetProperty("cooks_distance").GetDouble() > 0);
        Assert.Equal(1, Run("influence", "--data", "sleepstudy", "--formula", Sleep, "--group", "Days").Code);
    }

    [Theory]
    [InlineData("residuals")]
    [InlineData("qq")]
    [InlineData("qq-ranef")]
    [InlineData("caterpillar")]
    [InlineData("observed")]
    [InlineData("groups")]
    [InlineData("spaghetti")]
    public void PlotWritesSvg(string kind)
    {
        string path = Path.Combine(Path.GetTempPath(), $"mixed-plot-{Guid.NewGuid():N}.svg");
        try
        {
            var (code, _, err) = Run("plot", kind, "--data", "sleepstudy", "--formula", Sleep, "--output", path, "--max-panels", "4");
            Assert.True(code == 0, err);
            Assert.Equal("svg", XDocument.Load(path).Root!.Name.LocalName);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void PlotAndReportErrors()
    {
        Assert.Equal(1, Run("plot", "groups", "--data", "sleepstudy", "--formula", Sleep, "--x", "Nope").Code);
        Assert.NotEqual(0, Run("plot", "pie", "--data", "sleepstudy", "--formula", Sleep).Code);
        var (code, html, err) = Run("report", "--data", "sleepstudy", "--formula", Sleep);
        Assert.True(code == 0, err);
        Assert.StartsWith("<!DOCTYPE html>", html);
    }
}

using System.Text.Json;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>Robust fits (robustlmm's rlmer) through the `mixed` command.</summary>
public sealed class RobustCliTests
{
    private const string Rehab = "resemblance ~ intervention + gep_level + tse_months + (intervention | id_clin)";

    [Fact]
    public void FitRobustPrintsRobustlmmsSummary()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "rehab", "--robust", "--formula", Rehab);
        Assert.True(code == 0, err);
        Assert.StartsWith("Robust linear mixed model fit by DAStau \n", text);
        Assert.Contains("interventionGene therapy  2.61926    1.53455    1.71", text);
        Assert.Contains(" 157 weights are ~= 1. The remaining 33 ones are summarized as", text);
        Assert.Contains("    eff: smoothed Huber (k = 5.14, s = 10) ", text);
    }

    [Fact]
    public void CallAndMethodOptionAgree()
    {
        var (c1, byOption, e1) = CliTests.Run("fit", "--data", "sleepstudy", "--robust", "--robust-method", "DASvar", "--formula", "Reaction ~ Days + (1 | Subject)", "--format", "json");
        var (c2, byCall, e2) = CliTests.Run("fit", "--call", "rlmer(Reaction ~ Days + (1 | Subject), data = sleepstudy, method = \"DASvar\")", "--format", "json");
        Assert.True(c1 == 0, e1);
        Assert.True(c2 == 0, e2);
        var a = JsonDocument.Parse(byOption).RootElement;
        var b = JsonDocument.Parse(byCall).RootElement;
        Assert.Equal("DASvar", a.GetProperty("method").GetString());
        Assert.Equal(a.GetProperty("sigma").GetDouble(), b.GetProperty("sigma").GetDouble());
        Assert.True(Math.Abs(26.66664791 - a.GetProperty("sigma").GetDouble()) < 1e-4); // robustlmm 3.1-2 (its σ iterations stop at a relative change of 1e-6)
    }

    [Fact]
    public void TidyCompareAndPlots()
    {
        var (code, csv, err) = CliTests.Run("tidy", "--data", "sleepstudy", "--robust", "--formula", "Reaction ~ Days + (Days | Subject)", "--format", "csv");
        Assert.True(code == 0, err);
        Assert.StartsWith("effect,group,term,estimate,std.error,statistic\nfixed,,(Intercept),251.23", csv);
        (code, var table, err) = CliTests.Run("compare", "--data", "dyestuff", "--robust", "--formula", "Yield ~ 1 + (1 | Batch)");
        Assert.True(code == 0, err);
        Assert.Contains("(Intercept)         1528 (19.4) 1527 (22.8)", table);
        string svg = Path.Combine(Path.GetTempPath(), $"robust-{Guid.NewGuid():N}.svg");
        try
        {
            (code, _, err) = CliTests.Run("plot", "weights-group", "--data", "sleepstudy", "--robust", "--formula", "Reaction ~ Days + (Days | Subject)", "--output", svg);
            Assert.True(code == 0, err);
            var text = File.ReadAllText(svg);
            Assert.StartsWith("<svg", text);
            Assert.Contains("Robustness weights by Subject", text);
        }
        finally { File.Delete(svg); }
    }

    [Theory]
    [InlineData(new[] { "fit", "--data", "sleepstudy", "--robust", "--family", "poisson", "--formula", "Days ~ 1 + (1 | Subject)" }, "leave out --family")]
    [InlineData(new[] { "fit", "--data", "sleepstudy", "--robust", "--ml", "--formula", "Reaction ~ Days + (1 | Subject)" }, "no ML variant")]
    [InlineData(new[] { "fit", "--data", "sleepstudy", "--robust", "--weights", "Days", "--formula", "Reaction ~ Days + (1 | Subject)" }, "prior weights")]
    [InlineData(new[] { "fit", "--data", "sleepstudy", "--call", "rlmer(Reaction ~ Days + (1 | Subject), method = \"tau\")" }, "\"DAStau\" and \"DASvar\"")]
    [InlineData(new[] { "plot", "caterpillar", "--data", "sleepstudy", "--robust", "--formula", "Reaction ~ Days + (1 | Subject)" }, "a robust fit's plots are")]
    [InlineData(new[] { "plot", "weights", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)" }, "add --robust")]
    [InlineData(new[] { "anova", "--data", "sleepstudy", "--call", "rlmer(Reaction ~ Days + (1 | Subject))" }, "rlmer")]
    public void MistakesGetMessages(string[] args, string expected) => BadInputTests.AssertUserError(args, expected);
}

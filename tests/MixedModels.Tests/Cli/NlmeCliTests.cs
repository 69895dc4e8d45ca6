using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>nlme's gls and lme calls through `mixed compare` and `mixed tidy`.</summary>
public sealed class NlmeCliTests
{
    [Fact]
    public void CompareOfNlmeCallsPrintsNlmesAnova()
    {
        var (code, text, err) = CliTests.Run("compare", "--data", "rehab", "--labels", "rehab_base,rehab_ri",
            "--call", "gls(resemblance ~ 1, data = rehab, method = \"ML\")",
            "--call", "lme(resemblance ~ 1, random = ~1|id_clin, data = rehab, method = \"ML\")");
        Assert.True(code == 0, err);
        Assert.Equal("           Model df      AIC      BIC    logLik   Test  L.Ratio p-value\n" +
                     "rehab_base     1  2 1715.925 1722.419 -855.9626                        \n" +
                     "rehab_ri       2  3 1713.843 1723.584 -853.9214 1 vs 2 4.082482  0.0433\n", text);
    }

    [Fact]
    public void TidyOfAnLmeCallHasNlmesDfAndNames()
    {
        var (code, csv, err) = CliTests.Run("tidy", "--data", "rehab", "--format", "csv",
            "--call", "lme(resemblance ~ intervention + gep_level + tse_months, random = ~intervention|id_clin, method = \"ML\")");
        Assert.True(code == 0, err);
        Assert.Contains(",177,", csv);
        Assert.Contains("cor_interventionGene therapy.(Intercept)", csv);
        Assert.Contains("sd_Observation", csv);
    }

    [Fact]
    public void AnovaOfAnNlmeCallHasNlmesFTests()
    {
        var (code, text, err) = CliTests.Run("anova", "--data", "sleepstudy", "--call", "lme(Reaction ~ Days, random = ~ Days | Subject)");
        Assert.True(code == 0, err);
        Assert.StartsWith("            numDF denDF  F-value p-value\n(Intercept)     1   161 ", text);
        Assert.Contains("Days            1   161 ", text);
    }

    [Fact]
    public void LabelsMustMatchTheModels() =>
        BadInputTests.AssertUserError(["compare", "--data", "sleepstudy", "--labels", "a", "--formula", "Reaction ~ Days", "--formula", "Reaction ~ Days + (1 | Subject)"], "give 2 names");
}

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Families;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>
/// `mixed anova --family` against car's Anova(type = 3) of tightly fitted glmer models (tools/reference-glmm-anova.R):
/// χ² within 2e-3 relative (the fixed effects' covariance agrees with lme4's to about 1e-3), the same terms and df.
/// </summary>
public sealed class WaldChiSquareTableTests
{
    private static readonly JsonElement Ref =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("glmm-inference"), "anova_type3.json"))).RootElement;

    [Theory]
    [InlineData("cbpp")]
    [InlineData("contraception")]
    public void TypeIIIWaldTestsAreCars(string id)
    {
        var r = Ref.GetProperty(id);
        var m = GeneralizedLinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load(r.GetProperty("data").GetString()!), new() { Family = Family.Create("binomial") });
        var table = m.Anova();
        Assert.Equal(r.GetProperty("terms").EnumerateArray().Select(t => t.GetString()), table.Rows.Select(x => x.Term));
        var chisq = r.GetProperty("chisq").EnumerateArray().Select(c => c.GetDouble()).ToArray();
        var df = r.GetProperty("df").EnumerateArray().Select(c => c.GetInt32()).ToArray();
        for (int i = 0; i < chisq.Length; i++)
        {
            Assert.Equal(df[i], table.Rows[i].Df);
            Assert.True(Math.Abs(table.Rows[i].ChiSquare - chisq[i]) <= 2e-3 * chisq[i], $"{table.Rows[i].Term}: {table.Rows[i].ChiSquare} vs car {chisq[i]}");
        }
    }

    [Fact]
    public void TheCliPrintsCarsLayout()
    {
        var (code, text, _) = CliTests.Run("anova", "--data", "cbpp", "--family", "binomial", "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)");
        Assert.Equal(0, code);
        Assert.StartsWith("Analysis of Deviance Table (Type III Wald chisquare tests)\n\nResponse: cbind(incidence, size - incidence)\n", text);
        Assert.Contains("period      24.949  3  1.583e-05 ***", text);
    }
}

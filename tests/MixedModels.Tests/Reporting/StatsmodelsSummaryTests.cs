using System.Globalization;
using System.Text.Json;
using MixedModels.Data;
using MixedModels.Reporting;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>
/// `--style statsmodels` against Python statsmodels 0.13.5's MixedLM (tools/reference-statsmodels.py,
/// Reference/statsmodels/statsmodels.json): the summary's layout line by line and its numbers, and the standard errors
/// from statsmodels' joint Hessian. statsmodels' optimizer stops a little short of the REML/ML optimum lme4 and this
/// tool reach (its scale differs in the 4th-6th digit), so numbers agree to that precision, not digit for digit.
/// </summary>
public sealed class StatsmodelsSummaryTests
{
    private static readonly JsonElement Ref =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("statsmodels"), "statsmodels.json"))).RootElement;

    public static TheoryData<string> Cases => new() { "sleep_slope", "sleep_intercept", "sleep_slope_only", "sleep_slope_ml", "hsb_ses" };

    private static LinearMixedModel Fit(JsonElement r) =>
        LinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load(r.GetProperty("data").GetString()!),
            new() { Reml = r.GetProperty("reml").GetBoolean() }, dataName: r.GetProperty("data").GetString());

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheSummaryIsStatsmodels(string id)
    {
        var r = Ref.GetProperty(id);
        string expected = r.GetProperty("summary").GetString()!, actual = Fit(r).Summary(SummaryStyle.Statsmodels);
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(e[i].Length == a[i].Length, $"line {i + 1} has another width:\n{e[i]}\n{a[i]}");
            var et = e[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = a[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(et.Length, at.Length);
            for (int t = 0; t < et.Length; t++)
            {
                if (double.TryParse(et[t], NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                    && double.TryParse(at[t], NumberStyles.Float, CultureInfo.InvariantCulture, out double y))
                    Assert.True(Math.Abs(x - y) <= Math.Max(2.5e-3, 2e-5 * Math.Abs(x)), $"line {i + 1}: {et[t]} vs {at[t]}");
                else Assert.Equal(et[t], at[t]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StandardErrorsAreStatsmodelsJointHessian(string id)
    {
        var r = Ref.GetProperty(id);
        var m = Fit(r);
        var (fe, re) = MixedModels.Inference.StatsmodelsCovariance.StandardErrors(m);
        var bse = r.GetProperty("bse").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        var names = r.GetProperty("names").EnumerateArray().Select(n => n.GetString()!).ToArray();
        var order = PatsyNames.Order(m.Design).ToArray();
        for (int i = 0; i < fe.Length; i++)
        {
            Assert.Equal(names[i], PatsyNames.Fixed(m.Design, order[i]));
            Assert.True(Math.Abs(fe[order[i]] - bse[i]) <= 1e-3 * bse[i], $"{names[i]}: {fe[order[i]]} vs statsmodels {bse[i]}");
        }
        for (int i = 0; i < re.Length; i++)
            Assert.True(Math.Abs(re[i] - bse[fe.Length + i]) <= 2e-3 * bse[fe.Length + i], $"{names[fe.Length + i]}: {re[i]} vs statsmodels {bse[fe.Length + i]}");
    }

    [Fact]
    public void TheCliPrintsItAndSaysWhatItCannotShow()
    {
        var (code, text, _) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--style", "statsmodels");
        Assert.Equal(0, code);
        Assert.Contains("Mixed Linear Model Regression Results", text);
        Assert.Contains("Group x Days Cov", text);
        var (two, _, why) = CliTests.Run("fit", "--data", "penicillin", "--formula", "diameter ~ 1 + (1 | plate) + (1 | sample)", "--style", "statsmodels");
        Assert.Equal(1, two);
        Assert.Contains("one grouping factor", why);
        var (glmm, _, no) = CliTests.Run("fit", "--data", "cbpp", "--family", "binomial", "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "--style", "statsmodels");
        Assert.Equal(1, glmm);
        Assert.Contains("linear mixed models only", no);
    }
}

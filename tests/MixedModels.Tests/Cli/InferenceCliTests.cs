using System.Text.Json;
using MixedModels.Data;
using MixedModels.Inference;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>The inference commands: anova, compare, confint, tidy and variance, in every output format.</summary>
public sealed class InferenceCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliTests.Run(args);

    private const string Sleep = "Reaction ~ Days + (Days | Subject)";

    [Fact]
    public void AnovaPrintsLmerTestsTableAndRows()
    {
        var (code, text, err) = Run("anova", "--data", "orthodont", "--formula", "distance ~ age * Sex + (age | Subject)");
        Assert.True(code == 0, err);
        Assert.StartsWith("Type III Analysis of Variance Table with Satterthwaite's method\n", text);
        Assert.Contains("age:Sex", text);
        var (_, json, _) = Run("anova", "--data", "orthodont", "--formula", "distance ~ age * Sex + (age | Subject)", "--ddf", "kenward-roger", "--format", "json");
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(["age", "Sex", "age:Sex"], rows.EnumerateArray().Select(r => r.GetProperty("term").GetString()));
        var expected = AnovaTable.TypeIII(LinearMixedModel.Fit("distance ~ age * Sex + (age | Subject)", Datasets.Load("orthodont")), DdfMethod.KenwardRoger);
        Assert.Equal(expected.Rows[2].FValue, rows[2].GetProperty("f_value").GetDouble(), 10);
        Assert.Equal(expected.Rows[2].DenDf, rows[2].GetProperty("den_df").GetDouble(), 10);
        var (bad, _, message) = Run("anova", "--data", "dyestuff", "--formula", "Yield ~ 1 + (1 | Batch)");
        Assert.Equal(1, bad);
        Assert.Contains("nothing to test", message);
    }

    [Fact]
    public void CompareWritesLme4TableAndJsonInTableOrder()
    {
        var (code, text, err) = Run("compare", "--data", "sleepstudy", "--formula", Sleep, "--formula", "Reaction ~ Days + (1 | Subject)", "--formula", "Reaction ~ Days");
        Assert.True(code == 0, err);
        Assert.Contains("MODEL3    3 1906.3 1915.9 -950.15   1900.3", text);
        Assert.Contains("Note: refitting model(s) with ML (instead of REML)", text);
        var (_, json, _) = Run("compare", "--data", "sleepstudy", "--formula", Sleep, "--formula", "Reaction ~ Days + (1 | Subject)", "--format", "json");
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        Assert.Equal("Reaction ~ Days + (1 | Subject)", rows[0].GetProperty("formula").GetString());
        Assert.Equal(4, rows[0].GetProperty("npar").GetInt32());
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("chisq").ValueKind);
        Assert.Equal(42.139298542, rows[1].GetProperty("chisq").GetDouble(), 6);
        Assert.Equal(2, rows[1].GetProperty("df").GetInt32());
        Assert.Equal(7.0724e-10, rows[1].GetProperty("p_value").GetDouble(), 13);
        Assert.True(rows[1].GetProperty("refitted_ml").GetBoolean());
        foreach (string key in new[] { "aic", "bic", "loglik", "deviance" }) Assert.Equal(JsonValueKind.Number, rows[1].GetProperty(key).ValueKind);
    }

    [Fact]
    public void CompareRefusesASingleModelAndDifferentRows()
    {
        var (code, _, err) = Run("compare", "--data", "sleepstudy", "--formula", Sleep);
        Assert.Equal(1, code);
        Assert.Contains("at least two models", err);
        var (code2, _, err2) = Run("compare", "--data", "sleepstudy_missing", "--formula", "Reaction ~ 1 + (1 | Subject)", "--formula", "Reaction ~ Days + (1 | Subject)");
        // Days is missing in 7 more rows than Reaction: the model without Days keeps them, so the likelihoods are of different data.
        Assert.Equal(1, code2);
        Assert.Contains("not fitted to the same rows (157 and 150 observations used)", err2);
    }

    [Fact]
    public void CompareWithBootstrapIsReproducible()
    {
        string[] args = ["compare", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--formula", Sleep, "--nsim", "40", "--seed", "9", "--format", "csv"];
        var (code, a, err) = Run(args);
        Assert.True(code == 0, err);
        var (_, b, _) = Run(args);
        Assert.Equal(a, b);
        Assert.EndsWith(",p_bootstrap", a.Split('\n')[0]);
        Assert.EndsWith(",TRUE," + (1.0 / 41).ToString("R", System.Globalization.CultureInfo.InvariantCulture), a.Split('\n')[2]);
    }

    [Fact]
    public void ConfintByEveryMethod()
    {
        var (code, profile, err) = Run("confint", "--data", "sleepstudy", "--formula", Sleep, "--format", "json");
        Assert.True(code == 0, err);
        var p = JsonDocument.Parse(profile).RootElement;
        Assert.Equal(6, p.GetArrayLength());
        Assert.Equal("sd_(Intercept)|Subject", p[0].GetProperty("parameter").GetString());
        Assert.Equal(14.3814181608, p[0].GetProperty("lower").GetDouble(), 2);

        var (_, wald, _) = Run("confint", "--data", "sleepstudy", "--formula", Sleep, "--method", "wald", "--format", "csv");
        var lines = wald.TrimEnd().Split('\n');
        Assert.Equal("parameter,estimate,lower,upper", lines[0]);
        Assert.StartsWith("(Intercept),251.405104", lines[1]);
        Assert.Equal(3, lines.Length);

        string[] boot = ["confint", "--data", "sleepstudy", "--formula", Sleep, "--method", "boot", "--nsim", "50", "--seed", "3"];
        var (bc, b1, berr) = Run(boot);
        Assert.True(bc == 0, berr);
        Assert.StartsWith("95% parametric bootstrap percentile (50 replicates, seed 3) confidence intervals", b1);
        Assert.Equal(b1, Run(boot).Out);

        var (lc, _, lerr) = Run("confint", "--data", "sleepstudy", "--formula", Sleep, "--level", "1.5");
        Assert.Equal(1, lc);
        Assert.Contains("between 0 and 1", lerr);
    }

    [Fact]
    public void TidyInEveryFormat()
    {
        foreach (var (format, check) in new (string, Action<string>)[]
        {
            ("text", t => Assert.Contains("sd__Observation", t)),
            ("csv", t => Assert.StartsWith("effect,group,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high\n", t)),
            ("markdown", t => Assert.StartsWith("| effect | group | term |", t)),
            ("json", t => Assert.Equal(6, JsonDocument.Parse(t).RootElement.GetArrayLength())),
        })
        {
            var (code, text, err) = Run("tidy", "--data", "sleepstudy", "--formula", Sleep, "--format", format);
            Assert.True(code == 0, err);
            check(text);
        }
        var (_, none, _) = Run("tidy", "--data", "sleepstudy", "--formula", Sleep, "--conf-method", "none", "--ddf", "none", "--format", "json");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(none).RootElement[0].GetProperty("p_value").ValueKind);
    }

    [Fact]
    public void VarianceReportsComponentsIccR2AndReduction()
    {
        var (code, text, err) = Run("variance", "--data", "hsb", "--formula", "MathAch ~ SES + (1 | School)", "--base", "MathAch ~ 1 + (1 | School)", "--format", "json");
        Assert.True(code == 0, err);
        var j = JsonDocument.Parse(text).RootElement;
        var m = LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", Datasets.Load("hsb"));
        var b = LinearMixedModel.Fit("MathAch ~ 1 + (1 | School)", Datasets.Load("hsb"));
        var vc = j.GetProperty("variance_components");
        Assert.Equal(2, vc.GetArrayLength());
        Assert.Equal(m.VarianceComponents[0].Variance(0), vc[0].GetProperty("estimate").GetDouble(), 8);
        Assert.True(vc[0].GetProperty("std_error").GetDouble() > 0);
        double reduction = 1 - m.VarianceComponents[0].Variance(0) / b.VarianceComponents[0].Variance(0);
        Assert.Equal(reduction, j.GetProperty("reduction")[0].GetProperty("proportion_explained").GetDouble(), 10);
        Assert.Equal(VarianceExplained.Compute(m).ConditionalR2, j.GetProperty("r2").GetProperty("conditional").GetDouble(), 12);
        Assert.Equal("School", j.GetProperty("icc").GetProperty("groups")[0].GetProperty("group").GetString());

        var (_, plain, _) = Run("variance", "--data", "hsb", "--formula", "MathAch ~ 1 + (1 | School)");
        Assert.Contains("adjusted ICC", plain);
        var (lmCode, _, lmErr) = Run("variance", "--data", "hsb", "--formula", "MathAch ~ SES");
        Assert.Equal(1, lmCode);
        Assert.Contains("no random-effects term", lmErr);
    }
}

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Families;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Reference;

/// <summary>
/// What is computed from glmer fits, against R (Reference/glmm-inference, tools/reference-glmm-inference.R):
/// broom.mixed's tidy (and exponentiate), lme4's anova of nested GLMMs and of a GLMM against its glm, predict on new
/// data, performance's R² and ICC, the overdispersion ratio.
/// </summary>
public sealed class GlmmInferenceTests
{
    private const string Formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)";
    private static readonly JsonElement Ref = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("glmm-inference"), "cbpp.json"))).RootElement;

    private static GeneralizedLinearMixedModel Fit(string formula, string family = "binomial") =>
        GeneralizedLinearMixedModel.Fit(formula, Datasets.Load("cbpp"), new GlmmFitOptions { Family = Family.Create(family) }, dataName: "cbpp");

    private static void Close(double expected, double actual, double rel, string what) =>
        Assert.True(Math.Abs(expected - actual) <= rel * Math.Max(1e-8, Math.Abs(expected)), $"{what}: {actual} vs {expected}");

    [Theory]
    [InlineData(false, "tidy")]
    [InlineData(true, "tidy_exp")]
    public void TidyMatchesBroomMixed(bool exponentiate, string key)
    {
        var rows = TidyTable.Create(Fit(Formula), exponentiate).Rows;
        var expected = Ref.GetProperty(key).EnumerateArray().ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var e = expected[i];
            Assert.Equal(e.GetProperty("term").GetString(), rows[i].Term);
            Assert.Equal(e.GetProperty("effect").GetString(), rows[i].Effect);
            Close(e.GetProperty("estimate").GetDouble(), rows[i].Estimate, 1e-4, "estimate");
            if (rows[i].Effect != "fixed") continue;
            Close(e.GetProperty("std.error").GetDouble(), rows[i].StdError, 1e-3, "std.error");
            Close(e.GetProperty("p.value").GetDouble(), rows[i].PValue, 1e-2, "p.value");
            Close(e.GetProperty("conf.low").GetDouble(), rows[i].ConfLow, 1e-3, "conf.low");
            Close(e.GetProperty("conf.high").GetDouble(), rows[i].ConfHigh, 1e-3, "conf.high");
        }
        Assert.DoesNotContain("df", TidyTable.Create(Fit(Formula)).Format(TableFormat.Csv).Split('\n')[0].Split(','));
    }

    [Fact]
    public void NestedGlmmsCompareAsLme4Anova()
    {
        var c = ModelComparison.Compare(["m0", "m1"], new IMixedModel[] { Fit("cbind(incidence, size - incidence) ~ 1 + (1 | herd)"), Fit(Formula) });
        var a = Ref.GetProperty("anova");
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(a.GetProperty("npar")[i].GetInt32(), c.Rows[i].Npar);
            Close(a.GetProperty("aic")[i].GetDouble(), c.Rows[i].Aic, 1e-7, "AIC");
            Close(a.GetProperty("loglik")[i].GetDouble(), c.Rows[i].LogLikelihood, 1e-7, "logLik");
        }
        Close(a.GetProperty("chisq")[1].GetDouble(), c.Rows[1].ChiSquare, 1e-5, "Chisq");
        Close(a.GetProperty("p")[1].GetDouble(), c.Rows[1].PValue, 1e-4, "p");
    }

    [Fact]
    public void GlmmAgainstItsGlm()
    {
        var glm = Fit("cbind(incidence, size - incidence) ~ period");
        var c = ModelComparison.Compare(["m1", "g1"], new IMixedModel[] { Fit(Formula), glm });
        var a = Ref.GetProperty("anova_glm");
        Assert.Equal("g1", c.Rows[0].Label);
        Assert.Equal(a.GetProperty("npar")[0].GetInt32(), c.Rows[0].Npar);
        Close(a.GetProperty("loglik")[0].GetDouble(), c.Rows[0].LogLikelihood, 1e-7, "glm logLik");
        Close(a.GetProperty("chisq")[1].GetDouble(), c.Rows[1].ChiSquare, 1e-5, "Chisq");
        Close(a.GetProperty("p")[1].GetDouble(), c.Rows[1].PValue, 1e-4, "p");
    }

    [Fact]
    public void ModelsOfDifferentFamiliesAreNotCompared()
    {
        var e = Assert.Throws<ModelException>(() => ModelComparison.Compare(["a", "b"],
            new IMixedModel[] { Fit("incidence ~ period + (1 | herd)", "poisson"), Fit(Formula) }));
        Assert.Contains("different families", e.Message);
    }

    [Fact]
    public void PredictionsOnNewDataMatchLme4()
    {
        var m = Fit(Formula);
        var nd = Table.ReadCsv(new StringReader("period,herd,size,incidence\n1,1,10,0\n2,5,20,0\n3,15,5,0\n4,3,8,0\n2,99,12,0\n"))
            .AsFactor("period").AsFactor("herd");
        var link = m.Predict(nd);
        var response = m.Predict(nd, new PredictOptions { Scale = PredictionScale.Response });
        var population = m.Predict(nd, new PredictOptions { Groups = [], Scale = PredictionScale.Response });
        for (int i = 0; i < 5; i++)
        {
            Close(Ref.GetProperty("predict_link")[i].GetDouble(), link[i].Fit, 1e-4, $"link {i}");
            Close(Ref.GetProperty("predict_response")[i].GetDouble(), response[i].Fit, 1e-4, $"response {i}");
            Close(Ref.GetProperty("predict_population")[i].GetDouble(), population[i].Fit, 1e-4, $"population {i}");
        }
        Assert.Equal(["herd"], link[4].NewLevels);
        Assert.Throws<ModelException>(() => m.Predict(nd, new PredictOptions { Interval = PredictionInterval.Confidence }));
    }

    [Theory]
    [InlineData("binomial", Formula, "r2", "icc")]
    [InlineData("poisson", "incidence ~ period + (1 | herd)", "poisson_r2", "poisson_icc")]
    public void R2AndIccMatchPerformance(string family, string formula, string r2, string icc)
    {
        var v = VarianceExplained.Compute(Fit(formula, family));
        Close(Ref.GetProperty(r2).GetProperty("R2_conditional.Conditional R2").GetDouble(), v.ConditionalR2, 1e-4, "conditional R2");
        Close(Ref.GetProperty(r2).GetProperty("R2_marginal.Marginal R2").GetDouble(), v.MarginalR2, 1e-4, "marginal R2");
        Close(Ref.GetProperty(icc).GetProperty("ICC_adjusted").GetDouble(), v.AdjustedIcc, 1e-4, "adjusted ICC");
        Close(Ref.GetProperty(icc).GetProperty("ICC_conditional").GetDouble(), v.ConditionalIcc, 1e-4, "conditional ICC");
    }

    [Fact]
    public void OverdispersionRatio() =>
        Close(Ref.GetProperty("overdispersion").GetDouble(), Fit(Formula).OverdispersionRatio(), 1e-4, "Pearson chi2 / df");

    [Fact]
    public void SimulatedResponsesAreValidAndReproducible()
    {
        var m = Fit("incidence ~ period + (1 | herd)", "poisson");
        var a = m.Simulate(3, 7);
        Assert.Equal(a, m.Simulate(3, 7));
        Assert.All(a.SelectMany(x => x), y => Assert.True(y >= 0 && y == Math.Floor(y)));
        var b = Fit(Formula).Simulate(2, 1);
        Assert.All(b.SelectMany(x => x), y => Assert.InRange(y, 0, 1));
    }
}

/// <summary>Confidence intervals of a glmer fit: Wald against lme4's confint(method = "Wald"), bootstrap properties.</summary>
public sealed class GlmmIntervalTests
{
    private static readonly JsonElement Ref = JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("glmm-inference"), "cbpp.json"))).RootElement;
    private static readonly GeneralizedLinearMixedModel Model = GeneralizedLinearMixedModel.Fit(
        "cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"));

    [Fact]
    public void WaldMatchesLme4()
    {
        var ci = GlmmIntervals.Wald(Model);
        var expected = Ref.GetProperty("confint_wald").EnumerateArray().ToList();
        for (int i = 0; i < ci.Count; i++)
        {
            Assert.Equal(expected[i][0].GetDouble(), ci[i].Lower, 3);
            Assert.Equal(expected[i][1].GetDouble(), ci[i].Upper, 3);
        }
    }

    [Fact]
    public void BootstrapIsSeededAndBracketsTheEstimates()
    {
        var a = GlmmIntervals.Bootstrap(Model, 40, seed: 3);
        var b = GlmmIntervals.Bootstrap(Model, 40, seed: 3);
        Assert.Equal(a, b);
        Assert.Equal("sd_(Intercept)|herd", a[0].Parameter);
        Assert.All(a, c => Assert.True(c.Lower < c.Estimate && c.Estimate < c.Upper, $"{c.Parameter}: {c.Lower} {c.Estimate} {c.Upper}"));
    }
}

/// <summary>Profile intervals of a glmer fit against lme4's confint(method = "profile") (tight refit, tools comment).</summary>
public sealed class GlmmProfileTests
{
    [Fact]
    public void ProfileIntervalsMatchLme4()
    {
        // lme4 1.1-31, confint(glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial,
        // tight bobyqa, tolPwrss = 1e-13), method = "profile"). lme4 interpolates its profile with splines: 1e-3.
        double[,] expected = { { 0.3460945, 1.0998819 }, { -1.9011561, -0.9477914 }, { -1.6166787, -0.4078405 }, { -1.8009176, -0.5116103 }, { -2.5006007, -0.8008310 } };
        var m = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"));
        var ci = GlmmProfile.Intervals(m);
        Assert.Equal("sd_(Intercept)|herd", ci[0].Parameter);
        for (int i = 0; i < 5; i++)
        {
            Assert.True(Math.Abs(ci[i].Lower - expected[i, 0]) <= 1e-3 * Math.Abs(expected[i, 0]), $"{ci[i].Parameter} lower {ci[i].Lower} vs {expected[i, 0]}");
            Assert.True(Math.Abs(ci[i].Upper - expected[i, 1]) <= 1e-3 * Math.Abs(expected[i, 1]), $"{ci[i].Parameter} upper {ci[i].Upper} vs {expected[i, 1]}");
        }
    }
}

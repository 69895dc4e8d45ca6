using System.Text.Json;
using MixedModels.Data;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Inference;

/// <summary>
/// nlme's gls and lme (without variance functions or correlation structures) given as R calls, against nlme 3.1-162
/// on the seed course's six models (Reference/nlme/rehab_six_models.json, from the shared reference set): the
/// log-likelihoods, nlme's anova(m1, ..., m6) table, the fixed effects with nlme's df and broom.mixed's tidy names.
/// </summary>
public class NlmeTests
{
    private static readonly Lazy<(JsonElement Json, LinearMixedModel[] Fits, string[] Names)> Six = new(() =>
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "nlme", "rehab_six_models.json"))).RootElement;
        var data = Datasets.Load("rehab");
        var fits = json.GetProperty("calls").EnumerateArray()
            .Select(c => (LinearMixedModel)ModelCall.Parse(c.GetString()!.Replace("rehab_tib", "rehab")).Fit(data)).ToArray();
        var names = json.GetProperty("model_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        return (json, fits, names);
    });

    [Fact]
    public void CallsFitNlmesModels()
    {
        var (json, fits, names) = Six.Value;
        for (int i = 0; i < fits.Length; i++)
        {
            var r = json.GetProperty("fits").GetProperty(names[i]);
            Assert.False(fits[i].Reml);
            Assert.Equal(r.GetProperty("loglik").GetDouble(), fits[i].LogLikelihood, 4);
            Assert.Equal(r.GetProperty("sigma").GetDouble(), fits[i].Sigma, 3);
            var fe = r.GetProperty("fixef").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int j = 0; j < fe.Length; j++) Assert.Equal(fe[j], fits[i].FixedEffects[j].Estimate, 3);
        }
    }

    [Fact]
    public void AnovaIsNlmesTable()
    {
        var (json, fits, names) = Six.Value;
        var table = NlmeAnova.Compare(names, fits);
        var a = json.GetProperty("anova");
        var df = a.GetProperty("df").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var aic = a.GetProperty("AIC").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var bic = a.GetProperty("BIC").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < fits.Length; i++)
        {
            Assert.Equal(df[i], table.Rows[i].Df);
            Assert.Equal(aic[i], table.Rows[i].Aic, 3);
            Assert.Equal(bic[i], table.Rows[i].Bic, 3);
        }
        Assert.Equal(0.0433299654278, table.Rows[1].PValue, 5);
        Assert.Equal(json.GetProperty("anova_text").GetString()!.TrimEnd(), table.ToString().TrimEnd());
    }

    [Fact]
    public void DfAndTidyAreNlmes()
    {
        var (json, fits, _) = Six.Value;
        var last = fits[^1];
        Assert.All(NlmeDf.Compute(last), d => Assert.Equal(177, d));
        var tidy = TidyTable.CreateNlme(last);
        var fixedRows = tidy.Rows.Where(r => r.Effect == "fixed").ToArray();
        var expected = json.GetProperty("tidy_fixed");
        var est = expected.GetProperty("estimate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var se = expected.GetProperty("std.error").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var p = expected.GetProperty("p.value").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < est.Length; i++)
        {
            Assert.Equal(est[i], fixedRows[i].Estimate, 3);
            Assert.True(Math.Abs(se[i] - fixedRows[i].StdError) < 2e-5 * se[i], $"se {i}: {se[i]} vs {fixedRows[i].StdError}");
            Assert.True(Math.Abs(Math.Log(p[i]) - Math.Log(fixedRows[i].PValue)) < 0.05 * Math.Abs(Math.Log(p[i])) + 1e-3, $"p {i}: {p[i]} vs {fixedRows[i].PValue}");
        }
        var ran = tidy.Rows.Where(r => r.Effect == "ran_pars").ToArray();
        var terms = json.GetProperty("tidy_ran_pars").GetProperty("term").EnumerateArray().Select(e => e.GetString()).ToArray();
        var values = json.GetProperty("tidy_ran_pars").GetProperty("estimate").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(terms, ran.Select(r => r.Term).ToArray());
        for (int i = 0; i < values.Length; i++) Assert.Equal(values[i], ran[i].Estimate, 2);
    }

    [Fact]
    public void DfFollowTheStrataOfNestedLevels()
    {
        // Pastes: 10 batches, 30 casks within them, 60 observations; the intercept alone: df = 60 − 30 = 30 (nlme: 30).
        var m = (LinearMixedModel)ModelCall.Parse("lme(strength ~ 1, random = ~ 1 | batch/cask, data = pastes)").Fit(Datasets.Load("pastes"));
        Assert.Equal([30], NlmeDf.Compute(m));
        // sleepstudy: Days varies within subjects; 180 − 18 − 1 = 161 for both, as nlme's summary shows.
        var s = (LinearMixedModel)ModelCall.Parse("lme(Reaction ~ Days, random = ~ Days | Subject, data = sleepstudy)").Fit(Datasets.Load("sleepstudy"));
        Assert.Equal([161, 161], NlmeDf.Compute(s));
        Assert.True(s.Reml);
        // Orthodont: Sex is constant within subjects (27 of them): its column takes the between-subject df, 27 − 1 − 1.
        var o = (LinearMixedModel)ModelCall.Parse("lme(distance ~ age * Sex, random = ~ 1 | Subject, data = orthodont)").Fit(Datasets.Load("orthodont"));
        Assert.Equal([79, 79, 25, 79], NlmeDf.Compute(o)); // nlme 3.1: (Intercept) 79, age 79, Sex 25, age:Sex 79
    }

    [Theory]
    [InlineData("lme(y ~ x, random = ~ 1 | g, correlation = corAR1(0.3, fixed = maybe))", "fixed = maybe: give TRUE or FALSE")]
    [InlineData("lme(y ~ x, random = ~ 1 | g, weights = varIdent(form = ~ 1 | s, fixed = c(b = two)))", "give a number, c(...) of numbers")]
    [InlineData("lme(y ~ x, random = ~ 1 | g, weights = varConstPower(value = 1))", "takes const = and power = for its starting values")]
    [InlineData("lme(y ~ x, random = list(g = pdCompSymm(~ x)))", "tied across columns are not available here")]
    [InlineData("lme(y ~ x)", "lme() needs random =")]
    [InlineData("gls(y ~ x, method = \"OLS\")", "nlme's methods are")]
    public void UnsupportedNlmeArgumentsAreNamed(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<FormulaException>(() => ModelCall.Parse(text)).Message);

    [Theory]
    [InlineData("rehab_tse_ml")]
    [InlineData("rehab_base_gls")]
    [InlineData("orthodont_sex_ml")]
    [InlineData("sleepstudy_reml")]
    public void TermTestsAreNlmesAnova(string id)
    {
        var (call, fit, json) = FitExtra(id);
        foreach (var (marginal, key) in new[] { (false, "anova_sequential"), (true, "anova_marginal") })
        {
            var expected = json.GetProperty(key).GetString()!.Split('\n');
            var actual = NlmeTermTests.Compute(fit, marginal).ToString().TrimEnd('\n').Split('\n');
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(MixedModels.Tests.Robust.RobustReferenceTests.SameLine(expected[i], actual[i], 1e-4, ignoreSpacing: true), $"{key} line {i}:\n  R:    '{expected[i]}'\n  ours: '{actual[i]}'");
        }
        Assert.NotNull(call);
    }

    [Theory]
    [InlineData("rehab_tse_ml")]
    [InlineData("orthodont_sex_ml")]
    public void IntervalsAreNlmes(string id)
    {
        // nlme's limits of the variance parameters come from its finite-difference Hessian (fdHess); ours from central
        // differences of the same log-likelihood: they agree to 1e-4 relative, a correlation's limit near 0 to 5e-4.
        var (_, fit, json) = FitExtra(id);
        var expected = json.GetProperty("intervals").GetString()!.Split('\n');
        var actual = NlmeIntervals.Compute(fit).ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MixedModels.Tests.Robust.RobustReferenceTests.SameLine(expected[i], actual[i], expected[i].StartsWith("cor(", StringComparison.Ordinal) ? 0.03 : 1e-4, ignoreSpacing: true),
                $"line {i}:\n  R:    '{expected[i]}'\n  ours: '{actual[i]}'");
    }

    private static (ModelCall Call, LinearMixedModel Fit, JsonElement Json) FitExtra(string id)
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "nlme", "extra", id + ".json"))).RootElement;
        var table = MixedModels.Tests.Reference.ReferenceTables.Load(json);
        var call = ModelCall.Parse(json.GetProperty("call").GetString()!);
        return (call, (LinearMixedModel)call.Fit(table), json);
    }

    [Theory]
    [InlineData("rehab_tse_ml")]
    [InlineData("rehab_ri_reml")]
    [InlineData("rehab_base_gls")]
    [InlineData("sleepstudy_reml")]
    [InlineData("pastes_nested")]
    public void SummaryIsNlmes(string id)
    {
        // nlme 3.1 refitted with tight control (tools/reference-nlme.R): its default tolerances stop early. Our
        // log-likelihoods are equal or higher (by up to 1.4e-10); parameters the likelihood hardly determines (pastes'
        // batch SD, and the residuals through it) differ by up to 4e-5 relative, so numbers are compared to 1e-4.
        var (call, fit, json) = FitExtra(id);
        Assert.True(fit.LogLikelihood >= json.GetProperty("loglik").GetDouble() - 1e-9, $"logLik {fit.LogLikelihood:R} below nlme's {json.GetProperty("loglik").GetDouble():R}");
        var expected = json.GetProperty("summary").GetString()!.Split('\n');
        var actual = call.Summary(fit).TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            // A number that needs one more digit to show 7 significant digits widens its column: spacing is not compared then.
            Assert.True(MixedModels.Tests.Robust.RobustReferenceTests.SameLine(expected[i], actual[i], 1e-4, ignoreSpacing: true), $"line {i}:\n  R:    '{expected[i]}'\n  ours: '{actual[i]}'");
    }
}

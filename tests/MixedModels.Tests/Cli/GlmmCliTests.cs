using System.Text.Json;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>Generalized linear mixed models and prior weights through the `mixed` command.</summary>
public sealed class GlmmCliTests
{
    private const string Cbpp = "cbind(incidence, size - incidence) ~ period + (1 | herd)";

    private static void AssertUserError(string[] args, params string[] expected) => BadInputTests.AssertUserError(args, expected);

    [Fact]
    public void FitWithFamilyPrintsGlmerSummary()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "cbpp", "--family", "binomial", "--formula", Cbpp);
        Assert.True(code == 0, err);
        Assert.StartsWith("Generalized linear mixed model fit by maximum likelihood (Laplace\n  Approximation) [glmerMod]\n Family: binomial  ( logit )\n", text);
        Assert.Contains("   194.1    204.2    -92.0    184.1       51 ", text);
        Assert.Contains("(Intercept)  -1.3985     0.2325  -6.016 1.79e-09 ***", text);
        Assert.Contains(" herd   (Intercept) 0.4125   0.6423  ", text);
    }

    [Fact]
    public void JsonCarriesFamilyLinkAndZTests()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "cbpp", "--family", "binomial", "--link", "probit", "--nagq", "1", "--formula", Cbpp, "--format", "json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("binomial", root.GetProperty("family").GetString());
        Assert.Equal("probit", root.GetProperty("link").GetString());
        Assert.Equal(1, root.GetProperty("nagq").GetInt32());
        var first = root.GetProperty("fixef")[0];
        Assert.Equal(first.GetProperty("estimate").GetDouble() / first.GetProperty("std_error").GetDouble(), first.GetProperty("statistic").GetDouble(), 10);
        Assert.True(first.GetProperty("p_value").GetDouble() < 1e-9);
        Assert.Equal(185.2424466, root.GetProperty("deviance").GetDouble(), 5);
        Assert.Equal("herd", root.GetProperty("ran_pars")[0].GetProperty("group").GetString());
        Assert.Equal(1, root.GetProperty("ran_pars").GetArrayLength());
    }

    [Fact]
    public void OffsetOptionEqualsOffsetInTheFormula()
    {
        var (_, a, _) = CliTests.Run("fit", "--data", "cbpp", "--family", "poisson", "--formula", "incidence ~ period + offset(log(size)) + (1 | herd)", "--format", "json");
        var (_, b, _) = CliTests.Run("fit", "--data", "cbpp", "--family", "poisson", "--offset", "log(size)", "--formula", "incidence ~ period + (1 | herd)", "--format", "json");
        double da = JsonDocument.Parse(a).RootElement.GetProperty("deviance").GetDouble();
        double db = JsonDocument.Parse(b).RootElement.GetProperty("deviance").GetDouble();
        Assert.Equal(180.4832954, da, 5);
        Assert.Equal(da, db, 8);
    }

    [Fact]
    public void ProportionWithWeightsEqualsCbind()
    {
        var (_, a, _) = CliTests.Run("fit", "--data", "cbpp", "--family", "binomial", "--formula", Cbpp, "--format", "json");
        var (_, b, _) = CliTests.Run("fit", "--data", "cbpp", "--family", "binomial", "--weights", "size", "--formula", "incidence/size ~ period + (1 | herd)", "--format", "json");
        Assert.Equal(JsonDocument.Parse(a).RootElement.GetProperty("deviance").GetDouble(), JsonDocument.Parse(b).RootElement.GetProperty("deviance").GetDouble(), 8);
    }

    [Fact]
    public void WeightedLmerPrintsTheWeightsLine()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "sleepstudy", "--weights", "1 + Days/3", "--ddf", "none", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code == 0, err);
        Assert.Contains("Weights: 1 + Days/3\n", text);
    }

    [Fact]
    public void TwoLevelFactorResponseIsBinomial()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "contraception", "--family", "binomial", "--formula", "use ~ age + urban + (1 | district)", "--format", "json");
        Assert.True(code == 0, err);
        Assert.Equal(1934, JsonDocument.Parse(text).RootElement.GetProperty("nobs").GetInt32());
    }

    [Fact]
    public void UnknownFamilyListsTheFamilies() =>
        AssertUserError(["fit", "--data", "cbpp", "--family", "binomal", "--formula", Cbpp], "unknown family 'binomal'", "binomial, poisson, Gamma");

    [Fact]
    public void LinkNotAvailableForTheFamily() =>
        AssertUserError(["fit", "--data", "cbpp", "--family", "poisson", "--link", "logit", "--formula", "incidence ~ period + (1 | herd)"],
            "link \"logit\" not available for poisson family");

    [Fact]
    public void QuadratureWithAVectorTermIsRefused() =>
        AssertUserError(["fit", "--data", "contraception", "--family", "binomial", "--nagq", "5", "--formula", "use ~ age + (urban | district)"],
            "nAGQ > 1 is only available for models with a single, scalar random-effects term");

    [Fact]
    public void TooManyQuadraturePoints() =>
        AssertUserError(["fit", "--data", "cbpp", "--family", "binomial", "--nagq", "30", "--formula", Cbpp], "--nagq 30");

    [Fact]
    public void ConstantBinaryResponseIsRefusedAsGlmerDoes() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--family", "binomial", "--formula", "I(Days * 0) ~ Reaction + (1 | Subject)"], "is constant");

    [Fact]
    public void NegativeCountsForPoisson() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--family", "poisson", "--formula", "I(Reaction - 300) ~ Days + (1 | Subject)"],
            "negative values not allowed for the 'Poisson' family");

    [Fact]
    public void BinomialResponseOutsideZeroOne() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--family", "binomial", "--formula", "Reaction ~ Days + (1 | Subject)"], "y values must be 0 <= y <= 1");

    [Fact]
    public void CategoricalResponseSuggestsBinomial() =>
        AssertUserError(["fit", "--data", "contraception", "--formula", "use ~ age + (1 | district)"], "categorical", "--family binomial");

    [Fact]
    public void MlWithFamilyIsRefused() =>
        AssertUserError(["fit", "--data", "cbpp", "--family", "binomial", "--ml", "--formula", Cbpp], "always fitted by maximum likelihood");

    [Fact]
    public void NegativeWeightsAreRefused() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--weights", "Days - 3", "--formula", "Reaction ~ Days + (1 | Subject)"], "negative weight", "data row 1");

    [Fact]
    public void UnknownWeightsColumn() =>
        AssertUserError(["fit", "--data", "sleepstudy", "--weights", "wt", "--formula", "Reaction ~ Days + (1 | Subject)"], "wt");
}

/// <summary>Models given as the R calls users paste from their scripts (--call).</summary>
public sealed class CallOptionTests
{
    [Fact]
    public void GlmerCallWithFamilyLinkAndData()
    {
        var (code, text, err) = CliTests.Run("fit", "--format", "json", "--call",
            "lme4::glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), family = binomial(link = \"probit\"), data = cbpp, control = glmerControl(optimizer = \"bobyqa\"))");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("probit", root.GetProperty("link").GetString());
        Assert.Equal("cbpp", root.GetProperty("data").GetString());
        Assert.Equal(185.2424466, root.GetProperty("deviance").GetDouble(), 5);
    }

    [Fact]
    public void LmerCallWithRemlFalseEqualsMl()
    {
        var (_, a, _) = CliTests.Run("fit", "--format", "json", "--call", "lmer(Reaction ~ Days + (Days | Subject), REML = FALSE, data = sleepstudy)");
        var (_, b, _) = CliTests.Run("fit", "--format", "json", "--ml", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Equal("ML", JsonDocument.Parse(a).RootElement.GetProperty("method").GetString());
        Assert.Equal(JsonDocument.Parse(b).RootElement.GetProperty("loglik").GetDouble(), JsonDocument.Parse(a).RootElement.GetProperty("loglik").GetDouble(), 9);
    }

    [Fact]
    public void DataOptionOverridesNothingButNamesTheData()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "cbpp", "--call", "glmer(incidence ~ period + offset(log(size)) + (1 | herd), family = poisson)");
        Assert.True(code == 0, err);
        Assert.Contains(" Family: poisson  ( log )", text);
    }

    [Fact]
    public void CompareTakesSeveralCalls()
    {
        var (code, text, err) = CliTests.Run("compare", "--format", "json",
            "--call", "glm(cbind(incidence, size - incidence) ~ period, family = binomial, data = cbpp)",
            "--call", "glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), family = binomial, data = cbpp)");
        Assert.True(code == 0, err);
        var rows = JsonDocument.Parse(text).RootElement;
        Assert.Equal(14.005835, rows[1].GetProperty("chisq").GetDouble(), 4);
    }

    [Theory]
    [InlineData("lmer(Reaction ~ Days + (Days | Subject), subset = Days > 2, data = sleepstudy)", "argument 'subset' of lmer() is not supported")]
    [InlineData("glmer(r2 ~ Anger + (1 | id), family = binomial(link = \"logt\"), data = verbagg)", "unknown link 'logt'")]
    [InlineData("glmer(r2 ~ Anger + (1 | id), family = binomal, data = verbagg)", "unknown family 'binomal'")]
    [InlineData("glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), family = binomial, nAGQ = 2.5, data = cbpp)", "nAGQ = 2.5")]
    [InlineData("lme(distance ~ age, random = ~ 1 | Subject, correlation = corAR1(0.3, fixed = yes), data = orthodont)", "fixed = yes: give TRUE or FALSE")]
    [InlineData("lmer(Reaction ~ Days + (Days | Subject), REML = maybe, data = sleepstudy)", "REML = maybe: give TRUE or FALSE")]
    [InlineData("lmer(Reaction ~ Days + (Days | Subject), data = sleepstudy", "unbalanced '('")]
    [InlineData("lm(Reaction ~ Days + (1 | Subject), data = sleepstudy)", "lm() takes no random-effects terms")]
    [InlineData("lmer(data = sleepstudy)", "lmer() needs a formula")]
    public void BadCallsAreClearErrors(string call, string expected)
    {
        var (code, _, err) = CliTests.Run("fit", "--call", call);
        Assert.True(code == 1, err);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void FormulaAndCallTogetherAreRefused()
    {
        var (code, _, err) = CliTests.Run("fit", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (1 | Subject)", "--call", "lmer(Reaction ~ Days + (1 | Subject))");
        Assert.Equal(1, code);
        Assert.Contains("not both", err);
    }
}

/// <summary>Prior weights in linear mixed models: the df methods.</summary>
public sealed class WeightedLmerTests
{
    [Fact]
    public void KenwardRogerWithWeightsIsRefused()
    {
        var (code, _, err) = CliTests.Run("fit", "--data", "sleepstudy", "--weights", "1 + Days/3", "--ddf", "kenward-roger", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Equal(1, code);
        Assert.Contains("Kenward-Roger's method is not available for a model with prior weights", err);
    }

    [Fact]
    public void SatterthwaiteWithWeightsMatchesLmerTest()
    {
        // lmerTest 3.1-3 on lmer(Reaction ~ Days + (Days | Subject), weights = 1 + Days/3): df 17.0014, 16.9991 (its
        // optimum is 1e-4 away in θ; the df follow θ).
        var (code, text, err) = CliTests.Run("fit", "--data", "sleepstudy", "--weights", "1 + Days/3", "--format", "json", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code == 0, err);
        var fixef = JsonDocument.Parse(text).RootElement.GetProperty("fixef");
        Assert.Equal(17.0014, fixef[0].GetProperty("df").GetDouble(), 0.01);
        Assert.Equal(16.9991, fixef[1].GetProperty("df").GetDouble(), 0.01);
        Assert.Equal(1.593232693, fixef[1].GetProperty("std_error").GetDouble(), 3);
    }
}

public sealed class GaussianLinkTests
{
    [Fact]
    public void GaussianWithALogLinkIsRefusedNotGuessed() =>
        BadInputTests.AssertUserError(["fit", "--data", "sleepstudy", "--family", "gaussian", "--link", "log", "--formula", "Reaction ~ Days + (1 | Subject)"],
            "gaussian family with the log link is not supported");
}

public sealed class GlmmTidyIntervalTests
{
    [Fact]
    public void TidyTakesProfileIntervalsForGeneralizedModels()
    {
        var (code, text, err) = CliTests.Run("tidy", "--data", "cbpp", "--family", "binomial", "--conf-method", "profile", "--format", "json",
            "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)");
        Assert.True(code == 0, err);
        var rows = JsonDocument.Parse(text).RootElement;
        Assert.Equal(-1.9011561, rows[0].GetProperty("conf_low").GetDouble(), 2);
        Assert.Equal(0.3460945, rows[4].GetProperty("conf_low").GetDouble(), 2);
    }
}

/// <summary>Two points of the trust issue (10) fixed on the way: Kenward-Roger with ML, and R's constant pi.</summary>
public sealed class TrustFixesTests
{
    [Fact]
    public void KenwardRogerWithMlIsRefusedAsLmerTestDoes() =>
        BadInputTests.AssertUserError(["fit", "--data", "sleepstudy", "--ml", "--ddf", "kenward-roger", "--formula", "Reaction ~ Days + (Days | Subject)"],
            "Kenward-Roger's method is only available for REML fits");

    [Fact]
    public void OutputOverTheInputIsRefusedAndTheInputKept()
    {
        string dir = Directory.CreateTempSubdirectory("mixed-self-").FullName;
        try
        {
            string path = Path.Combine(dir, "d.csv");
            File.WriteAllText(path, "y,g\n1,a\n2,a\n3,b\n5,b\n2,c\n4,c\n");
            string before = File.ReadAllText(path);
            BadInputTests.AssertUserError(["fit", "--data", path, "--formula", "y ~ 1 + (1 | g)", "--output", path], "is the input file");
            Assert.Equal(before, File.ReadAllText(path));
            // A normal --output leaves no temporary file behind.
            var (code, _, err) = CliTests.Run("fit", "--data", path, "--formula", "y ~ 1 + (1 | g)", "--output", Path.Combine(dir, "out.txt"));
            Assert.True(code == 0, err);
            Assert.Equal(["d.csv", "out.txt"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void PiIsRsConstant()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", "sleepstudy", "--format", "json", "--formula", "Reaction ~ sin(2 * pi * Days / 10) + (1 | Subject)");
        Assert.True(code == 0, err);
        Assert.Equal("sin(2 * pi * Days/10)", JsonDocument.Parse(text).RootElement.GetProperty("fixef")[1].GetProperty("term").GetString());
    }
}

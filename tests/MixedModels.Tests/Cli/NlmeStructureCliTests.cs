using System.Text.Json;
using MixedModels.Tests.Structures;
using Xunit;

namespace MixedModels.Tests.Cli;

/// <summary>
/// `mixed fit --call 'gls(...)' / 'lme(...)'` with nlme's weights = and correlation =: nlme's summary and the JSON with
/// the structures' parameters by nlme's names (the same fit as the reference test's), and nlme-grade errors.
/// </summary>
public class NlmeStructureCliTests
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Reference", "nlme", "data", name);

    [Fact]
    public void GlsWithAr1PrintsNlmesSummary()
    {
        var (code, text, err) = CliTests.Run("fit", "--data", Data("orthodont.csv"), "--factor", "Subject",
            "--call", "gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject))");
        Assert.True(code == 0, err);
        Assert.Contains("Generalized least squares fit by REML", text);
        Assert.Contains("Correlation Structure: AR(1)\n Formula: ~1 | Subject \n Parameter estimate(s):\n", text);
        // nlme 3.1 with its default control: logLik -228.5634, Phi 0.6984056 (this tool's tighter optimum: 0.6984062).
        Assert.Contains("-228.5634", text);
        Assert.Contains("0.69840", text);
    }

    [Fact]
    public void LmeJsonNamesTheStructuresParameters()
    {
        var (json, fit, _) = StructureReferenceTests.FitCase("ovary_lme_arma11");
        var (code, text, err) = CliTests.Run("fit", "--data", Data("ovary.csv"), "--factor", "Mare", "--format", "json",
            "--call", "lme(follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time), random = ~ 1 | Mare, correlation = corARMA(p = 1, q = 1))");
        Assert.True(code == 0, err);
        var doc = JsonDocument.Parse(text).RootElement;
        Assert.Equal("lme", doc.GetProperty("model").GetString());
        var cor = doc.GetProperty("correlation_parameters");
        Assert.Equal(fit.CorrelationParameters()[0].Value, cor.GetProperty("Phi1").GetDouble(), 6);
        Assert.Equal(json.GetProperty("corStruct")[1].GetDouble(), cor.GetProperty("Theta1").GetDouble(), 3);
        Assert.Equal(json.GetProperty("loglik").GetDouble(), doc.GetProperty("loglik").GetDouble(), 5);
        Assert.Equal(295, doc.GetProperty("fixef")[1].GetProperty("df").GetInt32());
    }

    [Theory]
    [InlineData("gls(distance ~ age, weights = varIdnt(form = ~ 1 | Sex))", "unknown variance function varIdnt()")]
    [InlineData("gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subjct))", "no column 'Subjct'")]
    [InlineData("gls(distance ~ age, correlation = corAR1(form = ~ distance | Subject))", "covariate must have integer values")]
    [InlineData("gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject), corr = 2)", "argument 'corr' of gls()")]
    [InlineData("lme(distance ~ age, random = ~ 1 | Subject, correlation = corAR1(form = ~ 1 | Sex))", "not nested in the random-effects grouping Subject")]
    [InlineData("gls(distance ~ age, correlation = corGaus(form = ~ 1))", "give the coordinates")]
    [InlineData("gls(distance ~ age, correlation = corBogus(form = ~ 1))", "unknown correlation structure corBogus()")]
    public void BadStructuresAreRefusedWithTheReason(string call, string message)
    {
        var (code, _, err) = CliTests.Run("fit", "--data", Data("orthodont.csv"), "--factor", "Subject", "--call", call);
        Assert.Equal(1, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void AFitThatDidNotSettleSaysSo()
    {
        // BodyWeight's varPower(~ fitted(.)) settles in 4 alternating updates of the fitted values; lmeControl(maxIter = 2) stops before.
        var (code, text, err) = CliTests.Run("fit", "--data", Data("bodyweight.csv"), "--factor", "Rat", "--factor", "Diet",
            "--call", "lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower(), control = lmeControl(maxIter = 2, msMaxIter = 100))");
        Assert.True(code == 0, err);
        Assert.Contains("Variance function:\n Structure: Power of variance covariate\n Formula: ~fitted(.) \n", text);
        Assert.Contains("warning: the fitted values of the variance function did not settle in 2 iterations", err);
        Assert.Contains("lmeControl(msMaxIter = 100) is ignored", err);
        var (code2, _, err2) = CliTests.Run("fit", "--data", Data("bodyweight.csv"), "--factor", "Rat", "--factor", "Diet",
            "--call", "lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower())");
        Assert.True(code2 == 0, err2);
        Assert.DoesNotContain("did not settle", err2);
    }

    [Fact]
    public void OtherCommandsSayTheyDoNotTakeStructuresYet()
    {
        var (code, _, err) = CliTests.Run("tidy", "--data", Data("orthodont.csv"), "--factor", "Subject",
            "--call", "gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject))");
        Assert.Equal(1, code);
        Assert.Contains("`mixed fit` fits it", err);
    }
}

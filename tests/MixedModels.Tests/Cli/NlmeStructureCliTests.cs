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
    [InlineData("lme(distance ~ age, random = ~ 1 | Subject, correlation = corAR1(form = ~ 1 | Sex))", "incompatible formulas for groups in 'random' and 'correlation'")]
    [InlineData("gls(distance ~ age, correlation = corGaus(form = ~ 1))", "give the coordinates")]
    [InlineData("gls(distance ~ age, correlation = corBogus(form = ~ 1))", "unknown correlation structure corBogus()")]
    [InlineData("lme(distance ~ age, random = list(Subject = pdIdent(~ age)))", "tied across columns are not available here")]
    [InlineData("gls(distance ~ age, weights = varIdent(form = ~ 1 | Sex, fixed = c(Girl = 0.5)))", "varIdent(): no parameter 'Girl'; its ratios are")]
    [InlineData("gls(distance ~ age, weights = varPower(form = ~ age, value = c(1, 2)))", "2 values for 1 parameters (power)")]
    [InlineData("lme(distance ~ age, random = pdDiag(~ age))", "name the grouping factor, random = list(g = pdDiag(~ age))")]
    [InlineData("lme(distance ~ age, random = list(~ age))", "name each level's grouping factor")]
    [InlineData("lme(distance ~ age, random = ~ age)", "give the grouping factor")]
    [InlineData("lme(distance ~ age, random = list(Subject = pdBogus(~ age)))", "unknown pdMat class")]
    [InlineData("lme(distance ~ age, random = list(Subject = ~ age | Subject))", "the grouping is the list's name")]
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
    public void CommandsWithoutStructuresYetSaySo()
    {
        var (code, _, err) = CliTests.Run("influence", "--data", Data("orthodont.csv"), "--factor", "Subject",
            "--call", "gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject))");
        Assert.Equal(1, code);
        Assert.Contains("this command does not take nlme's variance functions and correlation structures yet", err);
        var (code2, text, err2) = CliTests.Run("confint", "--data", Data("orthodont.csv"), "--factor", "Subject",
            "--call", "gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject))");
        Assert.True(code2 == 0, err2);
        Assert.Contains(" Coefficients:", text);
        Assert.Contains(" Correlation structure:\n", text);
        Assert.Contains(" Residual standard error:", text);
        var (code3, anova, err3) = CliTests.Run("anova", "--data", Data("orthodont.csv"), "--factor", "Subject",
            "--call", "gls(distance ~ age, correlation = corAR1(form = ~ 1 | Subject))");
        Assert.True(code3 == 0, err3);
        Assert.Contains("numDF", anova);
    }

    private const string OvaryAr1 = "lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), random = ~ 1 | Mare, correlation = corAR1())";

    [Fact]
    public void LmeAndGlsCommandsFitAsTheCall()
    {
        var (c1, viaCall, e1) = CliTests.Run("fit", "--data", "ovary", "--call", OvaryAr1);
        var (c2, viaLme, e2) = CliTests.Run("lme", "--data", "ovary", "--fixed", "follicles ~ sin(2*pi*Time) + cos(2*pi*Time)", "--random", "~ 1 | Mare", "--correlation", "corAR1()");
        Assert.True(c1 == 0 && c2 == 0, e1 + e2);
        Assert.Equal(viaCall, viaLme);
        Assert.Contains("Correlation Structure: AR(1)", viaLme);
        var (c3, gls, e3) = CliTests.Run("gls", "--data", Data("orthodont.csv"), "--factor", "Subject", "--model", "distance ~ age * Sex",
            "--correlation", "corSymm(form = ~ 1 | Subject)", "--weights", "varIdent(form = ~ 1 | age)", "--method", "ML", "--format", "json");
        Assert.True(c3 == 0, e3);
        var doc = JsonDocument.Parse(gls).RootElement;
        Assert.Equal("gls", doc.GetProperty("model").GetString());
        Assert.True(doc.GetProperty("variance_parameters").EnumerateObject().Any());
        var (c4, _, e4) = CliTests.Run("lme", "--data", "ovary", "--fixed", "follicles ~ Time", "--random", "~ 1 | Mare", "--correlation", "corBogus()");
        Assert.Equal(1, c4);
        Assert.Contains("unknown correlation structure corBogus()", e4);
    }

    [Fact]
    public void ResidualsOfEachTypeAsNlme()
    {
        var (json, _, _) = StructureReferenceTests.FitCase("ovary_lme_ar1");
        foreach (var (type, key) in new[] { ("normalized", "resid_normalized_head"), ("pearson", "resid_pearson_head") })
        {
            var (code, csv, err) = CliTests.Run("residuals", "--data", Data("ovary.csv"), "--factor", "Mare", "--call", json.GetProperty("call").GetString()!, "--type", type);
            Assert.True(code == 0, err);
            var rows = csv.Trim().Split('\n').Skip(1).Select(l => double.Parse(l.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var expected = json.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(rows[i] - expected[i]) < 1e-4 * (1 + Math.Abs(expected[i])), $"{type} {i}: {rows[i]} vs nlme's {expected[i]}");
        }
        var (c2, _, e2) = CliTests.Run("residuals", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--type", "normalized");
        Assert.Equal(1, c2);
        Assert.Contains("nlme's", e2);
    }

    [Fact]
    public void SimulateDrawsFromTheStructuredModel()
    {
        var (code, csv, err) = CliTests.Run("simulate", "--data", "ovary", "--call", OvaryAr1, "--nsim", "3", "--seed", "11");
        Assert.True(code == 0, err);
        var lines = csv.Trim().Split('\n');
        Assert.Equal(309, lines.Length);
        var (code2, again, _) = CliTests.Run("simulate", "--data", "ovary", "--call", OvaryAr1, "--nsim", "3", "--seed", "11");
        Assert.Equal(0, code2);
        Assert.Equal(csv, again);
    }

    [Fact]
    public void ReportOfAStructuredFit()
    {
        var (code, html, err) = CliTests.Run("report", "--data", "bodyweight", "--call", "lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time))");
        Assert.True(code == 0, err);
        foreach (var part in new[] { "Correlation Structure: Continuous AR(1)", "var_model", "Approximate 95% confidence intervals", "Random effects variance covariance matrix", "Rat 1 ", "numDF", "Autocorrelation of the normalized residuals" })
            Assert.Contains(part, html);
        Assert.Equal(4, html.Split("<svg").Length - 1);
        Assert.Contains("Variogram: a semivariogram needs a spatial correlation structure", html);
    }

    [Fact]
    public void VariogramOfASpatialStructure()
    {
        const string call = "gls(yield ~ variety - 1, correlation = corRatio(form = ~ latitude + longitude, nugget = TRUE))";
        var (code, csv, err) = CliTests.Run("variogram", "--data", Data("wheat2.csv"), "--factor", "Block", "--call", call, "--format", "csv");
        Assert.True(code == 0, err);
        var lines = csv.Trim().Split('\n');
        Assert.Equal("variog,dist,n.pairs", lines[0]);
        Assert.Equal(21, lines.Length);
        Assert.Equal("1143", lines[1].Split(',')[2]); // nlme's first bin (its pairs at the smallest distance left out, as cut() does)
        string svg = Path.Combine(Path.GetTempPath(), $"variogram-{Guid.NewGuid():N}.svg");
        try
        {
            var (c2, _, e2) = CliTests.Run("plot", "variogram", "--data", Data("wheat2.csv"), "--factor", "Block", "--call", call, "--output", svg);
            Assert.True(c2 == 0, e2);
            Assert.Contains("Semivariogram of the Pearson residuals", File.ReadAllText(svg));
        }
        finally { File.Delete(svg); }
        var (c3, _, e3) = CliTests.Run("variogram", "--data", "ovary", "--call", OvaryAr1);
        Assert.Equal(1, c3);
        Assert.Contains("needs a spatial correlation structure", e3);
    }

    [Fact]
    public void CompareGivesNlmesAnovaOfStructuredFits()
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "nlme", "postfit", "anova_ovary.json"))).RootElement;
        var args = new List<string> { "compare", "--data", Data("ovary.csv"), "--factor", "Mare", "--labels", "m1,m2,m3,m4,m5" };
        foreach (var c in json.GetProperty("calls").EnumerateArray()) { args.Add("--call"); args.Add(c.GetString()!); }
        var (code, text, err) = CliTests.Run([.. args]);
        Assert.True(code == 0, err);
        MixedModels.Tests.Reference.PrintedText.AssertSameLayout(json.GetProperty("text").GetString()!, text);
        var (code2, _, err2) = CliTests.Run("compare", "--data", "ovary", "--call", OvaryAr1, "--formula", "follicles ~ Time + (1 | Mare)");
        Assert.Equal(1, code2);
        Assert.Contains("by --formula or by --call, not both", err2);
        var (code3, _, err3) = CliTests.Run("compare", "--data", "ovary", "--call", OvaryAr1, "--call", "lmer(follicles ~ Time + (1 | Mare))");
        Assert.Equal(1, code3);
        Assert.Contains("takes lme() and gls() calls only", err3);
    }

    [Fact]
    public void VarCovAcfTidyRanefAndPredictTakeStructuredCalls()
    {
        var (c1, varcov, e1) = CliTests.Run("varcov", "--data", "ovary", "--call", OvaryAr1, "--type", "marginal");
        Assert.True(c1 == 0, e1);
        Assert.StartsWith("Mare 1 \nMarginal variance covariance matrix\n", varcov);
        var (c2, acf, e2) = CliTests.Run("acf", "--data", "ovary", "--call", OvaryAr1, "--type", "normalized", "--format", "csv");
        Assert.True(c2 == 0, e2);
        Assert.StartsWith("lag,ACF,n.used,bound\n0,1,308,", acf);
        var (c3, tidy, e3) = CliTests.Run("tidy", "--data", "bodyweight", "--call", "lme(weight ~ Time * Diet, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time))", "--format", "csv");
        Assert.True(c3 == 0, e3);
        Assert.Contains("var_model,varPower(fitted(.)),power,0.594", tidy);
        var (c4, ranef, e4) = CliTests.Run("ranef", "--data", "ovary", "--call", OvaryAr1, "--format", "csv", "--sort", "level");
        Assert.True(c4 == 0, e4);
        Assert.Contains("Mare", ranef);
        string newdata = Path.Combine(Path.GetTempPath(), $"ovary-new-{Guid.NewGuid():N}.csv");
        File.WriteAllText(newdata, "Mare,Time\n1,0.5\n99,0.5\n");
        try
        {
            var (c5, predicted, e5) = CliTests.Run("predict", "--data", "ovary", "--call", OvaryAr1, "--newdata", newdata, "--format", "csv");
            Assert.True(c5 == 0, e5);
            Assert.Equal(3, predicted.Trim().Split('\n').Length);
            var (c6, _, e6) = CliTests.Run("predict", "--data", "ovary", "--call", OvaryAr1, "--newdata", newdata, "--interval", "prediction");
            Assert.Equal(1, c6);
            Assert.Contains("--interval prediction", e6);
        }
        finally { File.Delete(newdata); }
        string svg = Path.Combine(Path.GetTempPath(), $"acf-{Guid.NewGuid():N}.svg");
        try
        {
            var (c7, _, e7) = CliTests.Run("plot", "acf", "--data", "ovary", "--call", OvaryAr1, "--output", svg);
            Assert.True(c7 == 0, e7);
            Assert.Contains("Autocorrelation of the normalized residuals", File.ReadAllText(svg));
            var (c8, _, e8) = CliTests.Run("plot", "caterpillar", "--data", "ovary", "--call", OvaryAr1, "--output", svg);
            Assert.Equal(1, c8);
            Assert.Contains("the plots of an nlme fit", e8);
        }
        finally { File.Delete(svg); }
    }
}

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Structures;

/// <summary>
/// What follows an nlme fit with structures, against nlme 3.1 (tools/reference-nlme-postfit.R, Reference/nlme/postfit):
/// anova() of gls and lme fits in the order given (its printed table; df exactly, logLik 1e-6), anova() of one fit
/// (sequential and marginal F tests, 1e-4, nlme's print), getVarCov() of the
/// random effects, of a group's conditional and marginal covariance (1e-3 relative, nlme's print), predict() at levels 0
/// and 1 (1e-4), the ACF of the normalized residuals (1e-4) with nlme's n.used, and broom.mixed's tidy() (1e-4).
/// </summary>
public class PostfitReferenceTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Reference", "nlme");

    private static JsonElement Json(string id) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "postfit", id + ".json"))).RootElement;

    private static Table Data(JsonElement json)
    {
        var table = Table.ReadCsv(Path.Combine(Folder, "data", json.GetProperty("data").GetString()!));
        foreach (var f in json.GetProperty("factors").EnumerateObject())
            table = table.AsFactor(f.Name, f.Value.EnumerateArray().Select(e => e.GetString()!).ToArray());
        return table;
    }

    // jsonlite writes a vector of length one as a number (auto_unbox).
    private static double[] Numbers(JsonElement e) => e.ValueKind == JsonValueKind.Number ? [e.GetDouble()] : e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? double.NaN : v.GetDouble()).ToArray();

    private static void Near(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: {actual} vs nlme's {expected}");

    [Theory]
    [InlineData("anova_ovary")]
    [InlineData("anova_orthodont_ml")]
    public void AnovaAsNlme(string id)
    {
        var json = Json(id);
        var table = Data(json);
        var fits = json.GetProperty("calls").EnumerateArray().Select(c => ModelCall.Parse(c.GetString()!).FitNlme(table)).ToArray();
        var anova = NlmeAnova.Compare(fits.Select((_, i) => $"m{i + 1}").ToArray(), fits);
        var df = Numbers(json.GetProperty("df"));
        var loglik = Numbers(json.GetProperty("loglik"));
        var ratio = Numbers(json.GetProperty("l_ratio"));
        for (int i = 0; i < fits.Length; i++)
        {
            Assert.Equal((int)df[i], anova.Rows[i].Df);
            Near(loglik[i], anova.Rows[i].LogLikelihood, 1e-6, $"logLik {i + 1}");
            if (double.IsNaN(ratio[i])) Assert.True(double.IsNaN(anova.Rows[i].LikelihoodRatio), $"row {i + 1} has no test in nlme");
            else Near(ratio[i], anova.Rows[i].LikelihoodRatio, 1e-4, $"L.Ratio {i + 1}");
        }
        var problems = PrintedText.Compare(PrintedText.Lines(anova.ToString()), PrintedText.Lines(json.GetProperty("text").GetString()!), out _, 0, 1e-3);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + anova);
    }

    public static TheoryData<string> Singles() => ["post_ovary_lme_ar1", "post_bodyweight_lme_car1_power", "post_orthodont_gls_symm", "post_orthodont_lme_varident_ml",
        "post_orthodont_lme_reml", "post_ovary_gls_arma11_ml", "post_wheat2_gls_ratio", "post_orthodont_lme_exp", "post_pixel_lme_list", "post_orthodont_gls_fixed_ar1"];

    private static (JsonElement Json, NlmeModel Fit) FitSingle(string id)
    {
        var json = Json(id);
        return (json, ModelCall.Parse(json.GetProperty("call").GetString()!).FitNlme(Data(json)));
    }

    private static void SameMatrix(JsonElement expected, NlmeVarCov ours, string what)
    {
        var rows = expected.EnumerateArray().Select(Numbers).ToArray();
        Assert.Equal(rows.Length, ours.Size);
        double scale = Enumerable.Range(0, ours.Size).Max(i => Math.Abs(rows[i][i]));
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows.Length; j++)
                Assert.True(Math.Abs(ours[i, j] - rows[i][j]) <= 1e-3 * scale, $"{what} [{i}, {j}]: {ours[i, j]} vs nlme's {rows[i][j]}");
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void GetVarCovAsNlme(string id)
    {
        var (json, fit) = FitSingle(id);
        if (json.TryGetProperty("varcov_error", out var nlmeError) && fit.Design.RandomTerms.Count > 0)
        {
            // nlme: "not implemented for multiple levels of nesting"
            Assert.Contains(nlmeError.GetString()!, Assert.Throws<ModelException>(() => fit.RandomEffectsCovariance()).Message);
            return;
        }
        if (fit.Design.RandomTerms.Count > 0)
        {
            var random = fit.RandomEffectsCovariance();
            SameMatrix(json.GetProperty("varcov_random"), random, "random effects");
            PrintedText.AssertSameLayout(json.GetProperty("varcov_random_text").GetString()!, random.ToString());
            SameMatrix(json.GetProperty("varcov_conditional"), fit.GroupCovariance(1, marginal: false), "conditional");
        }
        if (json.TryGetProperty("varcov_error", out var error))
        {
            // nlme: "not implemented for correlation structures without a grouping factor"
            Assert.Contains(error.GetString()!, Assert.Throws<ModelException>(() => fit.GroupCovariance(1)).Message);
            return;
        }
        var marginal = fit.GroupCovariance(1);
        SameMatrix(json.GetProperty("varcov_marginal"), marginal, "marginal");
        var problems = PrintedText.Compare(PrintedText.Lines(marginal.ToString()), PrintedText.Lines(json.GetProperty("varcov_marginal_text").GetString()!), out _, 0, 0);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + marginal);
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void PredictionsAtEachLevelAsNlme(string id)
    {
        var (json, fit) = FitSingle(id);
        var table = Data(json);
        var level0 = Numbers(json.GetProperty("predict_level0"));
        var population = fit.Predict(table, level: 0);
        for (int i = 0; i < level0.Length; i++) Near(level0[i], population[i].Fit, 1e-4, $"level 0, row {i + 1}");
        if (!json.TryGetProperty("predict_level1", out var l1)) return;
        var level1 = Numbers(l1);
        var conditional = fit.Predict(table, level: 1);
        for (int i = 0; i < level1.Length; i++)
        {
            Near(level1[i], conditional[i].Fit, 1e-4, $"level 1, row {i + 1}");
            if (!json.TryGetProperty("predict_level2", out _)) Near(fit.Fitted[i], conditional[i].Fit, 1e-9, $"fitted, row {i + 1}");
        }
        if (!json.TryGetProperty("predict_level2", out var l2)) return;
        var level2 = Numbers(l2);
        var inner = fit.Predict(table, level: 2);
        for (int i = 0; i < level2.Length; i++)
        {
            Near(level2[i], inner[i].Fit, 1e-4, $"level 2, row {i + 1}");
            Near(fit.Fitted[i], inner[i].Fit, 1e-9, $"fitted, row {i + 1}");
        }
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void AcfOfTheNormalizedResidualsAsNlme(string id)
    {
        var (json, fit) = FitSingle(id);
        var acf = NlmeAcf.Compute(fit, NlmeResidualType.Normalized);
        var values = Numbers(json.GetProperty("acf"));
        var used = Numbers(json.GetProperty("acf_n_used"));
        Assert.Equal(values.Length, acf.Values.Count);
        for (int k = 0; k < values.Length; k++)
        {
            Assert.Equal((int)used[k], acf.Used[k]);
            Assert.True(Math.Abs(values[k] - acf.Values[k]) < 1e-4, $"lag {k}: {acf.Values[k]} vs nlme's {values[k]}");
        }
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void IntervalsAsNlme(string id)
    {
        // The fixed effects' t intervals to 1e-4; the variance parameters' limits to 4% of the interval's larger half
        // (nlme's fdHess steps of 6e-6 carry 0.5-1.5% rounding error into its approximate covariance, amplified where
        // parameters are strongly correlated as BodyWeight's σ and power; ours is the accurate Hessian of the same
        // log-likelihood).
        var (json, fit) = FitSingle(id);
        var iv = NlmeIntervals.Compute(fit);
        var expected = PrintedText.Lines(json.GetProperty("intervals_text").GetString()!);
        var ours = PrintedText.Lines(iv.ToString());
        Assert.True(expected.Count == ours.Count, iv.ToString());
        bool variance = false;
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i].StartsWith(" Random", StringComparison.Ordinal) || expected[i].StartsWith(" Correlation", StringComparison.Ordinal) ||
                expected[i].StartsWith(" Variance", StringComparison.Ordinal) || expected[i].Contains("standard error", StringComparison.Ordinal)) variance = true;
            var e = NumbersOf(expected[i]);
            var o = NumbersOf(ours[i]);
            Assert.True(e.Length == o.Length, $"line {i + 1}: [{ours[i]}] vs [{expected[i]}]");
            if (e.Length == 3 && variance)
            {
                double width = Math.Max(e[2] - e[1], e[1] - e[0]);
                for (int k = 0; k < 3; k++) Assert.True(Math.Abs(e[k] - o[k]) <= 0.04 * width + 1e-6, $"line {i + 1}: [{ours[i]}] vs [{expected[i]}]");
            }
            else
                for (int k = 0; k < e.Length; k++) Assert.True(Math.Abs(e[k] - o[k]) <= 1e-4 * Math.Max(1, Math.Abs(e[k])), $"line {i + 1}: [{ours[i]}] vs [{expected[i]}]");
        }
        var sigma = Numbers(json.GetProperty("intervals_sigma"));
        Near(sigma[1], iv.Sigma.Estimate, 1e-4, "sigma");
    }

    /// <summary>The numbers at the end of a printed row (at most three: lower, est., upper; not a numeric row name).</summary>
    private static double[] NumbersOf(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = new List<double>();
        for (int i = tokens.Length - 1; i >= 0 && values.Count < 3; i--)
        {
            if (!double.TryParse(tokens[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v)) break;
            values.Insert(0, v);
        }
        return [.. values];
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void TermFTestsAsNlme(string id)
    {
        var (json, fit) = FitSingle(id);
        foreach (bool marginal in new[] { false, true })
        {
            var tests = NlmeTermTests.Compute(fit, marginal);
            var f = Numbers(json.GetProperty(marginal ? "anova_marginal_f" : "anova_f"));
            Assert.Equal(f.Length, tests.Rows.Count);
            for (int i = 0; i < f.Length; i++) Near(f[i], tests.Rows[i].FValue, 1e-4, $"F {tests.Rows[i].Term}");
            var problems = PrintedText.Compare(PrintedText.Lines(tests.ToString()), PrintedText.Lines(json.GetProperty(marginal ? "anova_marginal_text" : "anova_text").GetString()!), out _, 0, 1e-3);
            Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n" + tests);
        }
    }

    [Theory]
    [InlineData("post_ovary_lme_ar1")]
    [InlineData("post_bodyweight_lme_car1_power")]
    public void SimulatedResponsesHaveTheMarginalCovariance(string id)
    {
        // 4,000 draws: each entry of the first group's empirical covariance within 12% of the largest marginal
        // variance (sampling SD about 2.2%), and the mean within 5 standard errors of X beta at every row.
        var (_, fit) = FitSingle(id);
        var marginal = fit.GroupCovariance(1);
        var term = fit.Design.TermsArray[0];
        var rows = Enumerable.Range(0, fit.Observations).Where(r => term.CodesArray[r] == 0).ToArray();
        var population = fit.Predict(Data(FitSingle(id).Json), level: 0).Select(p => p.Fit).ToArray();
        int count = 4000, m = rows.Length;
        var sum = new double[m];
        var cross = new double[m, m];
        foreach (var y in fit.SimulateEach(count, seed: 7))
            for (int i = 0; i < m; i++)
            {
                double ei = y[rows[i]] - population[rows[i]];
                sum[i] += ei;
                for (int j = 0; j < m; j++) cross[i, j] += ei * (y[rows[j]] - population[rows[j]]);
            }
        double scale = Enumerable.Range(0, m).Max(i => marginal[i, i]);
        for (int i = 0; i < m; i++)
        {
            Assert.True(Math.Abs(sum[i] / count) < 5 * Math.Sqrt(marginal[i, i] / count), $"mean of row {rows[i]}: {sum[i] / count}");
            for (int j = 0; j < m; j++)
                Assert.True(Math.Abs(cross[i, j] / count - marginal[i, j]) < 0.12 * scale, $"cov [{i}, {j}]: {cross[i, j] / count} vs {marginal[i, j]}");
        }
        Assert.Equal(fit.SimulateEach(1, 7).First(), fit.SimulateEach(2, 7).First());
    }

    [Theory]
    [InlineData("post_wheat2_gls_ratio")]
    [InlineData("post_orthodont_lme_exp")]
    public void VariogramAsNlme(string id)
    {
        var (json, fit) = FitSingle(id);
        var v = NlmeVariogram.Compute(fit);
        var dist = Numbers(json.GetProperty("variogram_dist"));
        var semi = Numbers(json.GetProperty("variogram"));
        var pairs = Numbers(json.GetProperty("variogram_pairs"));
        Assert.Equal(dist.Length, v.Distance.Count);
        for (int i = 0; i < dist.Length; i++)
        {
            Assert.Equal((int)pairs[i], v.Pairs[i]);
            Near(dist[i], v.Distance[i], 1e-9, $"distance {i}");
            Near(semi[i], v.Semivariance[i], 1e-4, $"semivariance {i}");
        }
        var modelDist = Numbers(json.GetProperty("variogram_model_dist"));
        var model = Numbers(json.GetProperty("variogram_model"));
        Assert.Equal(model.Length, v.ModelSemivariance.Count);
        for (int i = 0; i < model.Length; i++)
        {
            Near(modelDist[i], v.ModelDistance[i], 1e-9, $"model distance {i}");
            Near(model[i], v.ModelSemivariance[i], 1e-4, $"model semivariance {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Singles))]
    public void TidyAsBroomMixed(string id)
    {
        var (json, fit) = FitSingle(id);
        var rows = TidyTable.CreateNlme(fit).Rows;
        var expected = json.GetProperty("tidy").EnumerateArray().ToArray();
        if (fit.Design.RandomTerms.Count == 0 || !expected.Any(e => e.TryGetProperty("effect", out var x) && x.GetString() == "ran_pars"))
        {
            // broom's tidy.gls: the coefficients only; broom.mixed gives no ran_pars for several nesting levels (ours does).
            rows = rows.Where(r => r.Effect == "fixed").ToArray();
        }
        Assert.Equal(expected.Length, rows.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var r = rows[i];
            Assert.Equal(e.GetProperty("term").GetString(), r.Term);
            if (e.TryGetProperty("effect", out var effect)) Assert.Equal(effect.GetString(), r.Effect);
            if (e.TryGetProperty("group", out var group) && group.ValueKind == JsonValueKind.String) Assert.Equal(group.GetString(), r.Group);
            Near(e.GetProperty("estimate").GetDouble(), r.Estimate, 1e-4, $"{r.Term} estimate");
            if (e.GetProperty("std.error").ValueKind == JsonValueKind.Number) Near(e.GetProperty("std.error").GetDouble(), r.StdError, 1e-4, $"{r.Term} std.error");
            if (e.TryGetProperty("df", out var df) && df.ValueKind == JsonValueKind.Number) Assert.Equal(df.GetDouble(), r.Df);
        }
    }
}

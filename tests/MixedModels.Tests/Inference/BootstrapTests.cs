using System.Text.Json;
using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Inference;

/// <summary>The parametric bootstrap: reproducible by seed whatever the threading, and in agreement with profile intervals.</summary>
public sealed class BootstrapTests(ITestOutputHelper output)
{
    private static readonly LinearMixedModel Sleep = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));

    [Fact]
    public void SameSeedGivesSameReplicatesWhateverTheThreadCount()
    {
        var a = ParametricBootstrap.Run(Sleep, 40, seed: 42, threads: 1);
        var b = ParametricBootstrap.Run(Sleep, 40, seed: 42, threads: 2);
        var c = ParametricBootstrap.Run(Sleep, 40, seed: 43);
        Assert.Equal(40, a.Replicates);
        bool anyDifferent = false;
        for (int r = 0; r < a.Replicates; r++)
            for (int p = 0; p < a.ParameterNames.Count; p++)
            {
                Assert.Equal(a.Value(r, p), b.Value(r, p));
                anyDifferent |= a.Value(r, p) != c.Value(r, p);
            }
        Assert.True(anyDifferent, "a different seed must give different replicates");
        Assert.Equal(["(Intercept)", "Days", "sd_(Intercept)|Subject", "cor_Days.(Intercept)|Subject", "sd_Days|Subject", "sigma"], a.ParameterNames);
    }

    [Fact]
    public void ReplicatesAreDrawnFromTheFittedModel()
    {
        var boot = ParametricBootstrap.Run(Sleep, 400, seed: 7);
        // The mean of the replicate estimates of each fixed effect is the estimate, within Monte Carlo error.
        for (int p = 0; p < 2; p++)
        {
            var values = Enumerable.Range(0, boot.Replicates).Select(r => boot.Value(r, p)).ToArray();
            double mean = values.Average();
            double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
            Assert.InRange(mean, boot.Estimates[p] - 4 * sd / Math.Sqrt(values.Length), boot.Estimates[p] + 4 * sd / Math.Sqrt(values.Length));
            // ... and their spread is the fixed effect's standard error, within 15%.
            Assert.InRange(sd / Sleep.FixedEffects[p].StandardError, 0.85, 1.15);
        }
    }

    public static IEnumerable<object[]> Lme4Bootstraps() =>
        Enumerable.Range(0, Lme4Records().GetArrayLength()).Select(i => new object[] { Lme4Records()[i].GetProperty("id").GetString()! });

    private static JsonElement Lme4Records() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("inference"), "bootstrap.json"))).RootElement;

    /// <summary>
    /// lme4's percentile intervals from 2000 replicates (tools/reference-bootstrap.R) and ours from 2000 differ by
    /// Monte Carlo error alone: a 2.5% quantile of 2000 draws has a standard error of about 0.03 half-widths for a
    /// normal estimate, so two independent runs differ by 0.2 half-widths with probability well below 1e-4 (skewed
    /// variance parameters have somewhat larger errors; the tolerance covers them).
    /// </summary>
    [Theory]
    [MemberData(nameof(Lme4Bootstraps))]
    public void PercentileIntervalsAgreeWithLme4WithinMonteCarloError(string id)
    {
        var r = Lme4Records().EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        var m = LinearMixedModel.Fit(r.GetProperty("formula").GetString()!, Datasets.Load(r.GetProperty("data").GetString()!.Replace(".csv", "")),
            new FitOptions { Reml = r.GetProperty("reml").GetBoolean() });
        var boot = ParametricBootstrap.Run(m, r.GetProperty("nsim").GetInt32(), seed: 2026);
        var names = ReferenceRecord.Strings(r.GetProperty("names"));
        var lower = ReferenceRecord.Numbers(r.GetProperty("lower"));
        var upper = ReferenceRecord.Numbers(r.GetProperty("upper"));
        var ours = boot.PercentileIntervals().ToDictionary(c => c.Parameter);
        for (int i = 0; i < names.Length; i++)
        {
            var b = ours[names[i]];
            double halfWidth = (upper[i] - lower[i]) / 2;
            output.WriteLine($"{names[i],-30} ours [{b.Lower:G6}, {b.Upper:G6}]  lme4 [{lower[i]:G6}, {upper[i]:G6}]  " +
                $"differences {(b.Lower - lower[i]) / halfWidth:F3}, {(b.Upper - upper[i]) / halfWidth:F3} half-widths");
            Assert.InRange(b.Lower, lower[i] - 0.2 * halfWidth, lower[i] + 0.2 * halfWidth);
            Assert.InRange(b.Upper, upper[i] - 0.2 * halfWidth, upper[i] + 0.2 * halfWidth);
        }
    }

    /// <summary>
    /// On a model where both are well defined (hsb's random intercept model by ML: 160 schools, estimates far from
    /// the boundary, nearly symmetric likelihood) the bootstrap's percentile intervals agree with the profile
    /// intervals within Monte Carlo error (0.2 half-widths, as above).
    /// </summary>
    [Fact]
    public void PercentileIntervalsAgreeWithProfileIntervals()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", Datasets.Load("hsb"), new FitOptions { Reml = false });
        var boot = ParametricBootstrap.Run(m, 2000, seed: 11);
        var profile = ProfileLikelihood.Intervals(m).ToDictionary(c => c.Parameter);
        foreach (var b in boot.PercentileIntervals())
        {
            var p = profile[b.Parameter];
            double halfWidth = (p.Upper - p.Lower) / 2;
            output.WriteLine($"{b.Parameter,-30} boot [{b.Lower:G6}, {b.Upper:G6}]  profile [{p.Lower:G6}, {p.Upper:G6}]");
            Assert.InRange(b.Lower, p.Lower - 0.2 * halfWidth, p.Lower + 0.2 * halfWidth);
            Assert.InRange(b.Upper, p.Upper - 0.2 * halfWidth, p.Upper + 0.2 * halfWidth);
        }
        Assert.Equal(0, boot.Failed);
    }

    [Fact]
    public void BootstrapLikelihoodRatioTest()
    {
        var data = Datasets.Load("sleepstudy");
        var small = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        // Under the null model the p-value is roughly uniform; against the slope model (χ² = 42) it is the smallest possible.
        var (stat, p, n) = ParametricBootstrap.LikelihoodRatioTest(small, Sleep, 99, seed: 3);
        Assert.Equal(99, n);
        Assert.InRange(stat, 42.0, 42.3);
        Assert.Equal(0.01, p, 12);
        // A term that explains nothing: the null is not rejected.
        var noise = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject) + (1 | Row)", WithRowFactor(data));
        var (_, pNoise, _) = ParametricBootstrap.LikelihoodRatioTest(small, noise, 49, seed: 4);
        Assert.True(pNoise > 0.2, $"p = {pNoise}");
    }

    private static Table WithRowFactor(Table data)
    {
        // A grouping factor that pairs each row with the row half the data set away (another subject, same day):
        // it explains nothing the model does not already explain.
        int n = data.RowCount;
        var codes = Enumerable.Range(0, n).Select(i => i % (n / 2)).ToArray();
        var levels = Enumerable.Range(0, n / 2).Select(i => $"r{i}").ToArray();
        return data.With(new CategoricalColumn("Row", codes, levels));
    }
}

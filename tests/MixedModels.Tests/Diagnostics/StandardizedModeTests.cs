using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Diagnostics;

/// <summary>
/// Outlying clusters by standardized conditional modes: mode / √(τ² − conditional variance), the SD of the estimated
/// effect over samples (issue 15), instead of mode / conditional SD ("different from zero").
/// </summary>
public sealed class StandardizedModeTests
{
    [Fact]
    public void TheStatisticIsTheModeOverItsSamplingSd()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", Datasets.Load("hsb"));
        var table = m.RandomEffects()[0];
        double tau2 = m.VarianceComponents[0].Variance(0);
        var ranked = OutlyingGroups.Rank(m);
        Assert.Equal(160, ranked.Count);
        foreach (var o in ranked.Take(5))
        {
            int l = table.Levels.ToList().IndexOf(o.Level);
            double sd = Math.Sqrt(tau2 - table.ConditionalCovariance(l, 0, 0));
            Assert.Equal(table.Mode(l, 0) / sd, o.Z, 12);
            Assert.Equal(o.Z * o.Z, o.BlockChiSquare, 10);
        }
        // About N(0, 1) over the schools: a handful beyond 2.5, not the 44 of 160 that mode / conditional SD flags.
        int flagged = OutlyingGroups.Find(m, 2.5).Count;
        Assert.InRange(flagged, 1, 8);
        int old = table.Levels.Select((_, l) => Math.Abs(table.Mode(l, 0) / table.ConditionalSd(l, 0))).Count(z => z > 2.5);
        Assert.True(old > 30, $"{old}");
    }

    [Fact]
    public void ThePlantedInterviewersOfEssStandOut()
    {
        var ess = Table.ReadCsv(Path.Combine(ReferenceRecord.Directory("prep"), "ess.csv")).AsFactor("intid");
        // 7519's flat slope comes from one trstplc coded 88: with it, 7519 is the most extreme level by far ...
        var trust = OutlyingGroups.Rank(LinearMixedModel.Fit("trstplc ~ helpful + (helpful | intid)", ess));
        Assert.Equal("7519", trust[0].Level);
        Assert.True(Math.Abs(trust[0].Z) > 5, $"{trust[0].Z}");
        // ... and with 88 read as missing it is an ordinary interviewer.
        var recoded = ess.WithMissing([], new Dictionary<string, IReadOnlyCollection<string>> { ["trstplc"] = ["88"] });
        var clean = OutlyingGroups.Rank(LinearMixedModel.Fit("trstplc ~ helpful + (helpful | intid)", recoded));
        Assert.DoesNotContain(clean.Take(10), o => o.Level == "7519");
        // 4976's low intercept: among the lowest standardized intercepts of helpful ~ trstplc.
        var helpful = OutlyingGroups.Rank(LinearMixedModel.Fit("helpful ~ trstplc + (1 | intid)", recoded));
        var low = helpful.Where(o => o.Z < 0).Take(2).Select(o => o.Level).ToList();
        Assert.Contains("4976", low);
    }
}

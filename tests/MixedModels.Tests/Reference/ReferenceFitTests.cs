using MixedModels.Results;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Reference;

/// <summary>
/// Every model of the reference sets is fitted and compared with lme4. "fits" are the shared reference fits made
/// with lme4's default optimizer settings; "extra" are more models made by tools/reference-extra.R. Where lme4's
/// default optimizer stopped early (its objective is higher than ours), the fit is compared with the tightly
/// converged refit made by tools/reference-tight.R instead, and the test output says so.
/// </summary>
public sealed class ReferenceFitTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, LinearMixedModel> Cache = new();

    public static IEnumerable<object[]> SharedFits() => ReferenceRecord.FitIds("fits").Select(id => new object[] { id });

    public static IEnumerable<object[]> ExtraFits() => ReferenceRecord.FitIds("extra").Select(id => new object[] { id });

    internal static LinearMixedModel FitOf(ReferenceRecord r)
    {
        lock (Cache)
        {
            string key = r.Set + "/" + r.Id;
            if (!Cache.TryGetValue(key, out var m)) Cache[key] = m = r.Fit();
            return m;
        }
    }

    [Theory]
    [MemberData(nameof(SharedFits))]
    public void SharedFitMatchesLme4(string id)
    {
        var reference = ReferenceRecord.Load("fits", id);
        var m = FitOf(reference);
        Assert.True(m.Converged, m.Optimization.Message);
        var errors = FitComparison.Compare(m, reference);
        if (errors.Count == 0) { output.WriteLine($"{id}: matches lme4's reference"); return; }

        // lme4's default optimizer may stop early. Then our objective must be at least as low as lme4's, and every
        // number must match the tightly converged refit.
        Assert.True(ReferenceRecord.Exists("tight", id), $"{id} differs from lme4 and has no tight refit:\n{string.Join("\n", errors)}");
        var tight = ReferenceRecord.Load("tight", id);
        double lme4Objective = reference.Number("objective");
        Assert.True(m.Objective <= lme4Objective + 1e-9 * Math.Abs(lme4Objective),
            $"{id}: our objective {m.Objective:R} is higher than lme4's {lme4Objective:R}:\n{string.Join("\n", errors)}");
        var tightErrors = FitComparison.Compare(m, tight);
        Assert.True(tightErrors.Count == 0, $"{id} differs from the tight refit too:\n{string.Join("\n", tightErrors)}");
        output.WriteLine($"{id}: lme4's default optimizer stopped early (objective {lme4Objective:R}, ours {m.Objective:R}, " +
            $"difference {lme4Objective - m.Objective:E2}); matches the tightly converged refit. Differences from the default fit:");
        foreach (string e in errors) output.WriteLine("  " + e);
    }

    [Theory]
    [MemberData(nameof(ExtraFits))]
    public void ExtraFitMatchesLme4(string id)
    {
        var reference = ReferenceRecord.Load("extra", id);
        var m = FitOf(reference);
        Assert.True(m.Converged, m.Optimization.Message);
        var errors = FitComparison.Compare(m, reference);
        Assert.True(errors.Count == 0, $"{id}:\n{string.Join("\n", errors)}");
    }

    [Theory]
    [MemberData(nameof(ExtraFits))]
    public void RankDeficiencyReportedAsLme4Does(string id)
    {
        var reference = ReferenceRecord.Load("extra", id);
        var m = FitOf(reference);
        var dropped = reference.Root.TryGetProperty("rank_dropped", out var d) && d.ValueKind != System.Text.Json.JsonValueKind.Null
            ? ReferenceRecord.Strings(d) : [];
        Assert.Equal(dropped, m.Design.X.DroppedColumns);
        if (dropped.Length > 0)
            Assert.Contains(m.Messages, s => s.StartsWith("fixed-effect model matrix is rank deficient so dropping 1 column / coefficient", StringComparison.Ordinal));
    }
}

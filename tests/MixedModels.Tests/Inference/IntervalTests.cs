using MixedModels.Inference;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;

namespace MixedModels.Tests.Inference;

/// <summary>
/// Profile-likelihood and Wald intervals against lme4's <c>confint</c> in the shared reference fits: profile limits
/// to 1e-3 relative (lme4 interpolates a spline through its profile, we find the crossing exactly), a lower limit
/// lme4 reports as 0 to within 1e-4; Wald limits to 1e-6 relative.
/// </summary>
public sealed class IntervalTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> WithProfile() => Ids("confint_profile");
    public static IEnumerable<object[]> WithWald() => Ids("confint_wald");

    private static IEnumerable<object[]> Ids(string property) =>
        ReferenceRecord.FitIds("fits").Where(id =>
        {
            var r = ReferenceRecord.Load("fits", id);
            return r.Root.TryGetProperty(property, out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Object;
        }).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(WithProfile))]
    public void ProfileIntervalsMatchLme4(string id)
    {
        var r = ReferenceRecord.Load("fits", id);
        var ci = ProfileLikelihood.Intervals(ReferenceFitTests.FitOf(r));
        var reference = r.Root.GetProperty("confint_profile");
        var names = ReferenceRecord.Strings(reference.GetProperty("names"));
        var lower = ReferenceRecord.Numbers(reference.GetProperty("lower"));
        var upper = ReferenceRecord.Numbers(reference.GetProperty("upper"));
        Assert.Equal(names, ci.Select(c => c.Parameter));
        var errors = new List<string>();
        double worst = 0;
        for (int i = 0; i < names.Length; i++)
        {
            foreach (var (what, ours, theirs) in new[] { ("lower", ci[i].Lower, lower[i]), ("upper", ci[i].Upper, upper[i]) })
            {
                if (theirs == 0)
                {
                    if (!(Math.Abs(ours) <= 1e-4)) errors.Add($"{names[i]} {what}: ours {ours:R}, lme4 0");
                    continue;
                }
                double err = Math.Abs(ours - theirs) / Math.Abs(theirs);
                worst = Math.Max(worst, err);
                if (!(err <= 1e-3)) errors.Add($"{names[i]} {what}: ours {ours:R}, lme4 {theirs:R} (relative error {err:E2})");
            }
        }
        output.WriteLine($"{id}: largest relative difference {worst:E2}");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(WithWald))]
    public void WaldIntervalsMatchLme4(string id)
    {
        var r = ReferenceRecord.Load("fits", id);
        var m = ReferenceFitTests.FitOf(r);
        var reference = r.Root.GetProperty("confint_wald");
        var names = ReferenceRecord.Strings(reference.GetProperty("names"));
        var lower = ReferenceRecord.Numbers(reference.GetProperty("lower"));
        var upper = ReferenceRecord.Numbers(reference.GetProperty("upper"));
        if (FitComparison.Compare(m, r).Count > 0)
        {
            // lme4's default optimizer stopped early on this model (see ReferenceFitTests): the limits are those of
            // the tightly converged refit, estimate ± z·SE.
            var fixef = ReferenceRecord.Load("tight", id).Root.GetProperty("fixef");
            var est = ReferenceRecord.Numbers(fixef.GetProperty("estimate"));
            var se = ReferenceRecord.Numbers(fixef.GetProperty("se"));
            lower = est.Select((e, i) => e - 1.959963984540054 * se[i]).ToArray();
            upper = est.Select((e, i) => e + 1.959963984540054 * se[i]).ToArray();
            output.WriteLine($"{id}: compared with the tight refit (lme4's default fit stopped early)");
        }
        var ci = ConfidenceIntervals.Wald(m);
        Assert.Equal(names, ci.Select(c => c.Parameter));
        for (int i = 0; i < names.Length; i++)
        {
            // Our estimates and standard errors agree with lme4's to the fit tolerances (1e-5 and 1e-4), so the
            // limits agree to within the standard error's tolerance times the half-width.
            double halfWidth = upper[i] - (upper[i] + lower[i]) / 2;
            Assert.InRange(ci[i].Lower, lower[i] - 2e-4 * halfWidth - 1e-5 * Math.Abs(lower[i]), lower[i] + 2e-4 * halfWidth + 1e-5 * Math.Abs(lower[i]));
            Assert.InRange(ci[i].Upper, upper[i] - 2e-4 * halfWidth - 1e-5 * Math.Abs(upper[i]), upper[i] + 2e-4 * halfWidth + 1e-5 * Math.Abs(upper[i]));
        }
    }
}

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Diagnostics;

/// <summary>coef(), conditional covariances, residuals, cluster deletion and outlying clusters against lme4 (tools/reference-diagnostics.R).</summary>
public sealed class DiagnosticsTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("inference"), "diagnostics.json"))).RootElement;

    private static readonly LinearMixedModel Sleep = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));

    private static void Close(double expected, double actual, double tol, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tol * Math.Max(1, Math.Abs(expected)), $"{what}: ours {actual:R}, lme4 {expected:R}");

    [Fact]
    public void CoefficientsAreLme4s()
    {
        var r = Reference.GetProperty("sleepstudy");
        var c = Sleep.Coefficients().Single();
        Assert.Equal("Subject", c.Group);
        Assert.Equal(ReferenceRecord.Strings(r.GetProperty("coef_names")), c.Columns);
        Assert.Equal(ReferenceRecord.Strings(r.GetProperty("levels")), c.Levels);
        var rows = r.GetProperty("coef").EnumerateArray().Select(ReferenceRecord.Numbers).ToArray();
        for (int l = 0; l < rows.Length; l++)
            for (int j = 0; j < 2; j++) Close(rows[l][j], c.Value(l, j), 1e-5, $"coef[{l},{j}]");

        // (Days || Subject) is two terms on Subject: coef() merges them.
        var u = LinearMixedModel.Fit("Reaction ~ Days + (Days || Subject)", Datasets.Load("sleepstudy")).Coefficients().Single();
        var ur = Reference.GetProperty("sleepstudy_uncorrelated");
        Assert.Equal(ReferenceRecord.Strings(ur.GetProperty("coef_names")), u.Columns);
        var urows = ur.GetProperty("coef").EnumerateArray().Select(ReferenceRecord.Numbers).ToArray();
        for (int l = 0; l < urows.Length; l++)
            for (int j = 0; j < 2; j++) Close(urows[l][j], u.Value(l, j), 1e-5, $"uncorrelated coef[{l},{j}]");

        var o = LinearMixedModel.Fit("distance ~ age * Sex + (age | Subject)", Datasets.Load("orthodont")).Coefficients().Single();
        var or = Reference.GetProperty("orthodont");
        Assert.Equal(ReferenceRecord.Strings(or.GetProperty("coef_names")), o.Columns);
        var first = ReferenceRecord.Numbers(or.GetProperty("coef_first"));
        for (int j = 0; j < first.Length; j++) Close(first[j], o.Value(0, j), 1e-4, $"orthodont coef[0,{j}]");
    }

    [Fact]
    public void ConditionalCovariancesAreLme4sPostVar()
    {
        var table = Sleep.RandomEffects().Single();
        var pv = Reference.GetProperty("sleepstudy").GetProperty("postvar").EnumerateArray().ToArray();
        for (int l = 0; l < pv.Length; l++)
        {
            var m = pv[l].EnumerateArray().Select(ReferenceRecord.Numbers).ToArray();
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 2; b++) Close(m[a][b], table.ConditionalCovariance(l, a, b), 1e-4, $"postVar[{l}][{a},{b}]");
        }
        var sorted = table.Sorted(1);
        Assert.Equal(18, sorted.Count);
        Assert.True(sorted.Zip(sorted.Skip(1)).All(p => p.First.Mode <= p.Second.Mode));
        Assert.Equal(sorted[0].Mode - 1.959963984540054 * sorted[0].ConditionalSd, sorted[0].Lower, 10);
        Assert.Equal("Subject", table.Name);
    }

    [Fact]
    public void ResidualsByKind()
    {
        var r = Reference.GetProperty("sleepstudy");
        foreach (var (kind, field) in new[] { (ResidualKind.Response, "residual_response"), (ResidualKind.Pearson, "residual_pearson"), (ResidualKind.Scaled, "residual_scaled") })
        {
            var expected = ReferenceRecord.Numbers(r.GetProperty(field));
            var ours = Sleep.ResidualsOf(kind);
            for (int i = 0; i < expected.Length; i++) Close(expected[i], ours[i], 1e-4, $"{kind}[{i}]");
        }
    }

    [Fact]
    public void CooksDistanceOfDeletingEachClusterMatchesRefitsInR()
    {
        var expected = ReferenceRecord.Numbers(Reference.GetProperty("sleepstudy").GetProperty("cooks"));
        var exact = ClusterInfluence.Compute(Sleep, "Subject");
        Assert.Equal(18, exact.Count);
        for (int l = 0; l < expected.Length; l++)
        {
            Assert.Equal(10, exact[l].Observations);
            Assert.True(Math.Abs(exact[l].CooksDistance - expected[l]) <= 1e-3 * expected[l] + 1e-7, $"{exact[l].Level}: {exact[l].CooksDistance:R} vs {expected[l]:R}");
        }
        // Holding θ at θ̂ approximates them: the ranking of the most influential clusters is the same.
        var approx = ClusterInfluence.Compute(Sleep, "Subject", exact: false);
        Assert.Equal(exact.OrderByDescending(c => c.CooksDistance).First().Level, approx.OrderByDescending(c => c.CooksDistance).First().Level);
        Assert.Throws<ModelException>(() => ClusterInfluence.Compute(Sleep, "Days"));
    }

    [Fact]
    public void AMiscodedClusterStandsOut()
    {
        // Shift every reaction time of subject 333 by +120 ms, as a miscoded interviewer would: it is the most extreme intercept.
        var data = Datasets.Load("sleepstudy");
        var subject = (CategoricalColumn)data["Subject"];
        int code = subject.Levels.ToList().IndexOf("333");
        var reaction = ((NumericColumn)data["Reaction"]).Values.ToArray();
        for (int i = 0; i < reaction.Length; i++) if (subject.Codes[i] == code) reaction[i] += 120;
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data.With(new NumericColumn("Reaction", reaction)));
        var outliers = OutlyingGroups.Find(m, threshold: 2);
        Assert.NotEmpty(outliers);
        Assert.Equal(("333", "(Intercept)"), (outliers[0].Level, outliers[0].Term));
        Assert.True(outliers[0].Z > 2);
        Assert.Empty(OutlyingGroups.Find(Sleep, threshold: 10));
    }

    [Fact]
    public void SimulationIsReproducibleAndCentredOnTheFit()
    {
        var a = Sleep.Simulate(200, seed: 5);
        var b = Sleep.Simulate(200, seed: 5);
        Assert.Equal(a[17], b[17]);
        Assert.NotEqual(a[0], a[1]);
        // The mean of the simulated responses at each observation is Xβ̂, within Monte Carlo error.
        var pop = Sleep.Predict(Datasets.Load("sleepstudy"), PredictOptions.Population);
        double total = Sleep.VarianceComponents[0].Variance(0) + Sleep.Sigma * Sleep.Sigma;
        for (int i = 0; i < 10; i++)
        {
            double mean = a.Average(s => s[i]);
            Assert.InRange(mean, pop[i].Fit - 5 * Math.Sqrt(total / 200), pop[i].Fit + 5 * Math.Sqrt(total / 200));
        }
    }
}

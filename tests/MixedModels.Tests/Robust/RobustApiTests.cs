using System.Text.Json;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Reporting;
using MixedModels.Results;
using MixedModels.Robust;
using Xunit;

namespace MixedModels.Tests.Robust;

/// <summary>The robust fit's tables, JSON, comparison, R-call form and refusals.</summary>
public class RobustApiTests
{
    private static readonly Lazy<RobustLinearMixedModel> Sleep =
        new(() => RobustLinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy")));

    [Theory]
    [InlineData("extra/sleepstudy_uncorrelated")]
    [InlineData("extra/orthodont_sex")]
    [InlineData("extra/penicillin_crossed")]
    public void TidyMatchesBroomMixed(string id)
    {
        var (fit, r) = RobustReferenceTests.FitReference(id);
        var rows = fit.Tidy().Rows;
        var expected = r.GetProperty("tidy").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected[i].GetProperty("effect").GetString(), rows[i].Effect);
            Assert.Equal(expected[i].GetProperty("term").GetString(), rows[i].Term);
            var g = expected[i].GetProperty("group");
            Assert.Equal(g.ValueKind == JsonValueKind.Null ? null : g.GetString(), rows[i].Group);
            double e = expected[i].GetProperty("estimate").GetDouble();
            Assert.True(Math.Abs(e - rows[i].Estimate) <= 2e-5 * Math.Max(1, Math.Abs(e)), $"{rows[i].Term}: {e} vs {rows[i].Estimate}");
            var se = expected[i].GetProperty("std.error");
            if (se.ValueKind == JsonValueKind.Null) Assert.True(double.IsNaN(rows[i].StdError));
            else Assert.True(Math.Abs(se.GetDouble() - rows[i].StdError) <= 2e-5 * se.GetDouble());
        }
        var text = fit.Tidy().Format(TableFormat.Csv);
        Assert.StartsWith("effect,group,term,estimate,std.error,statistic\n", text);
    }

    [Theory]
    [InlineData("compare_dyestuff", "dyestuff", "Yield ~ 1 + (1 | Batch)")]
    [InlineData("compare_sleepstudy", "sleepstudy", "Reaction ~ Days + (Days | Subject)")]
    public void CompareIsRobustlmmsTable(string id, string data, string formula)
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reference", "robust", "extra", id + ".json"))).RootElement;
        var table = Datasets.Load(data);
        var classical = LinearMixedModel.Fit(formula, table);
        var robust = RobustLinearMixedModel.Fit(formula, table);
        var expected = json.GetProperty("compare").GetString()!.Split('\n');
        var actual = robust.Compare(classical).ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(RobustReferenceTests.SameLine(expected[i].TrimEnd(), actual[i].TrimEnd()), $"line {i}:\n  R:    '{expected[i]}'\n  ours: '{actual[i]}'");
    }

    [Fact]
    public void JsonCarriesEstimatesAndWeights()
    {
        var m = Sleep.Value;
        var root = JsonDocument.Parse(m.ToJson()).RootElement;
        Assert.Equal("rlmer", root.GetProperty("model").GetString());
        Assert.Equal("DAStau", root.GetProperty("method").GetString());
        Assert.Equal(m.FixedEffects[1].Estimate, root.GetProperty("fixef")[1].GetProperty("estimate").GetDouble());
        Assert.Equal(m.Sigma, root.GetProperty("sigma").GetDouble());
        var we = root.GetProperty("robustness_weights").GetProperty("residuals");
        Assert.Equal(180, we.GetProperty("n").GetInt32());
        Assert.Equal(m.ResidualWeights.Count(w => Math.Abs(w - 1) < 1e-3), we.GetProperty("near_one").GetInt32());
        Assert.Equal(151, we.GetProperty("near_one").GetInt32()); // robustlmm's summary: "151 weights are ~= 1"
        Assert.Equal(m.ResidualWeights.Min(), we.GetProperty("summary").GetProperty("min").GetDouble());
        Assert.Equal(180, we.GetProperty("values").GetArrayLength());
        Assert.Equal(36, root.GetProperty("robustness_weights").GetProperty("random_effects").GetProperty("n").GetInt32());
        Assert.Equal("smoothed Huber (k = 5.14, s = 10)", root.GetProperty("rho").GetProperty("random_effects")[0].GetProperty("effects").GetString());
    }

    [Fact]
    public void RCallGivesTheSameFit()
    {
        var call = ModelCall.Parse("robustlmm::rlmer(Reaction ~ Days + (1 | Subject), data = sleepstudy, method = \"DASvar\", rho.sigma.e = psi2propII(smoothPsi, k = 2.28), rho.b = chgDefaults(smoothPsi, k = 2, s = 10))");
        Assert.Equal("rlmer", call.Function);
        Assert.Equal("sleepstudy", call.DataName);
        var o = call.Robust!;
        Assert.Equal(RobustMethod.DASVar, o.Method);
        Assert.Equal("smoothed Huber, Proposal 2 (k = 2.28, s = 10)", o.RhoSigmaE!.ToString());
        Assert.Equal("smoothed Huber (k = 2, s = 10)", o.RhoB!.ToString());
        var table = Datasets.Load("sleepstudy");
        var viaCall = call.FitRobust(table);
        var direct = RobustLinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", table, o);
        Assert.Equal(direct.Theta, viaCall.Theta);
        Assert.Equal(direct.Sigma, viaCall.Sigma);
        Assert.Throws<InvalidOperationException>(() => call.Fit(table));
    }

    [Theory]
    [InlineData("rlmer(y ~ x + (1 | g), method = \"DAS\")", "method = \"DAS\"")]
    [InlineData("rlmer(y ~ x + (1 | g), rho.e = myPsi)", "rho.e = myPsi")]
    [InlineData("rlmer(y ~ x + (1 | g), rho.e = psi2propII(psi2propII(smoothPsi)))", "multiple times")]
    [InlineData("rlmer(y ~ x + (1 | g), weights = w)", "argument 'weights' of rlmer()")]
    [InlineData("rlmer(y ~ x)", "needs a random-effects term")]
    public void BadRCallsAreNamed(string text, string expected)
    {
        var e = Assert.Throws<FormulaException>(() => ModelCall.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void RefusesWhatRlmerRefuses()
    {
        var data = Datasets.Load("sleepstudy");
        var weighted = ModelDesign.Build(ModelFrame.Create(MixedModels.Formulas.Formula.Parse("Reaction ~ Days + (1 | Subject)"), data, "d", new FrameOptions { Weights = "Days + 1" }));
        Assert.Contains("prior weights", Assert.Throws<ModelException>(() => RobustLinearMixedModel.Fit(weighted)).Message);
        Assert.Contains("random-effects term", Assert.Throws<ModelException>(() => RobustLinearMixedModel.Fit("Reaction ~ Days", data)).Message);
        var binomial = new DesignOptions { Family = MixedModels.Families.Family.Create("poisson") };
        Assert.Contains("Gaussian", Assert.ThrowsAny<MixedModelsException>(() => RobustLinearMixedModel.Fit("Days ~ 1 + (1 | Subject)", data, null, binomial)).Message);
    }

    [Fact]
    public void RefusesModelsTooLargeForItsDenseSystemsInsteadOfHanging()
    {
        // InstEval: 2,972 students crossed with 1,128 lecturers — several terms, 4,102 effects: refused at once.
        var e = Assert.Throws<ModelException>(() => RobustLinearMixedModel.Fit("y ~ service + (1 | s) + (1 | d)", Datasets.Load("insteval")));
        Assert.Contains("more than 1500 are refused", e.Message);
    }

    [Fact]
    public void AnOutlierIsDownweightedAndMovesTheRobustFitLessThanLmers()
    {
        // One reaction time made 600 ms too long: lmer's Days slope moves, rlmer's hardly; the row's weight drops.
        var clean = Datasets.Load("sleepstudy");
        var reaction = ((NumericColumn)clean["Reaction"]).Values.ToArray();
        reaction[9] += 600; // subject 308, day 9
        var dirty = clean.With(new NumericColumn("Reaction", reaction));
        const string f = "Reaction ~ Days + (1 | Subject)";
        double lmerShift = Math.Abs(LinearMixedModel.Fit(f, dirty).FixedEffects["Days"].Estimate - LinearMixedModel.Fit(f, clean).FixedEffects["Days"].Estimate);
        var robustDirty = RobustLinearMixedModel.Fit(f, dirty);
        double rlmerShift = Math.Abs(robustDirty.FixedEffects["Days"].Estimate - RobustLinearMixedModel.Fit(f, clean).FixedEffects["Days"].Estimate);
        Assert.True(lmerShift > 1.5, $"lmer's slope moved {lmerShift}");
        Assert.True(rlmerShift < lmerShift / 5, $"rlmer's slope moved {rlmerShift}, lmer's {lmerShift}");
        Assert.True(robustDirty.ResidualWeights[9] < 0.1, $"the outlier's weight is {robustDirty.ResidualWeights[9]}");
        Assert.Equal(9, Enumerable.Range(0, 180).MinBy(i => robustDirty.ResidualWeights[i]));
    }

    [Fact]
    public void ClassicalFunctionsGiveTheRemlFit()
    {
        // With ρ = x²/2 everywhere the estimating equations are the classical ones: the fixed point is lmer's REML fit.
        var data = Datasets.Load("sleepstudy");
        var lmm = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        var c = PsiFunction.Classical;
        var rob = RobustLinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data,
            new RobustFitOptions { RhoE = c, RhoB = c, RhoSigmaE = c, RhoSigmaB = c, Method = RobustMethod.DASVar });
        Assert.Equal(lmm.FixedEffects[1].Estimate, rob.FixedEffects[1].Estimate, 4);
        Assert.Equal(lmm.Sigma, rob.Sigma, 3);
        Assert.Equal(lmm.Theta[0], rob.Theta[0], 4);
        Assert.All(rob.ResidualWeights, w => Assert.Equal(1, w));
    }

    [Fact]
    public void SmoothHuberIsContinuousAndItsExpectationsAreRight()
    {
        var f = PsiFunction.SmoothHuber();
        foreach (double x in new[] { -3.0, -1.2228, 0.3, 1.2228, 1.5, 4 })
        {
            double h = 1e-6;
            Assert.Equal((f.Rho(x + h) - f.Rho(x - h)) / (2 * h), f.Psi(x), 5);
            Assert.Equal((f.Psi(x + h) - f.Psi(x - h)) / (2 * h), f.DPsi(x), 4);
            if (x != 0) Assert.Equal(f.Psi(x) / x, f.Weight(x), 12);
        }
        Assert.True(f.Psi(1e6) <= 1.345 && f.Psi(1e6) > 1.3449);
        // Huber's closed forms against the numerical integration the smoothed function uses.
        var h2 = PsiFunction.Huber(1.5);
        Assert.Equal(2 * MathNet.Numerics.Distributions.Normal.CDF(0, 1, 1.5) - 1, h2.ExpectedDPsi(), 12);
        Assert.Equal(Quadrature.NormalExpectation(x => h2.Psi(x) * h2.Psi(x), [-1.5, 1.5]), h2.ExpectedPsiSquared(), 10);
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Formulas;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Diagnostics;
using MixedModels.Reporting.Plots;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests;

/// <summary>The README's C# examples, as written there, so that the README stays true.</summary>
public sealed class ReadmeExampleTests
{
    [Fact]
    public void QuickExampleWorksAsDocumented()
    {
        var data = Datasets.Load("sleepstudy");
        var model = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        Assert.StartsWith("Linear mixed model fit by REML", model.Summary());
        Assert.Equal(25.59, model.Sigma, 2);
        var days = model.FixedEffects[1];
        Assert.Equal(10.467, days.Estimate, 3);
        Assert.Equal(1.546, days.StandardError, 3);
        Assert.Contains("\"method\": \"REML\"", model.ToJson());
    }

    [Fact]
    public void RobustExampleWorksAsDocumented()
    {
        var rehab = Datasets.Load("rehab");
        var f = "resemblance ~ intervention + gep_level + tse_months + (intervention | id_clin)";
        var rm = RobustLinearMixedModel.Fit(f, rehab);
        Assert.StartsWith("Robust linear mixed model fit by DAStau", rm.Summary());
        Assert.Equal(190, rm.ResidualWeights.Count);
        Assert.Contains("rho.sigma.b_1", rm.Compare(LinearMixedModel.Fit(f, rehab)).ToString());
        var dasvar = RobustLinearMixedModel.Fit(f, rehab, new MixedModels.Robust.RobustFitOptions
            { Method = MixedModels.Robust.RobustMethod.DASVar, RhoSigmaE = MixedModels.Robust.PsiFunction.SmoothHuber(k: 2.28).ProposalII() });
        Assert.Equal(MixedModels.Robust.RobustMethod.DASVar, dasvar.Method);
        var viaCall = ModelCall.Parse("rlmer(Reaction ~ Days + (Days | Subject), data = sleepstudy, method = \"DASvar\")")
            .FitRobust(Datasets.Load("sleepstudy"));
        Assert.Equal(3, viaCall.Theta.Count);
    }

    [Fact]
    public void GlmmExampleWorksAsDocumented()
    {
        var cbpp = Datasets.Load("cbpp");
        var gm = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", cbpp,
            new GlmmFitOptions { Family = MixedModels.Families.Family.Create("binomial") });
        Assert.Contains("z value Pr(>|z|)", gm.Summary());
        var odds = TidyTable.Create(gm, exponentiate: true);
        Assert.Equal(0.24696, odds.Rows[0].Estimate, 4);
        var newData = Table.ReadCsv(new StringReader("period,herd\n1,1\n2,99\n")).AsFactor("period").AsFactor("herd");
        var p = gm.Predict(newData, new PredictOptions { Scale = PredictionScale.Response });
        Assert.InRange(p[0].Fit, 0, 1);
        var r2 = VarianceExplained.Compute(gm);
        Assert.Equal(0.1873, r2.ConditionalR2, 3);
        var ci = GlmmProfile.Intervals(gm);
        Assert.Equal(5, ci.Count);
        var cmp = ModelComparison.Compare(["glm", "glmm"], new IMixedModel[] {
            GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period", cbpp), gm });
        Assert.Equal(14.0058, cmp.Rows[1].ChiSquare, 3);
        var wm = LinearMixedModel.Fit("incidence/size ~ period + (1 | herd)", cbpp,
            design: new DesignOptions { Frame = new FrameOptions { Weights = "size" } });
        Assert.Contains("Weights: size", wm.Summary());
        var call = ModelCall.Parse("glmer(r2 ~ Anger + (1 | id) + (1 | item), family = binomial, data = verbagg)").Fit(Datasets.Load("verbagg"));
        Assert.IsType<GeneralizedLinearMixedModel>(call);
    }

    [Fact]
    public void PipelineStagesWorkAsDocumented()
    {
        var data = Datasets.Load("sleepstudy");
        var formula = Formula.Parse("Reaction ~ Days + (Days | Subject)");
        var frame = ModelFrame.Create(formula, data, "sleepstudy");
        var design = ModelDesign.Build(frame);
        var ws = new LmmWorkspace(design, reml: true);
        double d = ws.Objective([0.97, 0.015, 0.23]);
        var fit = LinearMixedModel.Fit(ws);
        Assert.True(d >= fit.Objective);
        Assert.Equal(1743.6, fit.Objective, 1);
    }

    [Fact]
    public void InferenceExampleWorksAsDocumented()
    {
        var data = Datasets.Load("sleepstudy");
        var model = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        var tests = FixedEffectTests.Compute(model, DdfMethod.Satterthwaite);
        Assert.Equal(17.0, tests[1].Df, 2);
        var anova = AnovaTable.TypeIII(model);
        Assert.Equal("Days", anova.Rows[0].Term);
        var small = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", data);
        var lm = LinearMixedModel.Fit("Reaction ~ Days", data);
        var cmp = ModelComparison.Compare(lm, small, model);
        Assert.Equal(3, cmp.Rows.Count);
        var prof = ProfileLikelihood.Intervals(model);
        Assert.Equal(6, prof.Count);
        var boot = ParametricBootstrap.Run(model, 20, seed: 42);
        Assert.Equal(6, boot.PercentileIntervals().Count);
        var lrt = ParametricBootstrap.LikelihoodRatioTest(small, model, 20, seed: 42);
        Assert.True(lrt.PValue > 0);
        var se = VarianceComponentErrors.Compute(model);
        Assert.Equal(4, se.Count);
        var r2 = VarianceExplained.Compute(model);
        Assert.InRange(r2.ConditionalR2, r2.MarginalR2, 1);
        var tidy = TidyTable.Create(model).Format(TableFormat.Csv);
        Assert.StartsWith("effect,group,term", tidy);
        Assert.Contains("Pr(>|t|)", model.Summary());
        Assert.DoesNotContain("Pr(>|t|)", model.Summary(DdfMethod.None));
    }

    [Fact]
    public void DiagnosticsExampleWorksAsDocumented()
    {
        var data = Datasets.Load("sleepstudy");
        var model = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        var newData = new Table([new NumericColumn("Days", [1, 2]), new CategoricalColumn("Subject", [0, 1], ["308", "new"])]);
        var re = model.RandomEffects();
        var cat = re[0].Sorted(column: 1);
        Assert.Equal(18, cat.Count);
        var coefs = model.Coefficients();
        Assert.Single(coefs);
        var pred = model.Predict(newData, new PredictOptions { Interval = PredictionInterval.Prediction });
        var pop = model.Predict(newData, PredictOptions.Population);
        Assert.Equal(pop[1].Fit, pred[1].Fit, 10);
        var sims = model.Simulate(100, seed: 42);
        Assert.Equal(100, sims.Length);
        var infl = ClusterInfluence.Compute(model, "Subject");
        Assert.Equal(18, infl.Count);
        var odd = OutlyingGroups.Find(model, threshold: 2.5);
        Assert.NotNull(odd);
        string svg = ModelPlots.Render(PlotKind.Caterpillar, model);
        Assert.StartsWith("<svg", svg);
        string html = HtmlReport.Write(model, data);
        Assert.Contains("<svg", html);
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Formulas;
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
}

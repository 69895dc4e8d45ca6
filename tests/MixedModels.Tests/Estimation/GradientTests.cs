using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Estimation;

/// <summary>The analytic gradient of the profiled objective against central differences, and the fits that use it.</summary>
public sealed class GradientTests
{
    private static Table Data(string name) => name switch
    {
        "crossed" => MixedModels.Benchmarks.SyntheticData.Crossed(4_000, 150, 60),
        "nested" => MixedModels.Benchmarks.SyntheticData.Nested(3_000, 100),
        _ => Datasets.Load(name),
    };

    [Theory]
    [InlineData("sleepstudy", "Reaction ~ Days + (Days | Subject)", true, null)]
    [InlineData("sleepstudy", "Reaction ~ Days + (Days | Subject)", false, null)]
    [InlineData("sleepstudy", "Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", true, "Days + 1")]
    [InlineData("penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", true, null)]
    [InlineData("pastes", "strength ~ 1 + (1 | batch/cask)", false, null)]
    [InlineData("hsb", "MathAch ~ SES * Sector + MEANSES + (SES | School)", true, null)]
    [InlineData("kb07like", "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)", true, null)]
    [InlineData("kb07like", "y ~ 1 + a + (1 + a | subj) + (1 | item) + (0 + b | item)", false, null)]
    [InlineData("crossed", "y ~ 1 + (1 | a) + (1 | b)", false, null)]
    [InlineData("crossed", "y ~ 1 + (1 | a) + (1 | b) + (1 | a:b)", true, null)]
    [InlineData("insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", false, null)]
    [InlineData("nested", "y ~ x1 + x2 + (1 + x1 | g)", true, null)]
    public void TheGradientIsTheDerivativeOfTheObjective(string data, string formula, bool reml, string? weights)
    {
        var frame = weights is null ? null : new FrameOptions { Weights = weights };
        var design = ModelDesign.Build(formula, Data(data), new DesignOptions { Frame = frame });
        var ws = new LmmWorkspace(design, reml);
        int k = ws.ThetaLength;
        var lower = design.LowerBounds();
        var rnd = new Random(7);
        // An interior point, then the same point with one diagonal of T at its bound (the gradient is exact there).
        var theta = design.InitialTheta();
        for (int i = 0; i < k; i++) theta[i] = lower[i] == 0 ? 0.3 + rnd.NextDouble() : 0.4 * (rnd.NextDouble() - 0.5);
        foreach (bool boundary in new[] { false, true })
        {
            if (boundary) theta[Array.IndexOf(lower, 0.0)] = 0;
            ws.Objective(theta);
            var g = new double[k];
            ws.Gradient(g);
            for (int i = 0; i < k; i++)
            {
                const double h = 1e-5;
                var up = (double[])theta.Clone();
                var down = (double[])theta.Clone();
                up[i] += h;
                down[i] -= h;
                double fd = (ws.Objective(up) - ws.Objective(down)) / (2 * h);
                Assert.True(Math.Abs(g[i] - fd) <= 1e-5 * (1 + Math.Abs(fd)), $"θ[{i}] (boundary {boundary}): analytic {g[i]:R}, central difference {fd:R}");
            }
        }
    }

    [Fact]
    public void TheGradientNeedsAnEvaluationAndTheRightLength()
    {
        var ws = new LmmWorkspace(ModelDesign.Build("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy")));
        Assert.Throws<InvalidOperationException>(() => ws.Gradient(new double[3]));
        ws.Objective([1, 0, 1]);
        Assert.Throws<ArgumentException>(() => ws.Gradient(new double[2]));
    }

    [Fact]
    public void AQuasiNewtonFitOfManyParametersEndsAtBobyqasOptimum()
    {
        // kb07like's 20 covariance parameters: the default fit takes the gradient path; BOBYQA is asked for explicitly.
        const string formula = "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)";
        var data = Datasets.Load("kb07like");
        var quasiNewton = LinearMixedModel.Fit(formula, data);
        var bobyqa = LinearMixedModel.Fit(formula, data, new FitOptions { Optimizer = new BobyqaOptions() });
        Assert.True(quasiNewton.Objective <= bobyqa.Objective + 1e-8 * Math.Abs(bobyqa.Objective),
            $"quasi-Newton {quasiNewton.Objective:R}, BOBYQA {bobyqa.Objective:R}");
        Assert.True(quasiNewton.Optimization.Evaluations < bobyqa.Optimization.Evaluations / 4, $"{quasiNewton.Optimization.Evaluations} evaluations, BOBYQA {bobyqa.Optimization.Evaluations}");
        for (int i = 0; i < quasiNewton.Theta.Count; i++) Assert.Equal(bobyqa.Theta[i], quasiNewton.Theta[i], 3);
        Assert.Contains(quasiNewton.Warnings, w => w.Contains("singular"));
    }
}

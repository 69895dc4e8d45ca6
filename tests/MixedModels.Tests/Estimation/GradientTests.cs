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
        var bobyqa = LinearMixedModel.Fit(formula, data, new FitOptions { Method = OptimizerMethod.Bobyqa });
        Assert.True(quasiNewton.Objective <= bobyqa.Objective + 1e-8 * Math.Abs(bobyqa.Objective),
            $"quasi-Newton {quasiNewton.Objective:R}, BOBYQA {bobyqa.Objective:R}");
        Assert.True(quasiNewton.Optimization.Evaluations < bobyqa.Optimization.Evaluations / 4, $"{quasiNewton.Optimization.Evaluations} evaluations, BOBYQA {bobyqa.Optimization.Evaluations}");
        for (int i = 0; i < quasiNewton.Theta.Count; i++) Assert.Equal(bobyqa.Theta[i], quasiNewton.Theta[i], 3);
        Assert.Contains(quasiNewton.Warnings, w => w.Contains("singular"));
    }
}

/// <summary>The projected quasi-Newton method on problems with known minima.</summary>
public sealed class QuasiNewtonTests
{
    [Fact]
    public void ABoundedQuadraticEndsOnItsBound()
    {
        // f = (x0 − 2)² + 10 (x1 + 1)² + x0 x1 + (x2 − 0.5)²  with x1 ≥ 0: the minimum has x1 = 0, x0 = 2, x2 = 0.5.
        var map = ParameterMap.Bounded([double.NegativeInfinity, 0, double.NegativeInfinity], [double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity]);
        double[] last = [];
        double F(ReadOnlySpan<double> x)
        {
            last = x.ToArray();
            return (x[0] - 2) * (x[0] - 2) + 10 * (x[1] + 1) * (x[1] + 1) + x[0] * x[1] + (x[2] - 0.5) * (x[2] - 0.5);
        }
        void G(Span<double> g)
        {
            var x = last;
            g[0] = 2 * (x[0] - 2) + x[1];
            g[1] = 20 * (x[1] + 1) + x[0];
            g[2] = 2 * (x[2] - 0.5);
        }
        var r = QuasiNewton.Minimize(F, G, [5.0, 3.0, -4.0], map, 1e-12, 1000);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(2, r.X[0], 6);
        Assert.Equal(0, r.X[1]);
        Assert.Equal(0.5, r.X[2], 6);
        Assert.True(r.Evaluations < 60, $"{r.Evaluations} evaluations");
    }

    [Fact]
    public void RosenbrocksValleyIsFollowedToItsEnd()
    {
        var map = ParameterMap.Bounded([double.NegativeInfinity, double.NegativeInfinity], [double.PositiveInfinity, double.PositiveInfinity]);
        double[] last = [];
        double F(ReadOnlySpan<double> x)
        {
            last = x.ToArray();
            return 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);
        }
        void G(Span<double> g)
        {
            var x = last;
            g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
            g[1] = 200 * (x[1] - x[0] * x[0]);
        }
        var r = QuasiNewton.Minimize(F, G, [-1.2, 1.0], map, 1e-14, 2000);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(1, r.X[0], 4);
        Assert.Equal(1, r.X[1], 4);
    }

    [Fact]
    public void TheHessianFromAnalyticGradientsMatchesTheOneFromValues()
    {
        // hsb with a 3-dimensional term (7 covariance parameters, not singular): the check's two ways to its Hessian.
        var design = ModelDesign.Build("MathAch ~ SES + Minority + (1 + SES + Minority | School)", Datasets.Load("hsb"));
        var ws = new LmmWorkspace(design);
        var fit = LmmFitter.Fit(ws, new FitOptions());
        var theta = fit.Optimization.X;
        double fx = ws.Objective(theta);
        var lower = design.LowerBounds();
        var (g1, h1) = ConvergenceCheck.Derivatives(ws.Objective, theta, lower, fx);
        var (g2, h2) = ConvergenceCheck.GradientDerivatives(ws.Objective, g => ws.Gradient(g), theta);
        double scale = 0;
        foreach (double v in h1) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < theta.Length; i++)
        {
            Assert.True(Math.Abs(g1[i] - g2[i]) < 1e-3, $"gradient {i}: {g1[i]} vs {g2[i]}");
            for (int j = 0; j < theta.Length; j++)
                Assert.True(Math.Abs(h1[i, j] - h2[i, j]) < 1e-3 * scale, $"Hessian ({i}, {j}): {h1[i, j]} vs {h2[i, j]}");
        }
        Assert.Empty(fit.Warnings);
    }
}

/// <summary>BOBYQA stopped at a trust radius of 1e-4 and finished by a Newton step from the convergence check's derivatives.</summary>
public sealed class NewtonFinishTests
{
    [Theory]
    [InlineData("sleepstudy", "Reaction ~ Days + (Days | Subject)")]
    [InlineData("penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)")]
    [InlineData("pastes", "strength ~ 1 + (1 | batch/cask)")]
    [InlineData("hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)")]
    public void TheNewtonFinishEndsWhereBobyqaDoesWithFewerEvaluations(string data, string formula)
    {
        var table = Datasets.Load(data);
        var newton = LinearMixedModel.Fit(formula, table);
        // BOBYQA to its own final radius of 1e-6 (explicit settings turn the Newton finish off).
        var bobyqa = LinearMixedModel.Fit(formula, table, new FitOptions { Optimizer = new BobyqaOptions { InitialRadius = 0.05 } });
        Assert.True(newton.Objective <= bobyqa.Objective + 1e-10 * bobyqa.Objective, $"{newton.Objective:R} vs {bobyqa.Objective:R}");
        for (int i = 0; i < newton.Theta.Count; i++) Assert.Equal(bobyqa.Theta[i], newton.Theta[i], 2e-6);
        Assert.True(newton.Optimization.Evaluations < bobyqa.Optimization.Evaluations,
            $"{newton.Optimization.Evaluations} evaluations, BOBYQA to 1e-6 {bobyqa.Optimization.Evaluations}");
        Assert.Equal(bobyqa.Warnings, newton.Warnings);
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Families;
using Xunit;

namespace MixedModels.Tests.Estimation;

[Collection(nameof(AllocationMeasurement))]
public sealed class GlmmWorkspaceTests
{
    private static GlmmWorkspace Workspace(string data, string formula, string family, int nagq = 1)
    {
        var f = Family.Create(family);
        return new GlmmWorkspace(ModelDesign.Build(formula, Datasets.Load(data), new DesignOptions { Family = f }), f, nagq);
    }

    [Theory]
    [InlineData("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 1)]
    [InlineData("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 9)]
    [InlineData("verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", "binomial", 1)]
    [InlineData("contraception", "use ~ age + urban + (urban | district)", "binomial", 1)]
    [InlineData("grouseticks", "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)", "poisson", 1)]
    public void ACriterionEvaluationAllocatesNothing(string data, string formula, string family, int nagq)
    {
        var ws = Workspace(data, formula, family, nagq);
        var theta = ws.Design.InitialTheta();
        ws.LaplaceJoint(theta);
        var x = theta.Concat(ws.Beta.ToArray()).ToArray();
        void Evaluate()
        {
            for (int i = 0; i < 5; i++)
            {
                x[0] = 0.5 + 0.01 * i;
                ws.Laplace(x);
                theta[0] = x[0];
                ws.LaplaceJoint(theta);
            }
        }
        Assert.Equal(0, WorkspaceTests.SteadyStateAllocation(Evaluate));
    }

    [Fact]
    public void CriterionIsAFunctionOfItsArgumentsNotOfThePath()
    {
        // PIRLS starts from the previous conditional modes; it must converge to the same point from anywhere.
        var ws = Workspace("verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", "binomial");
        double first = ws.LaplaceJoint([1.34, 0.5]);
        ws.LaplaceJoint([3.0, 0.1]);
        ws.LaplaceJoint([0.2, 2.0]);
        double again = ws.LaplaceJoint([1.34, 0.5]);
        double fresh = Workspace("verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", "binomial").LaplaceJoint([1.34, 0.5]);
        Assert.Equal(first, again, 1e-9);
        Assert.Equal(fresh, again, 1e-9);
    }

    [Fact]
    public void QuadratureNeedsOneScalarTerm()
    {
        var e = Assert.Throws<ModelException>(() => Workspace("contraception", "use ~ age + (urban | district)", "binomial", 5));
        Assert.Contains("single, scalar random-effects term", e.Message);
    }

    [Fact]
    public void OneQuadraturePointIsTheLaplaceApproximationOnTheDevianceScale()
    {
        // With nAGQ = 1 node (z = 0, weight 1) adaptive quadrature reduces to the Laplace approximation, whose
        // constant differs from lme4's (aic-based) Laplace criterion by aic − Σ deviance residuals.
        var laplace = Workspace("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial");
        var agq2 = Workspace("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", "binomial", 2);
        double[] x = [0.64, -1.4, -0.99, -1.13, -1.58];
        double l = laplace.Laplace(x), a = agq2.Laplace(x);
        Assert.True(Math.Abs(l - a) < 100, $"{l} vs {a}");
        Assert.NotEqual(l, a);
    }
}

/// <summary>The replaceable penalty of L L' = Λ'Z'WZΛ + P (the seam for robust estimation).</summary>
public sealed class PenaltyTests
{
    [Fact]
    public void UniformPenaltyEqualsScaledTheta()
    {
        // Λ'Z'ZΛ + cI = c(Λ'Z'ZΛ/c + I): log|L|² gains q·log c at θ/√c, and the penalized RSS is that at θ/√c.
        var design = ModelDesign.Build("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"));
        var ws = new LmmWorkspace(design);
        int q = ws.RandomEffectCount;
        double c = 2.5;
        double[] theta = [0.9, 0.02, 0.25];
        ws.SetPenaltyWeights(Enumerable.Repeat(c, q).ToArray());
        ws.SetTheta(theta);
        double logDet = ws.LogDetZ, rss = ws.PenalizedRss;
        ws.SetPenaltyWeights([]);
        ws.SetTheta(theta.Select(t => t / Math.Sqrt(c)).ToArray());
        Assert.Equal(ws.LogDetZ + q * Math.Log(c), logDet, 9);
        Assert.Equal(ws.PenalizedRss, rss, 6);
        Assert.Throws<ArgumentException>(() => ws.SetPenaltyWeights([1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ws.SetPenaltyWeights(Enumerable.Repeat(-1.0, q).ToArray()));
    }
}

[Collection(nameof(AllocationMeasurement))]
public sealed class ParallelFillTests
{
    [Fact]
    public void TwoCoreRefillEqualsTheSerialOne()
    {
        var f = Family.Create("binomial");
        var design = ModelDesign.Build("y ~ x + (1 + x | g)", MixedModels.Benchmarks.SyntheticData.Binary(120_000, 2_000), new DesignOptions { Family = f });
        double[] x = [0.9, 0.2, 0.4, -0.4, 0.7];
        int saved = LmmWorkspace.ParallelFillRows;
        try
        {
            LmmWorkspace.ParallelFillRows = int.MaxValue;
            double serial = new GlmmWorkspace(design, f).Laplace(x);
            LmmWorkspace.ParallelFillRows = 100_000;
            var ws = new GlmmWorkspace(design, f);
            double parallel = ws.Laplace(x);
            Assert.Equal(serial, parallel, 1e-9 * Math.Abs(serial));
            Assert.Equal(0, WorkspaceTests.SteadyStateAllocation(() => ws.Laplace(x)));
        }
        finally { LmmWorkspace.ParallelFillRows = saved; }
    }

    [Theory]
    [InlineData("y ~ x + (1 | g)")]
    [InlineData("y ~ x + (1 + x | g)")]
    [InlineData("y ~ x + I(x^2) + (1 + x + I(x^2) | g)")]
    [InlineData("y ~ 0 + (1 + x | g)")]
    [InlineData("y ~ 0 + (1 + x + I(x^2) | g)")]
    public void TwoCoreWeightedFillEqualsTheSerialOne(string formula)
    {
        var design = ModelDesign.Build(formula, MixedModels.Benchmarks.SyntheticData.Binary(120_000, 2_000));
        int n = design.Observations;
        var rng = new Random(7);
        var w = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++) { w[i] = 0.05 + 0.2 * rng.NextDouble(); y[i] = rng.NextDouble() - 0.3; }
        var theta = Enumerable.Range(0, design.ThetaLength).Select(i => 0.3 + 0.1 * i).ToArray();
        int saved = LmmWorkspace.ParallelFillRows;
        try
        {
            (double LogDet, double Rss, double[] Beta) Solve(int rows)
            {
                LmmWorkspace.ParallelFillRows = rows;
                var ws = new LmmWorkspace(design, reml: false);
                ws.Reweight(w, y);
                ws.SetTheta(theta);
                var beta = new double[design.X.Columns];
                ws.Beta(beta);
                return (ws.LogDetZ, ws.PenalizedRss, beta);
            }
            var serial = Solve(int.MaxValue);
            var parallel = Solve(100_000);
            Assert.Equal(serial.LogDet, parallel.LogDet, 1e-10 * Math.Abs(serial.LogDet));
            Assert.Equal(serial.Rss, parallel.Rss, 1e-10 * Math.Abs(serial.Rss));
            for (int i = 0; i < serial.Beta.Length; i++) Assert.Equal(serial.Beta[i], parallel.Beta[i], 1e-10 * (1 + Math.Abs(serial.Beta[i])));
        }
        finally { LmmWorkspace.ParallelFillRows = saved; }
    }
}

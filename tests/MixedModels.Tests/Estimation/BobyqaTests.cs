using MixedModels.Estimation;
using Xunit;

namespace MixedModels.Tests.Estimation;

public sealed class BobyqaTests
{
    private static readonly BobyqaOptions Tight = new() { InitialRadius = 0.5, FinalRadius = 1e-8 };

    [Fact]
    public void MinimizesRosenbrock()
    {
        var r = Bobyqa.Minimize(x => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2), [-1.2, 1.0], [-10, -10], [10, 10], Tight);
        Assert.True(r.Converged);
        Assert.Equal(1, r.X[0], 6);
        Assert.Equal(1, r.X[1], 6);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void MinimizesRosenbrockWithMoreInterpolationPoints(int npt)
    {
        var r = Bobyqa.Minimize(x => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2), [-1.2, 1.0], [-10, -10], [10, 10],
            Tight with { InterpolationPoints = npt });
        Assert.True(r.Converged);
        Assert.Equal(1, r.X[0], 6);
        Assert.Equal(1, r.X[1], 6);
    }

    [Fact]
    public void AFullQuadraticModelFindsAQuadraticsMinimumQuickly()
    {
        // With (n+1)(n+2)/2 points the initial model is the quadratic itself: a coupled 3-variable quadratic is
        // solved in few evaluations more than the 10 initial ones.
        double F(ReadOnlySpan<double> x) => Math.Pow(x[0] - 1, 2) + 2 * Math.Pow(x[1] + x[0], 2) + 3 * Math.Pow(x[2] - x[1], 2) + 0.5 * x[0] * x[2];
        var full = Bobyqa.Minimize(F, [0, 0, 0], [-10, -10, -10], [10, 10, 10], Tight with { InterpolationPoints = 10 });
        var sparse = Bobyqa.Minimize(F, [0, 0, 0], [-10, -10, -10], [10, 10, 10], Tight);
        Assert.True(full.Converged);
        Assert.Equal(sparse.Value, full.Value, 9);
        Assert.True(full.Evaluations < sparse.Evaluations, $"{full.Evaluations} vs {sparse.Evaluations}");
        Assert.Throws<ArgumentOutOfRangeException>(() => Bobyqa.Minimize(F, [0, 0, 0], [-10, -10, -10], [10, 10, 10], Tight with { InterpolationPoints = 11 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bobyqa.Minimize(F, [0, 0, 0], [-10, -10, -10], [10, 10, 10], Tight with { InterpolationPoints = 6 }));
    }

    [Fact]
    public void RespectsActiveBounds()
    {
        // Unconstrained minimum at (-2, -1, 0, 1, 2); bounds [0, 10] make the first three active at 0.
        var r = Bobyqa.Minimize(x => { double s = 0; for (int i = 0; i < x.Length; i++) s += (i + 1) * Math.Pow(x[i] - (i - 2), 2); return s; },
            [1, 1, 1, 1, 1], [0, 0, 0, 0, 0], [10, 10, 10, 10, 10], Tight);
        Assert.Equal([0, 0, 0, 1, 2], r.X.Select(v => Math.Round(v, 6)));
        Assert.Equal(6, r.Value, 8);
    }

    [Fact]
    public void WorksInOneDimensionWithAnInfiniteBound()
    {
        var r = Bobyqa.Minimize(x => Math.Pow(x[0] - 3, 2) + 1, [1.0], [0.0], [double.PositiveInfinity]);
        Assert.Equal(3, r.X[0], 5);
    }

    [Fact]
    public void StopsAtTheEvaluationLimitAndSaysSo()
    {
        int calls = 0;
        var r = Bobyqa.Minimize(x => { calls++; return 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2); },
            [-1.2, 1.0], [-10, -10], [10, 10], Tight with { MaxEvaluations = 15 });
        Assert.Equal(OptimizationStatus.MaxEvaluations, r.Status);
        Assert.False(r.Converged);
        Assert.True(calls <= 15);
    }

    [Fact]
    public void MinimizesAChainedRosenbrockInTenDimensions()
    {
        var r = Bobyqa.Minimize(x => { double s = 0; for (int i = 0; i < x.Length - 1; i++) s += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2); return s; },
            new double[10], Enumerable.Repeat(-5.0, 10).ToArray(), Enumerable.Repeat(5.0, 10).ToArray(), Tight with { MaxEvaluations = 20000 });
        Assert.True(r.Value < 1e-10, $"f = {r.Value}");
    }
}

using MixedModels.Estimation;
using Xunit;

namespace MixedModels.Tests.Estimation;

public sealed class ConvergenceCheckTests
{
    // f(x) = exp(x0) x1² + sin(x1 x2) + x0 x2³: smooth, with non-zero mixed partials and third derivatives.
    private static double F(ReadOnlySpan<double> x) => Math.Exp(x[0]) * x[1] * x[1] + Math.Sin(x[1] * x[2]) + x[0] * Math.Pow(x[2], 3);

    private static (double[] G, double[,] H) Exact(double[] x)
    {
        double e = Math.Exp(x[0]), c = Math.Cos(x[1] * x[2]), s = Math.Sin(x[1] * x[2]);
        var g = new[] { e * x[1] * x[1] + Math.Pow(x[2], 3), 2 * e * x[1] + x[2] * c, x[1] * c + 3 * x[0] * x[2] * x[2] };
        var h = new double[3, 3];
        h[0, 0] = e * x[1] * x[1];
        h[1, 1] = 2 * e - x[2] * x[2] * s;
        h[2, 2] = -x[1] * x[1] * s + 6 * x[0] * x[2];
        h[0, 1] = h[1, 0] = 2 * e * x[1];
        h[0, 2] = h[2, 0] = 3 * x[2] * x[2];
        h[1, 2] = h[2, 1] = c - x[1] * x[2] * s;
        return (g, h);
    }

    [Theory]
    [InlineData(0.3, 0.7, -0.4, -10.0)] // interior: symmetric steps, one evaluation per mixed partial
    [InlineData(0.00005, 0.7, -0.4, 0.0)] // x0 within δ of its bound: one-sided step, four-point mixed partials
    public void DerivativesMatchTheAnalyticGradientAndHessian(double x0, double x1, double x2, double lower0)
    {
        var x = new[] { x0, x1, x2 };
        var (g, h) = ConvergenceCheck.Derivatives(F, x, [lower0, -10, -10], F(x));
        var (ge, he) = Exact(x);
        for (int i = 0; i < 3; i++)
        {
            // An asymmetric difference (at the bound) is first-order accurate, as in lme4's deriv12.
            Assert.True(Math.Abs(g[i] - ge[i]) < (lower0 == 0 && i == 0 ? 1e-4 : 1e-6), $"gradient {i}: {g[i]} vs {ge[i]}");
            // A mixed partial from one corner point is first-order accurate: off by δ/2 (f_iij + f_ijj).
            for (int j = 0; j < 3; j++)
                Assert.True(Math.Abs(h[i, j] - he[i, j]) < (lower0 == 0 && (i == 0 || j == 0) || i != j ? 1e-3 : 1e-6), $"Hessian {i},{j}: {h[i, j]} vs {he[i, j]}");
        }
    }

    [Fact]
    public void SymmetricStepsNeedOneEvaluationPerMixedPartial()
    {
        int calls = 0;
        ConvergenceCheck.Derivatives(x => { calls++; return F(x); }, [0.3, 0.7, -0.4], [-10, -10, -10], 1.0);
        Assert.Equal(2 * 3 + 3, calls);
    }

    [Fact]
    public void Deriv12MatchesTheAnalyticHessianWithTwoEvaluationsPerInteriorPair()
    {
        double[] x = [0.3, 0.7, -0.4];
        int calls = 0;
        var (g, h) = ConvergenceCheck.Deriv12(v => { calls++; return F(v); }, x, [-10, -10, -10], F(x));
        var (ge, he) = Exact(x);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(g[i] - ge[i]) < 1e-6, $"gradient {i}: {g[i]} vs {ge[i]}");
            for (int j = 0; j < 3; j++) Assert.True(Math.Abs(h[i, j] - he[i, j]) < 1e-6, $"Hessian {i},{j}: {h[i, j]} vs {he[i, j]}");
        }
        Assert.Equal(2 * 3 + 2 * 3, calls);
    }

    [Fact]
    public void Deriv12KeepsLme4sFourPointPartialsNextToABound()
    {
        // x0 within δ of its bound 0: lme4's backward step stops at the bound but is divided by δ² all the same, and
        // the mixed partials with x0 take four evaluations that ignore the bound.
        double[] x = [0.00005, 0.7, -0.4];
        int calls = 0;
        var (_, h) = ConvergenceCheck.Deriv12(v => { calls++; return F(v); }, x, [0, -10, -10], F(x));
        var (_, he) = Exact(x);
        Assert.Equal(2 * 3 + 4 * 2 + 2, calls);
        double d = 1e-4, f0 = F(x);
        double Fx0(double dx0) => F([x[0] + dx0, x[1], x[2]]);
        Assert.Equal((Fx0(d) - 2 * f0 + Fx0(-x[0])) / (d * d), h[0, 0], 12);
        Assert.True(Math.Abs(h[0, 1] - he[0, 1]) < 1e-6 && Math.Abs(h[1, 2] - he[1, 2]) < 1e-6);
    }
}

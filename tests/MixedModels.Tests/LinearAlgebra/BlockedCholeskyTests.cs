using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using Xunit;

namespace MixedModels.Tests.LinearAlgebra;

/// <summary>
/// The blocked factorization against a plain dense computation of the same quantities on random designs: nested,
/// crossed, partially crossed, vector-valued and mixed terms, at random θ (off-diagonal elements included).
/// The dense reference builds Z, Λ and X explicitly and factors the whole (q+p+1)-square matrix.
/// </summary>
public sealed class BlockedCholeskyTests
{
    public static IEnumerable<object[]> Designs() =>
    [
        ["nested", "y ~ x + (1 | a/b)", 1],
        ["crossed", "y ~ x + (1 | a) + (1 | c)", 2],
        ["vector", "y ~ x + (x | a)", 3],
        ["vector-crossed", "y ~ x + (1 + x | a) + (1 + x | c)", 4],
        ["three-terms", "y ~ x + (1 | a/b) + (x | c)", 5],
        ["partially-crossed", "y ~ 1 + (1 | b) + (1 | c) + (1 | a)", 6],
        ["factor-slope", "y ~ x + (0 + f | a) + (1 | c)", 7],
        ["uncorrelated", "y ~ x + (x || a) + (1 | c)", 8],
        ["crossed-unequal-dims", "y ~ x + (1 + f | a) + (1 + x | c)", 9],
        ["crossed-wide-terms", "y ~ x + (1 + x | a) + (1 + f * x | c)", 10],
        ["crossed-four-and-one", "y ~ x + (1 + f + x | c) + (1 | a)", 14],
    ];

    /// <summary>Three-level nesting with many levels, so that the off-diagonal blocks of L stay sparse (with fill-in).</summary>
    public static IEnumerable<object[]> LargeNestedDesigns() =>
    [
        ["nested-3-levels", "y ~ x + (1 | a/b/e)", 11],
        ["nested-vector", "y ~ x + (x | a/b)", 12],
        ["nested-plus-crossed", "y ~ x + (1 | a/b) + (1 | c)", 13],
    ];

    private static Table NestedData(int seed, int n = 2000)
    {
        var rnd = new Random(seed);
        var a = new string[n]; var b = new string[n]; var e = new string[n]; var c = new string[n];
        var x = new double[n]; var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int ai = rnd.Next(60), bi = rnd.Next(3), ei = rnd.Next(3), ci = rnd.Next(7);
            a[i] = "a" + ai; b[i] = "b" + bi; e[i] = "e" + ei; c[i] = "c" + ci;
            x[i] = rnd.NextDouble() * 2 - 1;
            y[i] = 0.5 * x[i] + 0.01 * ai + 0.1 * bi * ei + 0.05 * ci + rnd.NextDouble();
        }
        return new Table([new NumericColumn("y", y), new NumericColumn("x", x), CategoricalColumn.FromStrings("a", a),
            CategoricalColumn.FromStrings("b", b), CategoricalColumn.FromStrings("e", e), CategoricalColumn.FromStrings("c", c)]);
    }

    [Theory]
    [MemberData(nameof(LargeNestedDesigns))]
    public void SparseBlocksWithFillMatchDenseComputation(string name, string formula, int seed)
    {
        var design = ModelDesign.Build(formula, NestedData(seed));
        var ws = new LmmWorkspace(design, reml: true);
        Assert.True(ws.SparseBlockCount() > 0, $"{name}: expected sparse off-diagonal blocks in L");
        var rnd = new Random(seed);
        var theta = design.LowerBounds().Select(l => l == 0 ? 0.3 + rnd.NextDouble() : rnd.NextDouble() - 0.5).ToArray();
        double objective = ws.Objective(theta);
        var dense = DenseReference.Compute(design, theta, conditionalVariance: false);
        Assert.True(Math.Abs(objective - dense.Objective(true)) <= 1e-9 * Math.Abs(dense.Objective(true)), $"{name}: objective {objective:R} vs {dense.Objective(true):R}");
        var u = ws.SphericalModes();
        for (int i = 0; i < u.Length; i++) Assert.True(Math.Abs(u[i] - dense.U[i]) <= 1e-8 * (1 + Math.Abs(dense.U[i])), $"{name}: u[{i}]");
    }

    /// <summary>Random data: a (8 levels) with b nested (3 per a), c (5 levels) crossed, factor f (3 levels), numeric x.</summary>
    private static Table RandomData(int seed, int n = 150)
    {
        var rnd = new Random(seed);
        var a = new string[n]; var b = new string[n]; var c = new string[n]; var f = new string[n];
        var x = new double[n]; var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            int ai = rnd.Next(8), bi = rnd.Next(3), ci = rnd.Next(5);
            a[i] = "a" + ai; b[i] = "b" + bi; c[i] = "c" + ci; f[i] = "f" + rnd.Next(3);
            x[i] = rnd.NextDouble() * 4 - 2;
            y[i] = 1 + 0.5 * x[i] + 0.3 * ai + 0.2 * ci - 0.1 * bi + rnd.NextDouble();
        }
        return new Table([new NumericColumn("y", y), new NumericColumn("x", x), CategoricalColumn.FromStrings("a", a),
            CategoricalColumn.FromStrings("b", b), CategoricalColumn.FromStrings("c", c), CategoricalColumn.FromStrings("f", f)]);
    }

    [Theory]
    [MemberData(nameof(Designs))]
    public void BlockedFactorMatchesDenseComputation(string name, string formula, int seed)
    {
        var design = ModelDesign.Build(formula, RandomData(seed));
        var rnd = new Random(seed * 31);
        var lower = design.LowerBounds();
        for (int trial = 0; trial < 3; trial++)
        {
            var theta = lower.Select(l => l == 0 ? 0.2 + rnd.NextDouble() * 1.5 : rnd.NextDouble() - 0.5).ToArray();
            foreach (bool reml in new[] { true, false })
            {
                var ws = new LmmWorkspace(design, reml);
                double objective = ws.Objective(theta);
                var dense = DenseReference.Compute(design, theta);
                Assert.True(Math.Abs(ws.LogDetZ - dense.LogDetZ) <= 1e-9 * Math.Max(1, Math.Abs(dense.LogDetZ)), $"{name}: log|Lz|² {ws.LogDetZ:R} vs {dense.LogDetZ:R}");
                Assert.True(Math.Abs(ws.LogDetX - dense.LogDetX) <= 1e-9 * Math.Max(1, Math.Abs(dense.LogDetX)), $"{name}: log|Lx|² {ws.LogDetX:R} vs {dense.LogDetX:R}");
                Assert.True(Math.Abs(ws.PenalizedRss - dense.Pwrss) <= 1e-9 * dense.Pwrss, $"{name}: r² {ws.PenalizedRss:R} vs {dense.Pwrss:R}");
                Assert.True(Math.Abs(objective - dense.Objective(reml)) <= 1e-9 * Math.Abs(dense.Objective(reml)), $"{name}: objective");
                var beta = ws.Beta();
                for (int i = 0; i < beta.Length; i++) Assert.True(Math.Abs(beta[i] - dense.Beta[i]) <= 1e-8 * (1 + Math.Abs(dense.Beta[i])), $"{name}: beta[{i}]");
                var u = ws.SphericalModes();
                for (int i = 0; i < u.Length; i++) Assert.True(Math.Abs(u[i] - dense.U[i]) <= 1e-8 * (1 + Math.Abs(dense.U[i])), $"{name}: u[{i}]");
                var cv = ws.ConditionalVariances();
                int off = 0;
                for (int j = 0; j < design.RandomTerms.Count; j++)
                {
                    var t = design.RandomTerms[j];
                    int d = t.Dimension;
                    for (int l = 0; l < t.LevelCount; l++)
                        for (int r = 0; r < d; r++)
                            for (int s = 0; s < d; s++)
                                Assert.True(Math.Abs(cv[j][l * d * d + r * d + s] - dense.CondVar[off + l * d + r, off + l * d + s]) <= 1e-8,
                                    $"{name}: conditional variance of term {j} level {l}");
                    off += t.RandomEffectCount;
                }
            }
        }
    }
}

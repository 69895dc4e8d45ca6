using MixedModels.LinearAlgebra;
using Xunit;

namespace MixedModels.Tests.LinearAlgebra;

/// <summary>The blocked, SIMD and two-thread dense kernels against plain triple loops.</summary>
public sealed class DenseKernelsTests
{
    private static double[] RandomSpd(int n, int seed)
    {
        var rnd = new Random(seed);
        var b = new double[n * 8];
        for (int i = 0; i < b.Length; i++) b[i] = rnd.NextDouble() - 0.5;
        var a = new double[n * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
            {
                double s = i == j ? 2.0 : 0.0;
                for (int p = 0; p < 8; p++) s += b[p * n + i] * b[p * n + j];
                a[j * n + i] = s;
            }
        return a;
    }

    [Theory]
    [InlineData(5)]
    [InlineData(33)]
    [InlineData(190)]
    [InlineData(257)]
    [InlineData(400)]
    [InlineData(530)]
    [InlineData(700)]
    public void BlockedCholeskyMatchesTheDefinition(int n)
    {
        var a = RandomSpd(n, n);
        var l = (double[])a.Clone();
        Assert.True(DenseKernels.Cholesky(l, n, n));
        // L L' must reproduce A (lower triangle).
        double maxErr = 0;
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += l[k * n + i] * l[k * n + j];
                maxErr = Math.Max(maxErr, Math.Abs(s - a[j * n + i]));
            }
        Assert.True(maxErr < 1e-12 * n, $"max |LL' - A| = {maxErr}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    public void TriangularInverseIsTheInverse(int n)
    {
        var l = RandomSpd(n, 11);
        Assert.True(DenseKernels.Cholesky(l, n, n));
        var w = new double[n * n];
        DenseCholesky.InvertLower(l, n, n, w);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = j; k <= i; k++) s += l[k * n + i] * w[j * n + k];
                Assert.True(Math.Abs(s - (i == j ? 1 : 0)) < 1e-12, $"(L W)[{i},{j}] = {s}");
            }
    }

    [Fact]
    public void CholeskyReportsANonPositiveDefiniteMatrix()
    {
        var a = RandomSpd(300, 3);
        a[150 * 300 + 150] = -1;
        Assert.False(DenseKernels.Cholesky(a, 300, 300));
    }

    [Theory]
    [InlineData(3, 500)]
    [InlineData(14, 1000)]
    [InlineData(15, 64)]
    [InlineData(40, 300)]
    [InlineData(12, 1128)]
    public void RightTriangularSolveMatchesSubstitution(int m, int n)
    {
        var l = RandomSpd(n, 7);
        Assert.True(DenseKernels.Cholesky(l, n, n));
        var rnd = new Random(m);
        var c = new double[m * n];
        for (int i = 0; i < c.Length; i++) c[i] = rnd.NextDouble();
        var x = (double[])c.Clone();
        DenseKernels.TrsmRightLowerTranspose(x, m, m, n, l, n);
        // x L' must give back c.
        for (int r = 0; r < m; r++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += x[k * m + r] * l[k * n + j];
                Assert.True(Math.Abs(s - c[j * m + r]) < 1e-9, $"row {r} column {j}");
            }
    }

    [Theory]
    [InlineData(5, 7, 3, true)]
    [InlineData(37, 13, 32, true)]
    [InlineData(100, 4, 17, true)]
    [InlineData(5, 7, 3, false)]
    [InlineData(37, 13, 32, false)]
    [InlineData(100, 4, 17, false)]
    public void GemmKernelMatchesTripleLoop(int m, int n, int k, bool packA)
    {
        if (!SyrkKernel.Supported) return;
        var rnd = new Random(m * n * k);
        var a = Enumerable.Range(0, m * k).Select(_ => rnd.NextDouble()).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => rnd.NextDouble()).ToArray();
        var c = Enumerable.Range(0, m * n).Select(_ => rnd.NextDouble()).ToArray();
        var expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++) expected[j * m + i] -= a[p * m + i] * b[p * n + j];
        // A read in place (packA false) has its full row blocks used where they lie and only the rest packed.
        GemmKernel.NtSubtract(c, m, m, n, a, m, b, n, k, new double[GemmKernel.ScratchSize(m, n, k)], packA: packA);
        for (int i = 0; i < c.Length; i++) Assert.Equal(expected[i], c[i], 10);
    }

    [Theory]
    [InlineData(1000, 17, 32, false)]
    [InlineData(777, 3, 64, true)]
    [InlineData(30, 5, 8, false)]
    public void TheProductSplitBetweenTwoThreadsIsTheWholeOneBitForBit(int m, int n, int k, bool bRowMajor)
    {
        if (!SyrkKernel.Supported) return;
        var rnd = new Random(m + n + k);
        var a = Enumerable.Range(0, m * k).Select(_ => rnd.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, n * k).Select(_ => rnd.NextDouble() - 0.5).ToArray();
        var whole = Enumerable.Range(0, m * n).Select(_ => rnd.NextDouble()).ToArray();
        var split = (double[])whole.Clone();
        int ldb = bRowMajor ? k : n;
        GemmKernel.NtSubtract(whole, m, m, n, a, m, b, ldb, k, new double[GemmKernel.ScratchSize(m, n, k)], bRowMajor, packA: false);
        GemmKernel.NtSubtractSplit(split, m, m, n, a, m, b, ldb, k, new double[GemmKernel.SplitScratchSize(m, n, k)], bRowMajor, packA: false);
        Assert.Equal(whole, split);
        Assert.Contains(whole, v => v != 0);
    }

    [Theory]
    [InlineData(16, 5)]
    [InlineData(37, 70)]
    [InlineData(200, 130)]
    public void SyrkKernelUpdatesTheLowerTriangleOnly(int m, int k)
    {
        // Whichever tile the machine uses (12 × 4 AVX2 or 24 × 8 AVX-512): partial tiles at the edges and on the
        // diagonal, slices of the inner dimension, and from 192 rows on the split with the helper thread.
        if (!SyrkKernel.Supported) return;
        var rnd = new Random(m * k);
        int ldp = m + 3;
        var p = Enumerable.Range(0, ldp * k).Select(_ => rnd.NextDouble() - 0.5).ToArray();
        var c = Enumerable.Range(0, m * m).Select(_ => rnd.NextDouble()).ToArray();
        var expected = (double[])c.Clone();
        for (int j = 0; j < m; j++)
            for (int i = j; i < m; i++)
                for (int q = 0; q < k; q++) expected[j * m + i] -= p[q * ldp + i] * p[q * ldp + j];
        SyrkKernel.LowerSubtract(c, m, m, p, ldp, k, new double[SyrkKernel.ScratchSize(m, k)]);
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++)
                if (i < j) Assert.Equal(expected[j * m + i], c[j * m + i]);
                else Assert.Equal(expected[j * m + i], c[j * m + i], 1e-12 * k);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(513)]
    public void FourDotsInOnePassAreDotsBitForBit(int n)
    {
        var rnd = new Random(n);
        double[] Vector() => Enumerable.Range(0, n).Select(_ => rnd.NextDouble() - 0.3).ToArray();
        double[] x = Vector(), y0 = Vector(), y1 = Vector(), y2 = Vector(), y3 = Vector();
        var four = new double[4];
        DenseKernels.Dot4(x, y0, y1, y2, y3, four);
        Assert.Equal([DenseKernels.Dot(x, y0), DenseKernels.Dot(x, y1), DenseKernels.Dot(x, y2), DenseKernels.Dot(x, y3)], four);
        var z = new double[n];
        DenseKernels.Multiply(x, y0, z);
        for (int i = 0; i < n; i++) Assert.Equal(x[i] * y0[i], z[i]);
        Assert.Throws<ArgumentException>(() => DenseKernels.Multiply(x, y0, new double[n - 1]));
    }

    [Theory]
    [InlineData(1, 9)]
    [InlineData(5, 403)]
    [InlineData(7, 316)]
    [InlineData(8, 320)]
    [InlineData(15, 1000)]
    [InlineData(3, 5000)]
    public void SyrkOfFewRowsMatchesAPlainLoop(int n, int k)
    {
        // C -= A A' for the X and y rows of L (n < 16, any k, several slices of columns): the lower triangle only,
        // every entry within rounding of a plain loop's sum, the upper triangle untouched.
        var rnd = new Random(n * k);
        int lda = n + 2;
        var a = Enumerable.Range(0, lda * k).Select(_ => rnd.NextDouble() - 0.5).ToArray();
        var c = Enumerable.Range(0, n * n).Select(_ => rnd.NextDouble()).ToArray();
        var expected = (double[])c.Clone();
        for (int j = 0; j < n; j++)
            for (int i = j; i < n; i++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++) sum += a[p * lda + i] * a[p * lda + j];
                expected[j * n + i] -= sum;
            }
        DenseKernels.SyrkLowerSubtract(c, n, n, a, lda, k);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++)
                if (i < j) Assert.Equal(expected[j * n + i], c[j * n + i]);
                else Assert.Equal(expected[j * n + i], c[j * n + i], 1e-12 * k);
    }
}

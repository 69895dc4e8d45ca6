using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Results;

public sealed class StatisticsTests
{
    /// <summary>R's type-7 quantile from a full sort, the definition the selection must reproduce.</summary>
    private static double SortedQuantile(double[] x, double p)
    {
        var s = x.Where(v => !double.IsNaN(v)).Order().ToArray();
        double h = (s.Length - 1) * p;
        int lo = (int)Math.Floor(h), hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 31)]
    [InlineData(4, 33)]
    [InlineData(5, 1000)]
    [InlineData(6, 100_001)]
    public void SelectionQuantilesEqualSortedQuantiles(int seed, int n)
    {
        var rnd = new Random(seed);
        // Ties (rounded values), NaNs and an already sorted stretch exercise the partitioning.
        var x = Enumerable.Range(0, n).Select(i => i % 17 == 5 ? double.NaN : i < n / 4 ? i : Math.Round(rnd.NextDouble() * 50, 1)).ToArray();
        double[] probs = [0, 0.025, 0.25, 0.5, 0.75, 0.975, 1];
        var q = Statistics.Quantiles(x, probs);
        for (int i = 0; i < probs.Length; i++)
            Assert.Equal(SortedQuantile(x, probs[i]), q[i]);
    }

    [Fact]
    public void AllMissingGivesNaN() => Assert.All(Statistics.Quantiles([double.NaN, double.NaN], [0.5]), v => Assert.True(double.IsNaN(v)));
}

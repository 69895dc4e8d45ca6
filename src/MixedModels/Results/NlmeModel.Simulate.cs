using MixedModels.Inference;

namespace MixedModels.Results;

public sealed partial class NlmeModel
{
    /// <summary>
    /// <paramref name="count"/> new responses drawn from the fitted model, one at a time: y* = Xβ̂ + Zb* + ε*, b* ~ N(0,
    /// σ̂²ΛΛ'), and each correlation group's errors ε* ~ N(0, σ̂² G C G) from its variance function and correlation
    /// structure at the estimates. The same seed always gives the same responses.
    /// </summary>
    public IEnumerable<double[]> SimulateEach(int count, int seed)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "the number of simulations must be at least 1");
        return Each();

        IEnumerable<double[]> Each()
        {
            int n = Observations;
            var groups = _cor?.GroupRows ?? Enumerable.Range(0, n).Select(i => new[] { i }).ToArray();
            var factors = groups.Select((rows, g) => CorrelationFactor(g, rows.Length)).ToArray();
            void Errors(Random rng, double[] y)
            {
                for (int g = 0; g < groups.Length; g++)
                {
                    var rows = groups[g];
                    int m = rows.Length;
                    var z = new double[m];
                    for (int i = 0; i < m; i++) z[i] = ResponseSimulator.Normal(rng);
                    var l = factors[g];
                    for (int i = 0; i < m; i++)
                    {
                        double e = 0;
                        if (l is null) e = z[i];
                        else for (int k = 0; k <= i; k++) e += l[i, k] * z[k];
                        y[rows[i]] += Sigma * _sd[rows[i]] * e;
                    }
                }
            }
            var simulator = new ResponseSimulator(Design, [.. FixedEffects.Select(f => f.Estimate)], Transformed.Theta, Sigma, Errors);
            for (int s = 0; s < count; s++)
            {
                var y = new double[n];
                simulator.Simulate(ParametricBootstrap.ReplicateSeed(seed, s), y);
                yield return y;
            }
        }
    }

    /// <summary>The lower Cholesky factor of correlation group <paramref name="g"/>'s matrix, or null for independent errors.</summary>
    private double[,]? CorrelationFactor(int g, int m)
    {
        if (_cor is null) return null;
        var c = CorrelationMatrix(g);
        var matrix = new double[m, m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) matrix[i, j] = c[i * m + j];
        return LinearAlgebra.SmallMatrix.CholeskyLower(matrix) ?? throw new ModelException("a correlation matrix is not positive definite at the estimates");
    }
}

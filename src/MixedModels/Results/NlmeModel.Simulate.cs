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
            var terms = Design.TermsArray;
            var fixedPart = Structures.StructuredFitter.Fitted(Design, FixedEffects.Select(f => f.Estimate).ToArray(),
                terms.Select(t => new double[t.LevelCount * t.Dimension]).ToArray());
            var groups = _cor?.GroupRows ?? Enumerable.Range(0, n).Select(i => new[] { i }).ToArray();
            var factors = groups.Select((rows, g) => CorrelationFactor(g, rows.Length)).ToArray();
            var lambdas = terms.Select((t, j) => Lambda(j)).ToArray();
            for (int s = 0; s < count; s++)
            {
                var rng = new Random(Inference.ParametricBootstrap.ReplicateSeed(seed, s));
                var y = (double[])fixedPart.Clone();
                for (int g = 0; g < groups.Length; g++)
                {
                    var rows = groups[g];
                    int m = rows.Length;
                    var z = new double[m];
                    for (int i = 0; i < m; i++) z[i] = Normal(rng);
                    var l = factors[g];
                    for (int i = 0; i < m; i++)
                    {
                        double e = 0;
                        if (l is null) e = z[i];
                        else for (int k = 0; k <= i; k++) e += l[i, k] * z[k];
                        y[rows[i]] += Sigma * _sd[rows[i]] * e;
                    }
                }
                for (int j = 0; j < terms.Length; j++)
                {
                    var term = terms[j];
                    int d = term.Dimension;
                    var b = new double[term.LevelCount * d];
                    var u = new double[d];
                    for (int level = 0; level < term.LevelCount; level++)
                    {
                        for (int a = 0; a < d; a++) u[a] = Normal(rng);
                        for (int r = 0; r < d; r++)
                        {
                            double v = 0;
                            for (int c = 0; c <= r; c++) v += lambdas[j][r * d + c] * u[c];
                            b[level * d + r] = Sigma * v;
                        }
                    }
                    var codes = term.CodesArray;
                    var zt = term.ZArray;
                    for (int i = 0; i < n; i++)
                        for (int a = 0; a < d; a++) y[i] += zt[i * d + a] * b[codes[i] * d + a];
                }
                yield return y;
            }
        }
    }

    /// <summary>The lower Cholesky factor of correlation group <paramref name="g"/>'s matrix, or null for independent errors.</summary>
    private double[,]? CorrelationFactor(int g, int m)
    {
        if (_cor is null) return null;
        var c = new double[m * m];
        _cor.Fill(_structure.AsSpan(0, _cor.ParameterCount), g, c);
        var matrix = new double[m, m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) matrix[i, j] = c[i * m + j];
        return LinearAlgebra.SmallMatrix.CholeskyLower(matrix) ?? throw new ModelException("a correlation matrix is not positive definite at the estimates");
    }

    /// <summary>Λ of term <paramref name="j"/> (row-major d × d, lower triangular) from θ̂.</summary>
    private double[] Lambda(int j)
    {
        int offset = 0;
        for (int t = 0; t < j; t++) offset += Design.TermsArray[t].ThetaLength;
        int d = Design.TermsArray[j].Dimension;
        var lambda = new double[d * d];
        for (int col = 0, k = offset; col < d; col++)
            for (int row = col; row < d; row++) lambda[row * d + col] = Transformed.Theta[k++];
        return lambda;
    }

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

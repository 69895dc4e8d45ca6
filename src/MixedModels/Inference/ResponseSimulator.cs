using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Draws responses from a fitted model: y* = Xβ̂ + offset + Z b* + ε* with b* = Λ(θ̂) u*, u* and ε*/σ̂ standard normal
/// (Box-Muller over <see cref="Random"/> with the given seed, so a seed always gives the same response). A model
/// whose errors are not independent (nlme's structures) gives its own error draws.
/// </summary>
internal sealed class ResponseSimulator
{
    private readonly Design.ModelDesign _design;
    private readonly double _sigma;
    private readonly double[] _fixedPart;
    private readonly double[][] _t;
    private readonly Action<Random, double[]>? _errors;

    public ResponseSimulator(LinearMixedModel model)
        : this(model.Design, [.. model.FixedEffects.Select(f => f.Estimate)], model.Theta, model.Sigma)
    {
    }

    /// <param name="design">The model's rows (X, Z, offset, prior weights).</param>
    /// <param name="beta">β̂.</param>
    /// <param name="theta">θ̂ in the terms' internal coordinates (those of the design's Z).</param>
    /// <param name="sigma">σ̂.</param>
    /// <param name="errors">Adds one draw of the errors to y (from the generator, before the random effects); null: σ̂/√wᵢ times a standard normal each.</param>
    public ResponseSimulator(Design.ModelDesign design, double[] beta, IReadOnlyList<double> theta, double sigma, Action<Random, double[]>? errors = null)
    {
        design.RequireRows("simulating responses");
        _design = design;
        _sigma = sigma;
        _errors = errors;
        int n = design.Observations;
        _fixedPart = new double[n];
        var off = design.Offset;
        for (int i = 0; i < n; i++) _fixedPart[i] = off.IsEmpty ? 0 : off[i];
        for (int j = 0; j < beta.Length; j++)
        {
            var col = design.X.Column(j);
            for (int i = 0; i < n; i++) _fixedPart[i] += beta[j] * col[i];
        }
        _t = new double[design.RandomTerms.Count][];
        int k = 0;
        for (int j = 0; j < _t.Length; j++)
        {
            int d = design.RandomTerms[j].Dimension;
            _t[j] = new double[d * d];
            for (int c = 0; c < d; c++) for (int r = c; r < d; r++) _t[j][c * d + r] = theta[k++];
        }
    }

    public void Simulate(int seed, double[] y)
    {
        var rng = new Random(seed);
        var design = _design;
        double sigma = _sigma;
        int n = y.Length;
        if (_errors is not null)
        {
            _fixedPart.CopyTo(y, 0);
            _errors(rng, y);
        }
        else
        {
            // With prior weights Var(εᵢ) = σ²/wᵢ.
            var w = design.Weights;
            for (int i = 0; i < n; i++) y[i] = _fixedPart[i] + (w.IsEmpty ? sigma : sigma / Math.Sqrt(w[i])) * Normal(rng);
        }
        for (int j = 0; j < _t.Length; j++)
        {
            var term = design.RandomTerms[j];
            int d = term.Dimension;
            var b = new double[term.LevelCount * d];
            var u = new double[d];
            for (int l = 0; l < term.LevelCount; l++)
            {
                for (int a = 0; a < d; a++) u[a] = Normal(rng);
                for (int r = 0; r < d; r++)
                {
                    double s = 0;
                    for (int c = 0; c <= r; c++) s += _t[j][c * d + r] * u[c];
                    b[l * d + r] = sigma * s;
                }
            }
            var codes = term.Codes;
            var z = term.Z;
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int a = 0; a < d; a++) s += z[i * d + a] * b[codes[i] * d + a];
                y[i] += s;
            }
        }
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    internal static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

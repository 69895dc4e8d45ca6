using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Draws responses from a fitted model: y* = Xβ̂ + offset + Z b* + ε* with b* = Λ(θ̂) u*, u* and ε*/σ̂ standard normal
/// (Box-Muller over <see cref="Random"/> with the given seed, so a seed always gives the same response).
/// </summary>
internal sealed class ResponseSimulator
{
    private readonly LinearMixedModel _model;
    private readonly double[] _fixedPart;
    private readonly double[][] _t;

    public ResponseSimulator(LinearMixedModel model)
    {
        _model = model;
        var design = model.Design;
        int n = model.Observations;
        _fixedPart = new double[n];
        var off = design.Offset;
        for (int i = 0; i < n; i++) _fixedPart[i] = off.IsEmpty ? 0 : off[i];
        for (int j = 0; j < model.FixedEffects.Count; j++)
        {
            var col = design.X.Column(j);
            double b = model.FixedEffects[j].Estimate;
            for (int i = 0; i < n; i++) _fixedPart[i] += b * col[i];
        }
        _t = new double[design.RandomTerms.Count][];
        int k = 0;
        for (int j = 0; j < _t.Length; j++)
        {
            int d = design.RandomTerms[j].Dimension;
            _t[j] = new double[d * d];
            for (int c = 0; c < d; c++) for (int r = c; r < d; r++) _t[j][c * d + r] = model.Theta[k++];
        }
    }

    public void Simulate(int seed, double[] y)
    {
        var rng = new Random(seed);
        var design = _model.Design;
        double sigma = _model.Sigma;
        int n = y.Length;
        // With prior weights Var(εᵢ) = σ²/wᵢ.
        var w = _model.Design.Weights;
        for (int i = 0; i < n; i++) y[i] = _fixedPart[i] + (w.IsEmpty ? sigma : sigma / Math.Sqrt(w[i])) * Normal(rng);
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

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

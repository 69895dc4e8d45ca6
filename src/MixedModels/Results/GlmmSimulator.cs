using MathNet.Numerics.Distributions;

namespace MixedModels.Results;

/// <summary>Draws responses from a fitted generalized linear mixed model (new random effects, then the family's distribution).</summary>
internal static class GlmmSimulator
{
    public static double[] Draw(GeneralizedLinearMixedModel m, int seed)
    {
        var rng = new Random(seed);
        var design = m.Design;
        int n = design.Observations, p = design.X.Columns;
        var eta = new double[n];
        var offset = design.OffsetArray;
        var x = design.X.Data;
        for (int i = 0; i < n; i++)
        {
            double e = offset is null ? 0 : offset[i];
            for (int c = 0; c < p; c++) e += x[c * n + i] * m.FixedEffects[c].Estimate;
            eta[i] = e;
        }
        int th = 0;
        foreach (var term in design.RandomTerms)
        {
            int d = term.Dimension, l = term.LevelCount;
            var t = new double[d * d];
            for (int col = 0; col < d; col++)
                for (int row = col; row < d; row++) t[col * d + row] = m.Theta[th++];
            var b = new double[l * d];
            var u = new double[d];
            for (int lev = 0; lev < l; lev++)
            {
                for (int a = 0; a < d; a++) u[a] = Normal.Sample(rng, 0, 1);
                for (int row = 0; row < d; row++)
                {
                    double acc = 0;
                    for (int c = 0; c <= row; c++) acc += t[c * d + row] * u[c];
                    b[lev * d + row] = acc * m.Sigma;
                }
            }
            var codes = term.CodesArray;
            var z = term.ZArray;
            for (int i = 0; i < n; i++)
                for (int a = 0; a < d; a++) eta[i] += z[i * d + a] * b[codes[i] * d + a];
        }
        var y = new double[n];
        var trials = design.TrialsArray;
        var weights = m.PriorWeightsArray;
        for (int i = 0; i < n; i++)
        {
            double mu = m.Family.Link.Inverse(eta[i]);
            y[i] = m.Family.Name switch
            {
                "binomial" => BinomialDraw(rng, mu, trials is null ? 1 : (int)Math.Round(trials[i])),
                "poisson" => Poisson.Sample(rng, mu),
                "Gamma" => Gamma.Sample(rng, weights[i] / m.Dispersion, weights[i] / (m.Dispersion * mu)),
                "inverse.gaussian" => InverseGaussian.Sample(rng, mu, weights[i] / m.Dispersion),
                _ => mu + Normal.Sample(rng, 0, m.Sigma / Math.Sqrt(weights[i])),
            };
        }
        return y;
    }

    private static double BinomialDraw(Random rng, double p, int trials) =>
        trials <= 0 ? 0 : Binomial.Sample(rng, p, trials) / (double)trials;
}

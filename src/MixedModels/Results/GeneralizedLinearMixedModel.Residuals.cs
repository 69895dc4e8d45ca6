namespace MixedModels.Results;

public sealed partial class GeneralizedLinearMixedModel
{
    /// <summary>The residuals of the given kind, one per observation used (lme4's <c>residuals(m, type)</c>; default deviance).</summary>
    public double[] Residuals(ResidualKind kind = ResidualKind.Deviance)
    {
        int n = _y.Length;
        var r = new double[n];
        var link = Family.Link;
        for (int i = 0; i < n; i++)
        {
            double y = _y[i], mu = _mu[i], e = y - mu;
            r[i] = kind switch
            {
                ResidualKind.Response => e,
                ResidualKind.Pearson => e * Math.Sqrt(_priorWeights[i]) / Math.Sqrt(Family.Variance(mu)),
                ResidualKind.Scaled => e * Math.Sqrt(_priorWeights[i]) / Math.Sqrt(Family.Variance(mu)) / Sigma,
                ResidualKind.Working => e / link.MuEta(_eta[i]),
                _ => Math.Sign(e) * Math.Sqrt(Math.Max(0, Family.DevianceResidual(y, mu, _priorWeights[i]))),
            };
        }
        return r;
    }

    /// <summary>
    /// The dispersion of a Gamma or inverse Gaussian fit as lme4 estimates it (its <c>sigmaML</c>): the penalized
    /// weighted residual sum of squares, Σ Pearson residual² + ‖u‖², divided by n; without random effects R's
    /// <c>summary.glm</c> estimate, Σ Pearson residual² / (n − p).
    /// </summary>
    private double EstimateDispersion(double penalty)
    {
        bool glm = Design.RandomTerms.Count == 0;
        double s = 0;
        for (int i = 0; i < _y.Length; i++)
        {
            double e = _y[i] - _mu[i];
            s += _priorWeights[i] * e * e / Family.Variance(_mu[i]);
        }
        return glm ? s / (_y.Length - Design.X.Columns) : (s + penalty) / _y.Length;
    }
}

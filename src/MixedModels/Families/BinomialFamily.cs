using MathNet.Numerics;

namespace MixedModels.Families;

/// <summary>
/// The binomial family: y a proportion of successes in <c>trials</c> (0/1 for binary data), prior weights the
/// numbers of trials for a <c>cbind(successes, failures)</c> or proportion response.
/// </summary>
internal sealed class BinomialFamily(Link link) : Family(link)
{
    public override string Name => "binomial";

    public override bool HasDispersion => false;

    public override string DefaultLink => "logit";

    public override IReadOnlyList<string> Links { get; } = ["logit", "probit", "cloglog", "cauchit", "log"];

    public override double Variance(double mu) => mu * (1 - mu);

    public override bool ValidMu(double mu) => double.IsFinite(mu) && mu > 0 && mu < 1;

    public override double DevianceResidual(double y, double mu, double weight) =>
        2 * weight * (YLogY(y, mu) + YLogY(1 - y, 1 - mu));

    public override double Aic(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        bool anyTrials = false;
        foreach (double t in trials) if (t > 1) { anyTrials = true; break; }
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double m = anyTrials ? trials[i] : weights[i];
            if (!(m > 0)) continue;
            s += weights[i] / m * LogDbinom(Math.Round(m * y[i]), Math.Round(m), mu[i]);
        }
        return -2 * s;
    }

    /// <summary>log P(X = x) for X ~ Binomial(n, p).</summary>
    private static double LogDbinom(double x, double n, double p)
    {
        double lc = SpecialFunctions.GammaLn(n + 1) - SpecialFunctions.GammaLn(x + 1) - SpecialFunctions.GammaLn(n - x + 1);
        double a = x == 0 ? 0 : x * Math.Log(p);
        double b = n - x == 0 ? 0 : (n - x) * Accurate.Log1P(-p);
        return lc + a + b;
    }

    public override double StartingMean(double y, double weight) => (weight * y + 0.5) / (weight + 1);

    public override string? CheckResponse(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (v < 0 || v > 1) return "y values must be 0 <= y <= 1";
        return null;
    }
}

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

    internal override double AicConstant(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> weights)
    {
        bool anyTrials = AnyTrials(trials);
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double m = anyTrials ? trials[i] : weights[i];
            if (!(m > 0)) continue;
            double x = Math.Round(m * y[i]), size = Math.Round(m);
            s += weights[i] / m * (SpecialFunctions.GammaLn(size + 1) - SpecialFunctions.GammaLn(x + 1) - SpecialFunctions.GammaLn(size - x + 1));
        }
        return -2 * s;
    }

    internal override double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        bool anyTrials = AnyTrials(trials);
        double s = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double m = anyTrials ? trials[i] : weights[i];
            if (!(m > 0)) continue;
            double x = Math.Round(m * y[i]), size = Math.Round(m);
            double a = x == 0 ? 0 : x * Math.Log(mu[i]);
            double b = size - x == 0 ? 0 : (size - x) * Accurate.Log1P(-mu[i]);
            s += weights[i] / m * (a + b);
        }
        return -2 * s;
    }

    private static bool AnyTrials(ReadOnlySpan<double> trials)
    {
        foreach (double t in trials) if (t > 1) return true;
        return false;
    }

    internal override double UpdateWorking(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance)
    {
        if (Link is not LogitLink) return UpdateWorkingByDefinition(eta, y, prior, offset, mu, muEta, weight, response, deviance);
        double dev = CanonicalKernels.Logit(this, eta, y, prior, offset, mu, muEta, weight, response, deviance);
        return double.IsFinite(dev) ? dev : double.PositiveInfinity;
    }

    public override double StartingMean(double y, double weight) => (weight * y + 0.5) / (weight + 1);

    public override string? CheckResponse(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (v < 0 || v > 1) return "y values must be 0 <= y <= 1";
        return null;
    }
}

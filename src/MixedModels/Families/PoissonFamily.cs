using MathNet.Numerics;

namespace MixedModels.Families;

/// <summary>The Poisson family for counts.</summary>
internal sealed class PoissonFamily(Link link) : Family(link)
{
    public override string Name => "poisson";

    public override bool HasDispersion => false;

    public override string DefaultLink => "log";

    public override IReadOnlyList<string> Links { get; } = ["log", "identity", "sqrt"];

    public override double Variance(double mu) => mu;

    public override bool ValidMu(double mu) => double.IsFinite(mu) && mu > 0;

    public override double DevianceResidual(double y, double mu, double weight) =>
        y > 0 ? 2 * weight * (y * Math.Log(y / mu) - (y - mu)) : 2 * mu * weight;

    internal override double AicConstant(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> weights)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) if (y[i] != 0) s += weights[i] * SpecialFunctions.GammaLn(y[i] + 1);
        return 2 * s;
    }

    internal override double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += weights[i] * (y[i] == 0 ? -mu[i] : y[i] * Math.Log(mu[i]) - mu[i]);
        return -2 * s;
    }

    internal override double UpdateWorking(ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance)
    {
        if (Link is not LogLink) return UpdateWorkingByDefinition(eta, y, prior, offset, mu, muEta, weight, response, deviance);
        double dev = CanonicalKernels.Log(this, eta, y, prior, offset, mu, muEta, weight, response, deviance);
        return double.IsFinite(dev) ? dev : double.PositiveInfinity;
    }

    public override double StartingMean(double y, double weight) => y + 0.1;

    public override string? CheckResponse(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (v < 0) return "negative values not allowed for the 'Poisson' family";
        return null;
    }
}

using MathNet.Numerics;

namespace MixedModels.Families;

/// <summary>The Gamma family for positive continuous responses with a constant coefficient of variation.</summary>
internal sealed class GammaFamily(Link link) : Family(link)
{
    public override string Name => "Gamma";

    public override bool HasDispersion => true;

    public override string DefaultLink => "inverse";

    public override IReadOnlyList<string> Links { get; } = ["inverse", "log", "identity"];

    public override double Variance(double mu) => mu * mu;

    public override bool ValidMu(double mu) => double.IsFinite(mu) && mu > 0;

    public override double DevianceResidual(double y, double mu, double weight) =>
        -2 * weight * (Math.Log(y == 0 ? 1 : y / mu) - (y - mu) / mu);

    internal override double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        double n = 0;
        foreach (double w in weights) n += w;
        double disp = deviance / n, shape = 1 / disp;
        double s = 0, lgShape = SpecialFunctions.GammaLn(shape);
        for (int i = 0; i < y.Length; i++)
        {
            double scale = mu[i] * disp;
            double logd = (shape - 1) * Math.Log(y[i]) - y[i] / scale - lgShape - shape * Math.Log(scale);
            s += weights[i] * logd;
        }
        return -2 * s + 2;
    }

    public override double StartingMean(double y, double weight) => y;

    public override string? CheckResponse(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (v <= 0) return "non-positive values not allowed for the 'Gamma' family";
        return null;
    }
}

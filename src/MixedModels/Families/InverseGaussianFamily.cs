namespace MixedModels.Families;

/// <summary>The inverse Gaussian family for positive, right-skewed responses.</summary>
internal sealed class InverseGaussianFamily(Link link) : Family(link)
{
    public override string Name => "inverse.gaussian";

    public override bool HasDispersion => true;

    public override string DefaultLink => "1/mu^2";

    public override IReadOnlyList<string> Links { get; } = ["1/mu^2", "inverse", "identity", "log"];

    public override double Variance(double mu) => mu * mu * mu;

    public override bool ValidMu(double mu) => double.IsFinite(mu) && mu > 0;

    public override double DevianceResidual(double y, double mu, double weight) => weight * (y - mu) * (y - mu) / (y * mu * mu);

    internal override double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        double sw = 0, slog = 0;
        for (int i = 0; i < y.Length; i++) { sw += weights[i]; slog += Math.Log(y[i]) * weights[i]; }
        return sw * (Math.Log(deviance / sw * 2 * Math.PI) + 1) + 3 * slog + 2;
    }

    public override double StartingMean(double y, double weight) => y;

    public override string? CheckResponse(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (v <= 0) return "positive values only are allowed for the 'inverse.gaussian' family";
        return null;
    }
}

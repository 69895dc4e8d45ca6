namespace MixedModels.Families;

/// <summary>The Gaussian family (used by the generalized fitter only with a non-identity link; an identity link is a linear mixed model).</summary>
internal sealed class GaussianFamily(Link link) : Family(link)
{
    public override string Name => "gaussian";

    public override bool HasDispersion => true;

    public override string DefaultLink => "identity";

    public override IReadOnlyList<string> Links { get; } = ["identity", "log", "inverse"];

    public override double Variance(double mu) => 1;

    public override double DevianceResidual(double y, double mu, double weight) => weight * (y - mu) * (y - mu);

    internal override double AicVariable(ReadOnlySpan<double> y, ReadOnlySpan<double> trials, ReadOnlySpan<double> mu, ReadOnlySpan<double> weights, double deviance)
    {
        int n = y.Length;
        double slw = 0;
        foreach (double w in weights) slw += Math.Log(w);
        return n * (Math.Log(2 * Math.PI * deviance / n) + 1) + 2 - slw;
    }

    public override double StartingMean(double y, double weight) => y;

    public override string? CheckResponse(ReadOnlySpan<double> y) => null;
}

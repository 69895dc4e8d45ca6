using MixedModels.Inference;

namespace MixedModels.Results;

/// <summary>The kinds of residuals (lme4's <c>residuals(m, type)</c> and <c>residuals(m, scaled = TRUE)</c>).</summary>
public enum ResidualKind
{
    /// <summary>y − fitted.</summary>
    Response,
    /// <summary>Pearson residuals: (y − fitted)·√w; without prior weights the response residuals, as lme4 gives them for a linear mixed model.</summary>
    Pearson,
    /// <summary>(y − fitted)/σ̂, the residuals of the summary's quantiles and of the QQ plot.</summary>
    Scaled,
}

public sealed partial class LinearMixedModel
{
    /// <summary>The residuals of the given kind, one per observation used.</summary>
    public double[] ResidualsOf(ResidualKind kind) => kind switch
    {
        ResidualKind.Scaled => _residuals.Select(r => r / Sigma).ToArray(),
        _ => [.. _residuals],
    };

    /// <summary>
    /// <paramref name="count"/> new responses drawn from the fitted model (lme4's <c>simulate(m, nsim, seed)</c>):
    /// y* = Xβ̂ + offset + Zb* + ε*, b* ~ N(0, σ̂²ΛΛ'), ε* ~ N(0, σ̂²). The same seed always gives the same responses.
    /// </summary>
    public double[][] Simulate(int count, int seed)
    {
        if (count < 1) throw new ArgumentException("the number of simulations must be at least 1");
        var simulator = new ResponseSimulator(this);
        var result = new double[count][];
        for (int s = 0; s < count; s++)
        {
            result[s] = new double[Observations];
            simulator.Simulate(ParametricBootstrap.ReplicateSeed(seed, s), result[s]);
        }
        return result;
    }
}

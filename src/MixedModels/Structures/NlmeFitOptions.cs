using MixedModels.Estimation;

namespace MixedModels.Structures;

/// <summary>How to fit an nlme model (gls or lme) with a variance function and a correlation structure.</summary>
public sealed record NlmeFitOptions
{
    /// <summary>REML (nlme's default) or ML.</summary>
    public bool Reml { get; init; } = true;

    /// <summary>The correlation structure (<c>correlation =</c>), or null for independent errors.</summary>
    public CorrelationStructure? Correlation { get; init; }

    /// <summary>The variance function (<c>weights =</c>), or null for a constant variance.</summary>
    public VarianceFunction? Weights { get; init; }

    /// <summary>
    /// nlme's <c>maxIter</c>: the most alternating updates of a fitted-value variance covariate (each followed by a
    /// re-optimization); a fit that has not settled by then says so in its warnings. Default 50.
    /// </summary>
    public int MaxIterations { get; init; } = 50;

    /// <summary>Optimizer settings (default: BOBYQA to a final radius of 1e-8).</summary>
    public BobyqaOptions? Optimizer { get; init; }
}

namespace MixedModels.Estimation;

/// <summary>How a linear mixed model is fitted.</summary>
public sealed record FitOptions
{
    /// <summary>True (default) for REML estimates, false for maximum likelihood.</summary>
    public bool Reml { get; init; } = true;

    /// <summary>The optimizer settings.</summary>
    public BobyqaOptions Optimizer { get; init; } = new();

    /// <summary>
    /// Run lme4's convergence checks after the fit (finite-difference gradient and Hessian of the objective in θ,
    /// 2·k² + 1 extra evaluations for k parameters). Default true, as lme4.
    /// </summary>
    public bool CheckConvergence { get; init; } = true;

    /// <summary>The starting θ (default: lme4's, 1 on diagonal elements and 0 elsewhere).</summary>
    public IReadOnlyList<double>? InitialTheta { get; init; }
}

namespace MixedModels.Estimation;

/// <summary>How a linear mixed model is fitted.</summary>
public sealed record FitOptions
{
    /// <summary>True (default) for REML estimates, false for maximum likelihood.</summary>
    public bool Reml { get; init; } = true;

    /// <summary>
    /// The optimizer settings. Default (null): BOBYQA with an initial trust-region radius of 0.25 from a moment start
    /// (0.05 for at most 6 covariance parameters), 0.75 (lme4's and MixedModels.jl's) from the unit start or a given
    /// <see cref="InitialTheta"/>; when <see cref="CheckConvergence"/> holds, BOBYQA stops at a radius of 1e-4 and a
    /// Newton step with the check's gradient and Hessian finishes the fit (BOBYQA goes on to 1e-6 where the step is
    /// refused or the optimum is singular). Given settings are BOBYQA's own, to their final radius. Their
    /// <see cref="BobyqaOptions.MaxEvaluations"/> limits the quasi-Newton method too.
    /// </summary>
    public BobyqaOptions? Optimizer { get; init; }

    /// <summary>
    /// Which optimizer: <see cref="OptimizerMethod.Auto"/> (default) takes the quasi-Newton method with the analytic
    /// gradient for more than 6 covariance parameters without a given <see cref="InitialTheta"/>, BOBYQA otherwise.
    /// </summary>
    public OptimizerMethod Method { get; init; } = OptimizerMethod.Auto;

    /// <summary>How the starting θ is chosen when <see cref="InitialTheta"/> is not given (default: moment estimates).</summary>
    public StartMethod Start { get; init; } = StartMethod.Moments;

    /// <summary>
    /// Run lme4's convergence checks after the fit (finite-difference gradient and Hessian of the objective in θ,
    /// k(k + 1) extra evaluations for k parameters; after a quasi-Newton fit the analytic gradient and central
    /// differences of it, 2k + 1). Default true, as lme4.
    /// </summary>
    public bool CheckConvergence { get; init; } = true;

    /// <summary>The starting θ (overrides <see cref="Start"/>).</summary>
    public IReadOnlyList<double>? InitialTheta { get; init; }

    /// <summary>Told the number of objective evaluations so far after each one (for a progress display); default none.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>Cancels the fit: checked at every objective evaluation (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }
}

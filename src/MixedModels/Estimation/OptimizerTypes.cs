namespace MixedModels.Estimation;

/// <summary>An objective function of a parameter vector.</summary>
public delegate double ObjectiveFunction(ReadOnlySpan<double> x);

/// <summary>How an optimization ended.</summary>
public enum OptimizationStatus
{
    /// <summary>The trust region radius reached its final value: converged.</summary>
    Converged,
    /// <summary>The limit on function evaluations was reached before convergence.</summary>
    MaxEvaluations,
    /// <summary>Rounding errors prevented further progress (BOBYQA's denominator cancellation); the best point found is returned.</summary>
    RoundingErrors,
    /// <summary>A trust-region step failed to reduce the quadratic model; the best point found is returned.</summary>
    StepFailed,
    /// <summary>The objective could not be evaluated (not finite) at the starting point.</summary>
    InvalidObjective,
}

/// <summary>Which optimizer fits a linear mixed model's covariance parameters.</summary>
public enum OptimizerMethod
{
    /// <summary>
    /// The quasi-Newton method with the analytic gradient for more than 6 covariance parameters from the fitter's own
    /// start (where BOBYQA spends most of its evaluations learning the curvature: kb07like's 20 parameters, 636
    /// evaluations against 35 evaluations and gradients), BOBYQA otherwise (default).
    /// </summary>
    Auto,
    /// <summary>BOBYQA (Powell's derivative-free trust-region method, lme4's default): values of the objective only.</summary>
    Bobyqa,
    /// <summary>
    /// A projected quasi-Newton method (BFGS, bounds by projection) with the analytic gradient of the profiled
    /// objective: one evaluation and one gradient per iteration.
    /// </summary>
    QuasiNewton,
}

/// <summary>Settings of the BOBYQA optimizer.</summary>
public sealed record BobyqaOptions
{
    /// <summary>The initial trust region radius (ρ_beg). Default 0.75 (θ is on a unit scale).</summary>
    public double InitialRadius { get; init; } = 0.75;

    /// <summary>The final trust region radius (ρ_end): the accuracy required of the variables. Default 1e-6.</summary>
    public double FinalRadius { get; init; } = 1e-6;

    /// <summary>
    /// The number of interpolation points of the quadratic model, from 2n+1 (Powell's recommendation and lme4's,
    /// a diagonal initial Hessian) to (n+1)(n+2)/2 (a fully determined quadratic). Default (null): 2n+1.
    /// </summary>
    public int? InterpolationPoints { get; init; }

    /// <summary>The maximum number of function evaluations. Default 10000.</summary>
    public int MaxEvaluations { get; init; } = 10000;

    /// <summary>
    /// Refuses settings the optimizer cannot honour, naming the option: radii must be positive and finite with
    /// <see cref="FinalRadius"/> ≤ <see cref="InitialRadius"/>, <see cref="MaxEvaluations"/> positive.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public void Validate()
    {
        if (!(InitialRadius > 0) || double.IsInfinity(InitialRadius))
            throw new ArgumentOutOfRangeException(nameof(InitialRadius), InitialRadius, "the initial trust-region radius must be positive and finite");
        if (!(FinalRadius > 0) || FinalRadius > InitialRadius)
            throw new ArgumentOutOfRangeException(nameof(FinalRadius), FinalRadius, $"the final trust-region radius must be positive and at most the initial radius ({InitialRadius})");
        if (MaxEvaluations <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), MaxEvaluations, "the evaluation limit must be at least 1");
        if (InterpolationPoints is <= 0)
            throw new ArgumentOutOfRangeException(nameof(InterpolationPoints), InterpolationPoints, "the number of interpolation points must be positive");
    }
}

/// <summary>The outcome of a minimization.</summary>
/// <param name="X">The best point found.</param>
/// <param name="Value">The objective at <paramref name="X"/>.</param>
/// <param name="Evaluations">The number of function evaluations.</param>
/// <param name="Status">How the optimization ended.</param>
public sealed record OptimizationResult(double[] X, double Value, int Evaluations, OptimizationStatus Status)
{
    /// <summary>The optimizer that produced the result: <see cref="OptimizerMethod.Bobyqa"/> or <see cref="OptimizerMethod.QuasiNewton"/>.</summary>
    public OptimizerMethod Method { get; init; } = OptimizerMethod.Bobyqa;

    /// <summary>The number of gradient evaluations (0 for BOBYQA, which uses values only).</summary>
    public int Gradients { get; init; }

    /// <summary>True when the optimizer converged.</summary>
    public bool Converged => Status == OptimizationStatus.Converged;

    /// <summary>A one-line description of the status.</summary>
    public string Message => Status switch
    {
        OptimizationStatus.Converged => Method == OptimizerMethod.QuasiNewton
            ? "converged: one more step would lower the objective by less than the tolerance"
            : "converged: trust region radius reached its final value",
        OptimizationStatus.MaxEvaluations => $"stopped at the evaluation limit (BobyqaOptions.MaxEvaluations) before converging, after {Evaluations} evaluations",
        OptimizationStatus.RoundingErrors => "stopped: rounding errors prevent further progress",
        OptimizationStatus.StepFailed => Method == OptimizerMethod.QuasiNewton
            ? "stopped: the gradient is not finite"
            : "stopped: a trust-region step failed to reduce the quadratic model",
        OptimizationStatus.InvalidObjective => "the objective is not finite at the starting point",
        _ => Status.ToString(),
    };
}

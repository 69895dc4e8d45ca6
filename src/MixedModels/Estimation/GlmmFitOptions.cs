using MixedModels.Families;

namespace MixedModels.Estimation;

/// <summary>How a generalized linear mixed model is fitted (lme4's <c>glmer</c> arguments).</summary>
public sealed record GlmmFitOptions
{
    /// <summary>The response family and link (default: binomial with the logit link).</summary>
    public Family Family { get; init; } = Family.Create("binomial");

    /// <summary>
    /// lme4's nAGQ: 1 (default) the Laplace approximation, optimizing θ and β together after an nAGQ = 0 stage;
    /// 0 the fast fit in θ alone, β found by PIRLS; 2–25 adaptive Gauss–Hermite quadrature (one scalar random-effects term only).
    /// </summary>
    public int Nagq { get; init; } = 1;

    /// <summary>The optimizer settings of the nAGQ = 0 stage in θ (default: BOBYQA from lme4's unit start with an initial trust-region radius of 0.2).</summary>
    public BobyqaOptions? Optimizer { get; init; }

    /// <summary>
    /// The optimizer settings of the second stage in (θ, β), β in coordinates decorrelated by the Cholesky factor of
    /// its stage-1 covariance (units of standard errors) and θ in units of its curvature there (default: BOBYQA with
    /// an initial radius of 0.05 — the stage-1 estimates are close —, a final radius of 1e-5 and lme4's 2n + 1
    /// interpolation points). Its evaluation limit is what the first stage left of <see cref="Optimizer"/>'s.
    /// </summary>
    public BobyqaOptions? Stage2Optimizer { get; init; }

    /// <summary>Run lme4's convergence checks (finite-difference gradient and Hessian in (θ, β); the Hessian also gives the fixed effects' covariance as lme4's). Default true.</summary>
    public bool CheckConvergence { get; init; } = true;

    /// <summary>Told the number of objective evaluations so far after each one (for a progress display); default none.</summary>
    public IProgress<int>? Progress { get; init; }

    /// <summary>Cancels the fit: checked at every criterion evaluation (<see cref="OperationCanceledException"/>).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the option when a setting is invalid.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Family);
        if (Nagq is < 0 or > 25) throw new ArgumentOutOfRangeException(nameof(Nagq), Nagq, "nAGQ must be between 0 and 25");
        Optimizer?.Validate();
        Stage2Optimizer?.Validate();
    }
}

namespace MixedModels.Robust;

/// <summary>How robustlmm's consistency factors of the design-adaptive scale estimates are computed.</summary>
public enum RobustMethod
{
    /// <summary>By numerical quadrature (robustlmm's default, <c>DAStau</c>): the analogue of the DAS estimate in robust regression.</summary>
    DASTau,

    /// <summary>By a direct approximation (<c>DASvar</c>): faster, less accurate; the only method for blocks larger than 2.</summary>
    DASVar,
}

/// <summary>robustlmm's suggested tuning of the scale equations.</summary>
public enum RobustSetting
{
    /// <summary><c>RSEn</c> (default): the scale functions use ρ_e's tuning constant (more robust).</summary>
    RSEn,

    /// <summary><c>RSEa</c>: the scale functions are tuned for higher asymptotic efficiency (k = 2.28 for the default ρ_e).</summary>
    RSEa,
}

/// <summary>
/// The options of a robust fit, as robustlmm's <c>rlmer()</c> arguments: the method, the ψ-functions for residuals
/// (<c>rho.e</c>), random effects (<c>rho.b</c>) and their scale equations (<c>rho.sigma.e</c>, <c>rho.sigma.b</c>),
/// and the stopping rule. Unset functions get rlmer's defaults: smoothed Huber (k = 1.345, s = 10) for ρ_e and for
/// scalar terms, Proposal 2 of it for the scale equations, and for a term of dimension s &gt; 1 the smoothed Huber
/// function with k = 5.14, 5.55, 5.91, 6.25, 6.55, 6.84 (s = 2 … 7), used for both its effects and its scale.
/// </summary>
public sealed record RobustFitOptions
{
    /// <summary>DAStau (default) or DASvar.</summary>
    public RobustMethod Method { get; init; } = RobustMethod.DASTau;

    /// <summary>RSEn (default) or RSEa: how the default scale functions are tuned.</summary>
    public RobustSetting Setting { get; init; } = RobustSetting.RSEn;

    /// <summary>ρ_e, the function for the residuals (default smoothed Huber, k = 1.345, s = 10).</summary>
    public PsiFunction? RhoE { get; init; }

    /// <summary>ρσ_e, the function of the residual scale equation (default Proposal 2 of ρ_e).</summary>
    public PsiFunction? RhoSigmaE { get; init; }

    /// <summary>ρ_b for every random-effects term (default by dimension, see the type's remarks).</summary>
    public PsiFunction? RhoB { get; init; }

    /// <summary>ρσ_b for every random-effects term (default Proposal 2 of ρ_b for a scalar term, ρ_b itself otherwise).</summary>
    public PsiFunction? RhoSigmaB { get; init; }

    /// <summary>rlmer's <c>rel.tol</c> (default 1e-8).</summary>
    public double RelativeTolerance { get; init; } = 1e-8;

    /// <summary>rlmer's <c>max.iter</c>; default (null) 40·(r + 1)² for r covariance parameters.</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Cancels the fit (checked at every iteration).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>robustlmm's default ρ_b for a term of dimension <paramref name="dimension"/> given ρ_e.</summary>
    internal static PsiFunction DefaultRhoB(int dimension, PsiFunction rhoE)
    {
        if (dimension == 1) return rhoE;
        if (dimension < 8 && rhoE is SmoothHuberPsi or HuberPsi && rhoE.Tuning[0].Value == 1.345 && (rhoE is HuberPsi || rhoE.Tuning[1].Value == 10))
            return rhoE.WithK(new[] { 5.14, 5.55, 5.91, 6.25, 6.55, 6.84 }[dimension - 2]);
        throw new ArgumentException($"no default ρ_b for a random-effects term of dimension {dimension} with ρ_e = {rhoE}: give RhoB (robustlmm finds a tuning constant for the target efficiency numerically, which is not implemented)");
    }

    /// <summary>The scale function rlmer uses for ρ (Proposal 2, retuned to k = 2.28 under RSEa for the default functions).</summary>
    internal PsiFunction ScaleFunctionOf(PsiFunction rho)
    {
        if (rho.IsClassical) return rho;
        var p2 = rho.ProposalII();
        if (Setting != RobustSetting.RSEa) return p2;
        if (rho is SmoothHuberPsi or HuberPsi && rho.Tuning[0].Value == 1.345) return p2.WithK(2.28);
        throw new ArgumentException($"RSEa needs a tuning constant for {rho} found numerically (not implemented): give RhoSigmaE / RhoSigmaB");
    }
}

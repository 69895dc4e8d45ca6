namespace MixedModels.Robust;

/// <summary>
/// The consistency constants of one random-effects term of dimension s for its ψ-functions (robustlmm's
/// <c>.calcE.D.re</c>, <c>.calcE.psi_bbt</c>, <c>.calcE.psi_bpsi_bt</c> and <c>calcKappaTau</c>): for s = 1 the
/// normal expectations of ψ', ψ², and κ = E[ψσ(Z)Z] / E[wσ(Z)]; for s &gt; 1 the same on the squared Mahalanobis
/// distance, a χ²ₛ variable, and κ the root of E[ψσ(V − sκ)] = 0.
/// </summary>
internal sealed record RobustConstants(double D, double PsiB, double PsiPsi, double Kappa)
{
    /// <summary>The constants of a term of dimension <paramref name="s"/> with effect function ρ_b and scale function ρσ_b.</summary>
    public static RobustConstants For(int s, PsiFunction rho, PsiFunction rhoSigma)
    {
        if (s == 1) return new(rho.ExpectedDPsi(), rho.ExpectedDPsi(), rho.ExpectedPsiSquared(), KappaScalar(rhoSigma));
        var corners = rho.Corners.Where(c => c > 0).ToArray();
        double d = Quadrature.ChiSquareExpectation(v => rho.DWeight(v) * 2 * v, s, corners) / s
                   + Quadrature.ChiSquareExpectation(rho.Weight, s, corners);
        double psiB = Quadrature.ChiSquareExpectation(v => rho.Weight(v) * v, s, corners) / s;
        double psiPsi = Quadrature.ChiSquareExpectation(v => { double w = rho.Weight(v); return w * w * v; }, s, corners) / s;
        return new(d, psiB, psiPsi, KappaBlock(rhoSigma, s));
    }

    /// <summary>κ for the residual scale (s = 1): E[ψσ(Z)Z] / E[wσ(Z)].</summary>
    public static double KappaScalar(PsiFunction rhoSigma) =>
        Quadrature.NormalExpectation(e => rhoSigma.Psi(e) * e, rhoSigma.Corners) / Quadrature.NormalExpectation(rhoSigma.Weight, rhoSigma.Corners);

    private static double KappaBlock(PsiFunction rhoSigma, int s)
    {
        if (s > 38) return 1;
        var corners = rhoSigma.Corners.Where(c => c > 0).ToArray();
        double F(double kappa) => Quadrature.ChiSquareExpectation(v => rhoSigma.Psi(v - s * kappa), s, corners.Select(c => c + s * kappa).Append(s * kappa));
        return MathNet.Numerics.RootFinding.Brent.FindRoot(F, 0, 1, 1.5e-8);
    }
}

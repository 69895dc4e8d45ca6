using MixedModels.Design;

namespace MixedModels.Robust;

/// <summary>The ψ-functions and constants of one random-effects term.</summary>
internal sealed record RobustTermSetup(int Dimension, PsiFunction RhoB, PsiFunction RhoSigmaB, RobustConstants Constants);

/// <summary>
/// The resolved ψ-functions of a robust fit (rlmer's defaults filled in) and their constants: E[ψ_e'], E[ψ_e²] and
/// κ_e for the residuals, and per random-effects term its functions and <see cref="RobustConstants"/>.
/// </summary>
internal sealed record RobustModelSetup(RobustMethod Method, PsiFunction RhoE, PsiFunction RhoSigmaE, double De, double Epsi2E, double KappaE,
    IReadOnlyList<RobustTermSetup> Terms)
{
    /// <summary>Resolves the options for a design (rlmer's <c>.rlmerInit</c>), with the warnings rlmer gives.</summary>
    public static RobustModelSetup Create(ModelDesign design, RobustFitOptions options, List<string> warnings)
    {
        var rhoE = options.RhoE ?? PsiFunction.SmoothHuber();
        var rhoSigmaE = options.RhoSigmaE ?? options.ScaleFunctionOf(rhoE);
        var terms = new List<RobustTermSetup>();
        var method = options.Method;
        foreach (var t in design.TermsArray)
        {
            int d = t.Dimension;
            var rhoB = options.RhoB ?? RobustFitOptions.DefaultRhoB(d, rhoE);
            var rhoSigmaB = options.RhoSigmaB ?? (d == 1 ? options.ScaleFunctionOf(rhoB) : rhoB);
            terms.Add(new RobustTermSetup(d, rhoB, rhoSigmaB, RobustConstants.For(d, rhoB, rhoSigmaB)));
            if (method == RobustMethod.DASTau && d > 2)
            {
                warnings.Add("Method 'DAStau' does not support blocks of size larger than 2. Falling back to method 'DASvar'.");
                method = RobustMethod.DASVar;
            }
        }
        double de = rhoE.ExpectedDPsi();
        return new RobustModelSetup(method, rhoE, rhoSigmaE, de, rhoE.ExpectedPsiSquared(), RobustConstants.KappaScalar(rhoSigmaE), terms);
    }
}

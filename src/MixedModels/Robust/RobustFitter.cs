using MixedModels.Design;
using MixedModels.Estimation;

namespace MixedModels.Robust;

/// <summary>The outcome of a robust fit: the workspace left at the estimates, the iterations and rlmer's warnings.</summary>
internal sealed record RobustFit(RobustWorkspace Workspace, int Iterations, bool Converged, List<string> Warnings);

/// <summary>
/// robustlmm's <c>rlmer</c> fitting loop (Koller 2016): from the REML fit, alternate the design-adaptive scale
/// equations for θ (per term; scalar terms by the DAS-τ fixed point, correlated blocks by matching
/// E[w b_s b_s'] to the weighted T), the robust fixed effects and random effects (IRWLS), and σ, until θ settles.
/// </summary>
internal static partial class RobustFitter
{
    /// <summary>The most fixed plus random effects of a single-term model (its G is kept dense: 8,000² doubles are 512 MB).</summary>
    internal const int SingleTermLimit = 8000;

    /// <summary>The most fixed plus random effects of a model with several terms (a dense m³ factorization per iteration).</summary>
    internal const int DenseLimit = 1500;

    public static RobustFit Fit(ModelDesign design, RobustFitOptions options)
    {
        if (design.HasWeights) throw new ModelException("rlmer does not take prior weights (robustlmm: \"Argument weights is unsave to use at the moment.\")");
        if (design.Options.Family is not null) throw new ModelException("robust estimation is for linear mixed models (the Gaussian family) only, as robustlmm's rlmer");
        if (design.RandomTerms.Count == 0) throw new ModelException("rlmer needs at least one random-effects term");
        long m = design.X.Columns + design.RandomTerms.Sum(t => (long)t.RandomEffectCount);
        if (design.RandomTerms.Count == 1 ? m > SingleTermLimit : m > DenseLimit)
            throw new ModelException(design.RandomTerms.Count == 1
                ? $"the robust fit keeps a dense {m} × {m} matrix (fixed plus random effects); a model with one random-effects term and more than {SingleTermLimit} of them is refused"
                : $"with several random-effects terms the robust fit solves dense {m} × {m} systems (fixed plus random effects) at every iteration; more than {DenseLimit} are refused (robustlmm's own matrices are n × n)");
        var warnings = new List<string>();
        if (design.HasOffset) warnings.Add("Argument offset is untested.");
        var setup = RobustModelSetup.Create(design, options, warnings);
        var ws = new RobustWorkspace(design, setup);
        Start(ws);
        int r = design.ThetaLength;
        int maxIter = options.MaxIterations ?? 40 * (r + 1) * (r + 1);
        var (iterations, converged) = design.TermsArray.All(t => t.Dimension == 1)
            ? FitDiagonal(ws, options, maxIter, warnings)
            : FitBlocks(ws, options, maxIter, warnings);
        warnings.AddRange(ws.TauWarnings.Distinct());
        return new RobustFit(ws, iterations, converged, warnings);
    }

    /// <summary>rlmer's start: the REML fit's θ, β, u and σ; variance parameters at 0 are set to 1 and the effects and σ refitted.</summary>
    private static void Start(RobustWorkspace ws)
    {
        var design = ws.Design;
        var lmm = new LmmWorkspace(design, reml: true);
        var fit = LmmFitter.Fit(lmm, new FitOptions { CheckConvergence = false });
        var theta = fit.Optimization.X;
        lmm.SetTheta(theta);
        lmm.Beta().CopyTo(ws.Beta, 0);
        lmm.SphericalModes().CopyTo(ws.Bs, 0);
        ws.Sigma = Math.Sqrt(lmm.SigmaSquared());
        var lower = design.LowerBounds();
        bool anyZero = false;
        var start = (double[])theta.Clone();
        for (int i = 0; i < start.Length; i++)
            if (lower[i] == 0 && start[i] == 0) { start[i] = 1; anyZero = true; }
        if (anyZero)
        {
            SetTheta(ws, start, fitEffects: true);
            UpdateSigma(ws, fitEffects: true);
        }
        else ws.SetTheta(start);
    }

    /// <summary>
    /// rlmer's <c>setTheta</c>: values below 1e-7 (with lower bound 0) become 0, a term whose variances are all 0
    /// loses its correlations too; then the matrices are recomputed and, when asked, the effects refitted.
    /// </summary>
    internal static void SetTheta(RobustWorkspace ws, double[] value, bool fitEffects, double effectsTolerance = 1e-8)
    {
        var lower = ws.Design.LowerBounds();
        for (int i = 0; i < value.Length; i++)
            if (Math.Abs(value[i]) < 1e-7 && lower[i] >= 0) value[i] = 0;
        int offset = 0;
        foreach (var term in ws.Design.TermsArray)
        {
            int len = term.ThetaLength;
            bool allZero = true;
            for (int j = 0; j < len; j++) if (lower[offset + j] >= 0 && value[offset + j] != 0) allZero = false;
            if (allZero) for (int j = 0; j < len; j++) value[offset + j] = 0;
            offset += len;
        }
        ws.SetTheta(value);
        if (fitEffects) ws.FitEffects(effectsTolerance);
    }

    /// <summary>
    /// rlmer's <c>updateSigma</c>: the averaged DAS scale, σ ← √(Σ w r² / Σ w τ² / κ_e) with w = wσ(r/(τσ)), to a
    /// relative change of 1e-6; with <paramref name="fitEffects"/> the effects are refitted at each σ.
    /// </summary>
    internal static void UpdateSigma(RobustWorkspace ws, bool fitEffects, int maxIter = 100, double relTol = 1e-6)
    {
        var tau = ws.TauE();
        double kappa = ws.Setup.KappaE;
        var rho = ws.Setup.RhoSigmaE;
        double scale0 = ws.Sigma, scale = scale0;
        var res = ws.Residuals();
        bool converged = false;
        int it = 0;
        while (!converged && ++it < maxIter)
        {
            if (fitEffects)
            {
                ws.Sigma = scale0;
                ws.FitEffects();
                res = ws.Residuals();
            }
            double num = 0, den = 0;
            for (int i = 0; i < res.Length; i++)
            {
                double w = rho.Weight(res[i] / tau[i] / scale0);
                num += w * res[i] * res[i];
                den += w * tau[i] * tau[i];
            }
            scale = Math.Sqrt(num / den / kappa);
            converged = Math.Abs(scale - scale0) < relTol * Math.Max(relTol, scale0);
            scale0 = scale;
        }
        if (it >= maxIter) ws.TauWarnings.Add("Sigma iterations did not converge. Returning unconverged estimates");
        ws.Sigma = scale;
    }
}

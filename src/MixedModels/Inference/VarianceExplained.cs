using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>The share of one grouping factor in the variance (its random-effects terms together).</summary>
/// <param name="Group">The grouping factor.</param>
/// <param name="Variance">Its variance contribution: the mean over observations of z'Σz for each of its terms.</param>
/// <param name="AdjustedIcc">Variance / (random + residual variance).</param>
/// <param name="ConditionalIcc">Variance / (fixed + random + residual variance).</param>
public sealed record GroupVariance(string Group, double Variance, double AdjustedIcc, double ConditionalIcc);

/// <summary>
/// Nakagawa and Schielzeth's R² and the intraclass correlation of a linear mixed model, as R's <c>performance</c>
/// package (0.10) computes them (Nakagawa, Johnson &amp; Schielzeth 2017): the variance of the fixed-effects
/// predictions Xβ̂ (with n − 1 in the denominator), the random-effects variance — for each term the mean over
/// observations of z'Σz, which is the intercept variance for a random intercept and includes random slopes at the
/// observed covariate values — and the residual variance σ̂². Marginal R² = fixed / total, conditional R² =
/// (fixed + random) / total; adjusted ICC = random / (random + residual), conditional ICC = random / total.
/// <c>performance</c> takes z from the fixed-effects matrix's columns of the same names (dropping random slopes
/// that are not fixed effects); here z is the term's own model-matrix row, which is the same whenever the random
/// slopes are also fixed effects.
/// </summary>
/// <param name="FixedVariance">Variance of Xβ̂.</param>
/// <param name="RandomVariance">Sum of the terms' variance contributions.</param>
/// <param name="ResidualVariance">σ̂².</param>
/// <param name="MarginalR2">Variance explained by the fixed effects.</param>
/// <param name="ConditionalR2">Variance explained by fixed and random effects.</param>
/// <param name="AdjustedIcc">Share of the random effects in the variance not explained by the fixed effects.</param>
/// <param name="ConditionalIcc">Share of the random effects in the total variance.</param>
/// <param name="Groups">The same per grouping factor.</param>
public sealed record VarianceExplained(double FixedVariance, double RandomVariance, double ResidualVariance,
    double MarginalR2, double ConditionalR2, double AdjustedIcc, double ConditionalIcc, IReadOnlyList<GroupVariance> Groups)
{
    /// <summary>Computes the decomposition for a fitted model.</summary>
    public static VarianceExplained Compute(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Compute(model, model.Sigma * model.Sigma);
    }

    /// <summary>
    /// The decomposition for a generalized model on the latent (link) scale, as <c>performance</c> computes it: the
    /// residual variance is the distribution-specific variance — π²/3 for the logit link, 1 for probit, π²/6 for
    /// cloglog; for the Poisson family with the log link log(1 + 1/λ), λ = exp(β₀) of the intercept-only model with
    /// the same random effects (refitted here; the lognormal approximation).
    /// </summary>
    /// <exception cref="ModelException">A family or link for which R's performance has no such variance here.</exception>
    public static VarianceExplained Compute(GeneralizedLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        string link = model.Family.Link.Name;
        double residual = (model.Family.Name, link) switch
        {
            ("binomial", "logit") => Math.PI * Math.PI / 3,
            ("binomial", "probit") => 1,
            ("binomial", "cloglog") => Math.PI * Math.PI / 6,
            ("poisson", "log") => PoissonVariance(model),
            _ => throw new ModelException($"R² and ICC are available for binomial (logit, probit, cloglog) and Poisson (log) models; not for {model.Family}"),
        };
        return Compute(model, residual);
    }

    private static double PoissonVariance(GeneralizedLinearMixedModel model)
    {
        var design = model.Design.InterceptOnly();
        var nullModel = GeneralizedLinearMixedModel.Fit(design, new Estimation.GlmmFitOptions { Family = model.Family, CheckConvergence = false });
        return Math.Log(1 + 1 / Math.Exp(nullModel.FixedEffects[0].Estimate));
    }

    private static VarianceExplained Compute(IMixedModel model, double residual)
    {
        var design = model.Design;
        int n = model.Observations;
        var xb = new double[n];
        for (int j = 0; j < model.FixedEffects.Count; j++)
        {
            var col = design.X.Column(j);
            double b = model.FixedEffects[j].Estimate;
            for (int i = 0; i < n; i++) xb[i] += b * col[i];
        }
        double mean = xb.Average();
        double fixedVariance = n > 1 ? xb.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;

        var byGroup = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        for (int j = 0; j < design.RandomTerms.Count; j++)
        {
            var term = design.RandomTerms[j];
            var component = model.VarianceComponents[j];
            int d = term.Dimension;
            var z = term.Z;
            var row = new double[d];
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                // the data's rows, as the component's covariance is in the data's coordinates
                z.Slice(i * d, d).CopyTo(row);
                term.Centring?.UncentreRow(row);
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) sum += row[a] * component.Covariance(a, b) * row[b];
            }
            if (!byGroup.ContainsKey(term.GroupName)) { byGroup[term.GroupName] = 0; order.Add(term.GroupName); }
            byGroup[term.GroupName] += sum / n;
        }
        double random = byGroup.Values.Sum();
        double total = fixedVariance + random + residual;
        var groups = order.Select(g => new GroupVariance(g, byGroup[g], byGroup[g] / (random + residual), byGroup[g] / total)).ToList();
        return new VarianceExplained(fixedVariance, random, residual, fixedVariance / total, (fixedVariance + random) / total,
            random / (random + residual), random / total, groups.AsReadOnly());
    }
}

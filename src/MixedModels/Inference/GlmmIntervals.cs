using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Confidence intervals of a generalized linear mixed model: Wald intervals for the fixed effects (lme4's
/// <c>confint(m, method = "Wald")</c>, normal quantiles; the random-effects parameters get none, as there) and
/// parametric-bootstrap percentile intervals for the fixed effects and the random-effects SDs and correlations
/// (lme4's <c>confint(m, method = "boot")</c>): responses simulated from the fit, each refitted.
/// </summary>
public static class GlmmIntervals
{
    /// <summary>Wald intervals β̂ ± z·SE for the fixed effects.</summary>
    public static IReadOnlyList<ConfidenceInterval> Wald(GeneralizedLinearMixedModel model, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(model);
        Level.Check(level);
        double z = Probability.NormalQuantile(0.5 + level / 2);
        return model.FixedEffects.Select(f => new ConfidenceInterval(f.Name, f.Estimate, f.Estimate - z * f.StandardError, f.Estimate + z * f.StandardError))
            .ToList().AsReadOnly();
    }

    /// <summary>
    /// Percentile intervals from <paramref name="replicates"/> parametric-bootstrap refits (seeded: the same seed
    /// gives the same intervals). Replicates whose refit fails are left out and counted in the parameter names'
    /// notes; <paramref name="progress"/> hears each finished replicate.
    /// </summary>
    public static IReadOnlyList<ConfidenceInterval> Bootstrap(GeneralizedLinearMixedModel model, int replicates, int seed = 1, double level = 0.95,
        IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ParametricBootstrap.CheckReplicates(replicates, 2);
        Level.Check(level);
        var scaleNames = VarianceScale.Names(model.Design);
        // σ (the residual SD) is a parameter of a family with a dispersion (Gamma, inverse Gaussian), as lme4's confint names it.
        var names = scaleNames.Take(scaleNames.Length - (model.Family.HasDispersion ? 0 : 1)).Concat(model.FixedEffects.Select(f => f.Name)).ToArray();
        var estimates = Parameters(model);
        var samples = new List<double[]>(replicates);
        var options = new GlmmFitOptions { Family = model.Family, Nagq = model.Nagq, CheckConvergence = false };
        for (int r = 0; r < replicates; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            var y = model.Simulate(1, ParametricBootstrap.ReplicateSeed(seed, r))[0];
            try
            {
                var refit = GeneralizedLinearMixedModel.Fit(model.Design.WithResponse(y), options);
                samples.Add(Parameters(refit));
            }
            catch (MixedModelsException)
            {
                // A replicate the model cannot be fitted to (e.g. all responses 0) is left out, as lme4's bootMer drops failures.
            }
            progress?.Report(r + 1);
        }
        if (samples.Count < 2) throw new ModelException("fewer than two bootstrap replicates could be refitted; no intervals");
        var result = new List<ConfidenceInterval>();
        for (int k = 0; k < names.Length; k++)
        {
            var column = samples.Select(s => s[k]).Where(double.IsFinite).ToArray();
            var q = Statistics.Quantiles(column, [(1 - level) / 2, (1 + level) / 2]);
            result.Add(new ConfidenceInterval(names[k], estimates[k], q[0], q[1]));
        }
        return result.AsReadOnly();
    }

    /// <summary>The random-effects SDs and correlations (lme4's order), σ for a family with a dispersion, then β.</summary>
    private static double[] Parameters(GeneralizedLinearMixedModel m)
    {
        var scale = VarianceScale.FromTheta(m.Design, m.Theta, m.Sigma);
        return [.. scale.Take(scale.Length - (m.Family.HasDispersion ? 0 : 1)), .. m.FixedEffects.Select(f => f.Estimate)];
    }
}

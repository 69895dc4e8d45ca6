using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Diagnostics;

/// <summary>The influence of one cluster: the fit without it.</summary>
/// <param name="Level">The cluster (a level of the grouping factor).</param>
/// <param name="Observations">Its number of observations.</param>
/// <param name="CooksDistance">(β̂ − β̂₍₋ᵢ₎)' V⁻¹ (β̂ − β̂₍₋ᵢ₎) / p with V the full fit's covariance of β̂ (influence.ME's definition); NaN when the fit without the cluster is not identifiable.</param>
/// <param name="FixedEffects">β̂₍₋ᵢ₎, the fixed effects without the cluster.</param>
/// <param name="Sigma">σ̂₍₋ᵢ₎.</param>
public sealed record ClusterDeletion(string Level, int Observations, double CooksDistance, IReadOnlyList<double> FixedEffects, double Sigma);

/// <summary>
/// Per-cluster influence (influence.ME's <c>influence(m, group)</c> with <c>cooks.distance</c>): the model is fitted
/// again without each level of a grouping factor. Exact: θ is re-optimized, starting from θ̂ with a small trust
/// region; approximate: θ is held at θ̂ (one evaluation per cluster, for large data). Clusters run in parallel,
/// each on its own workspace.
/// </summary>
public static class ClusterInfluence
{
    /// <summary>One row per level of <paramref name="group"/>, in level order.</summary>
    public static IReadOnlyList<ClusterDeletion> Compute(LinearMixedModel model, string group, bool exact = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var map = ParameterMap.Theta(model.Design);
        return Compute(model, group, reduced =>
        {
            var ws = new LmmWorkspace(reduced, model.Reml);
            if (exact && map.Length > 0)
            {
                var opt = BobyqaOptimizer.NearStart.Minimize(ws.Objective, model.Theta.ToArray(), map);
                ws.Objective(opt.X);
            }
            else ws.Objective(model.Theta.ToArray());
            return (ws.Beta(), Math.Sqrt(ws.SigmaSquared()));
        });
    }

    /// <summary>
    /// A glmer fit's clusters, each deleted and the model refitted as it was (family, link, nAGQ); with
    /// <paramref name="exact"/> false the refits use nAGQ = 0 (fast; β from PIRLS). σ is the dispersion's square root
    /// (1 for binomial and Poisson). A refit that fails gives a row of NaN.
    /// </summary>
    public static IReadOnlyList<ClusterDeletion> Compute(GeneralizedLinearMixedModel model, string group, bool exact = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = new GlmmFitOptions { Family = model.Family, Nagq = exact ? model.Nagq : 0, CheckConvergence = false };
        return Compute(model, group, reduced =>
        {
            try
            {
                var refit = GeneralizedLinearMixedModel.Fit(reduced, options);
                return (refit.FixedEffects.Select(f => f.Estimate).ToArray(), refit.Sigma);
            }
            catch (MixedModelsException) { return null; }
        });
    }

    private static IReadOnlyList<ClusterDeletion> Compute(IMixedModel model, string group, Func<Design.ModelDesign, (double[] Beta, double Sigma)?> refit)
    {
        var design = model.Design;
        var term = design.RandomTerms.FirstOrDefault(t => t.GroupName == group)
            ?? throw new ModelException($"'{group}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", design.RandomTerms.Select(t => t.GroupName).Distinct())}");
        int p = model.FixedEffects.Count;
        var vinv = LinearAlgebra.SmallMatrix.InverseSpd(model.FixedEffectsCovariance());
        var beta = model.FixedEffects.Select(f => f.Estimate).ToArray();
        var byLevel = new List<int>[term.LevelCount];
        for (int l = 0; l < byLevel.Length; l++) byLevel[l] = [];
        var codes = term.Codes;
        for (int i = 0; i < codes.Length; i++) byLevel[codes[i]].Add(i);
        var result = new ClusterDeletion[term.LevelCount];
        Parallel.For(0, term.LevelCount, l =>
        {
            var drop = new HashSet<int>(byLevel[l]);
            var rows = Enumerable.Range(0, model.Observations).Where(i => !drop.Contains(i)).ToArray();
            var reduced = design.WithRows(rows);
            var fit = reduced is null || rows.Length <= p ? null : refit(reduced);
            if (fit is not { } f)
            {
                result[l] = new ClusterDeletion(term.Levels[l], byLevel[l].Count, double.NaN, Enumerable.Repeat(double.NaN, p).ToArray(), double.NaN);
                return;
            }
            var b = f.Beta;
            double d = double.NaN;
            if (vinv is not null)
            {
                d = 0;
                for (int i = 0; i < p; i++)
                    for (int j = 0; j < p; j++) d += (beta[i] - b[i]) * vinv[i, j] * (beta[j] - b[j]);
                d /= p;
            }
            result[l] = new ClusterDeletion(term.Levels[l], byLevel[l].Count, d, b, f.Sigma);
        });
        return result.AsReadOnly();
    }
}

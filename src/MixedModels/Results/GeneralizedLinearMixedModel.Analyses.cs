using MixedModels.Inference;
using MixedModels.Reporting;

namespace MixedModels.Results;

/// <summary>The analyses of a glmer fit reachable from the model; each forwards to the one implementation it names.</summary>
public sealed partial class GeneralizedLinearMixedModel
{
    /// <summary>
    /// lme4's <c>anova(this, others...)</c>: likelihood-ratio tests against other models of the same family fitted to
    /// the same rows (glm fits included), labelled MODEL1 (this), MODEL2, ….
    /// </summary>
    public ModelComparison Compare(params IMixedModel[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        IMixedModel[] models = [this, .. others];
        return ModelComparison.Compare(Enumerable.Range(1, models.Length).Select(i => $"MODEL{i}").ToArray(), models);
    }

    /// <summary>
    /// lme4's <c>confint()</c> of a glmer fit: profile intervals by default (<see cref="GlmmProfile.Intervals"/>), Wald
    /// intervals of the fixed effects (<see cref="GlmmIntervals.Wald"/>) or parametric-bootstrap intervals (<see cref="GlmmIntervals.Bootstrap"/>).
    /// </summary>
    public ConfidenceIntervalTable ConfidenceIntervals(IntervalMethod method = IntervalMethod.Profile, double level = 0.95,
        int replicates = 1000, int seed = 1, IProgress<int>? progress = null, CancellationToken cancellation = default) => new(method switch
        {
            IntervalMethod.Wald => GlmmIntervals.Wald(this, level),
            IntervalMethod.Profile => GlmmProfile.Intervals(this, level, progress, cancellation),
            IntervalMethod.Bootstrap => GlmmIntervals.Bootstrap(this, replicates, seed, level, progress, cancellation),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "no such interval method"),
        });

    /// <summary>car's <c>Anova(m, type = 3)</c>: a Wald χ² test per term (<see cref="WaldChiSquareTable.TypeIII"/>).</summary>
    public WaldChiSquareTable Anova() => WaldChiSquareTable.TypeIII(this);

    /// <summary>broom.mixed's <c>tidy()</c> of the fit, with Wald intervals; <paramref name="exponentiate"/> gives odds or rate ratios.</summary>
    public TidyTable Tidy(bool exponentiate = false, double level = 0.95) => TidyTable.Create(this, exponentiate, level);

    /// <summary>broom's <c>augment()</c>: one record per row used in the fit, with the response, fitted value (response scale) and response residual.</summary>
    public IReadOnlyList<ObservationRecord> Augment() => ObservationRecord.Of(this, Residuals(ResidualKind.Response));

    /// <summary>lme4's <c>as.data.frame(ranef(m, condVar = TRUE))</c>: one record per term, column and level.</summary>
    public IReadOnlyList<RandomEffectRecord> RandomEffectRecords() => RandomEffectRecord.Of(RandomEffects());
}

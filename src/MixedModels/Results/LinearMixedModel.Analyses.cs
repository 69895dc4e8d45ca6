using MixedModels.Inference;
using MixedModels.Reporting;

namespace MixedModels.Results;

/// <summary>The analyses of a fit reachable from the model; each forwards to the one implementation it names.</summary>
public sealed partial class LinearMixedModel
{
    /// <summary>lme4's summary text (<see cref="Summary(DdfMethod)"/> with Satterthwaite's df).</summary>
    public override string ToString() => Summary();

    /// <summary>lmerTest's type III ANOVA table of the fixed effects (<see cref="AnovaTable.TypeIII"/>).</summary>
    public AnovaTable Anova(DdfMethod ddf = DdfMethod.Satterthwaite) => AnovaTable.TypeIII(this, ddf);

    /// <summary>
    /// lme4's <c>anova(this, others...)</c>: likelihood-ratio tests of this model against the others, fitted to the same
    /// rows (REML fits are refitted by ML); labelled MODEL1 (this), MODEL2, … (<see cref="ModelComparison.Compare(IReadOnlyList{string}, IReadOnlyList{IMixedModel}, int, int, IProgress{int}?)"/>).
    /// </summary>
    public ModelComparison Compare(params IMixedModel[] others)
    {
        ArgumentNullException.ThrowIfNull(others);
        IMixedModel[] models = [this, .. others];
        return ModelComparison.Compare(Enumerable.Range(1, models.Length).Select(i => $"MODEL{i}").ToArray(), models);
    }

    /// <summary>
    /// lme4's <c>confint()</c>: profile intervals by default (as lme4), or Wald or parametric-bootstrap intervals
    /// (<see cref="Inference.ConfidenceIntervals.Compute"/>).
    /// </summary>
    public ConfidenceIntervalTable ConfidenceIntervals(IntervalMethod method = IntervalMethod.Profile, double level = 0.95,
        DdfMethod ddf = DdfMethod.None, int replicates = 1000, int seed = 1, IProgress<int>? progress = null, CancellationToken cancellation = default) =>
        new(Inference.ConfidenceIntervals.Compute(this, method, level, ddf, replicates, seed, progress, cancellation));

    /// <summary>broom.mixed's <c>tidy()</c> of the fit (<see cref="TidyTable.Create(LinearMixedModel, TidyOptions?)"/>).</summary>
    public TidyTable Tidy(TidyOptions? options = null) => TidyTable.Create(this, options);

    /// <summary>lme4's <c>bootMer()</c>: a seeded parametric bootstrap of the fit (<see cref="ParametricBootstrap.Run"/>).</summary>
    public ParametricBootstrap Bootstrap(int replicates, int seed = 1, IProgress<int>? progress = null, CancellationToken cancellation = default) =>
        ParametricBootstrap.Run(this, replicates, seed, progress, cancellation: cancellation);

    /// <summary>broom's <c>augment()</c>: one record per row used in the fit, with the response, fitted value and residual.</summary>
    public IReadOnlyList<ObservationRecord> Augment() => ObservationRecord.Of(this, _residuals);

    /// <summary>lme4's <c>as.data.frame(ranef(m, condVar = TRUE))</c>: one record per term, column and level.</summary>
    public IReadOnlyList<RandomEffectRecord> RandomEffectRecords() => RandomEffectRecord.Of(RandomEffects());
}

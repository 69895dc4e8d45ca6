using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>How confidence intervals are computed.</summary>
public enum IntervalMethod
{
    /// <summary>No intervals.</summary>
    None,
    /// <summary>Wald intervals for the fixed effects: estimate ± q·SE, with q from the normal distribution (lme4) or from t with a df method's df (broom.mixed on lmerTest fits).</summary>
    Wald,
    /// <summary>Profile-likelihood intervals for every parameter (lme4's default <c>confint</c>).</summary>
    Profile,
    /// <summary>Parametric-bootstrap percentile intervals for every parameter.</summary>
    Bootstrap,
}

/// <summary>Confidence intervals by any of the methods: the entry point behind <c>confint</c> and tidy tables.</summary>
public static class ConfidenceIntervals
{
    /// <summary>
    /// Intervals by <paramref name="method"/> at <paramref name="level"/>. Wald intervals cover the fixed effects only
    /// (normal quantiles with <see cref="DdfMethod.None"/>, as lme4; t quantiles with the method's df otherwise);
    /// profile and bootstrap intervals cover the random-effects SDs and correlations, σ and the fixed effects, named
    /// as lme4 names them (<c>sd_(Intercept)|Subject</c>, <c>cor_Days.(Intercept)|Subject</c>, <c>sigma</c>).
    /// </summary>
    public static IReadOnlyList<ConfidenceInterval> Compute(LinearMixedModel model, IntervalMethod method, double level = 0.95,
        DdfMethod ddf = DdfMethod.None, int replicates = 1000, int seed = 1, IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Level.Check(level);
        return method switch
        {
            IntervalMethod.Wald => Wald(model, level, ddf),
            IntervalMethod.Profile => ProfileLikelihood.Intervals(model, level, progress, cancellation),
            IntervalMethod.Bootstrap => ParametricBootstrap.Run(model, replicates, seed, progress, cancellation: cancellation).PercentileIntervals(level),
            _ => [],
        };
    }

    /// <summary>Wald intervals for the fixed effects (lme4's <c>confint(method = "Wald")</c> with <see cref="DdfMethod.None"/>).</summary>
    public static IReadOnlyList<ConfidenceInterval> Wald(LinearMixedModel model, double level = 0.95, DdfMethod ddf = DdfMethod.None)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Wald(FixedEffectTests.Compute(model, ddf), level);
    }

    /// <summary>Wald intervals from t tests already computed: normal quantiles where a test has no df, t quantiles otherwise.</summary>
    public static IReadOnlyList<ConfidenceInterval> Wald(IReadOnlyList<TTest> tests, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(tests);
        return tests.Select(t =>
        {
            double q = double.IsNaN(t.Df) ? Probability.NormalQuantile(0.5 + level / 2) : Probability.TQuantile(0.5 + level / 2, t.Df);
            return new ConfidenceInterval(t.Name, t.Estimate, t.Estimate - q * t.StandardError, t.Estimate + q * t.StandardError);
        }).ToList().AsReadOnly();
    }

    /// <summary>Intervals as a table (parameter, estimate, lower, upper) in the given format.</summary>
    public static string Format(IReadOnlyList<ConfidenceInterval> intervals, Reporting.TableFormat format)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        var table = new Reporting.ResultTable("parameter", "estimate", "lower", "upper");
        foreach (var ci in intervals) table.Add(ci.Parameter, ci.Estimate, ci.Lower, ci.Upper);
        return table.Write(format);
    }
}

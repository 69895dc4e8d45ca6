using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>The t tests of the fixed effects with a chosen denominator-df method: the one place that choice is made.</summary>
public static class FixedEffectTests
{
    /// <summary>
    /// One t test per fixed effect: Satterthwaite (lmerTest), Kenward-Roger (pbkrtest; standard errors from the
    /// adjusted covariance), or with <see cref="DdfMethod.None"/> lme4's Wald t values with NaN df and p-values.
    /// </summary>
    public static IReadOnlyList<TTest> Compute(LinearMixedModel model, DdfMethod ddf)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.FixedEffects.Count == 0) return [];
        return ddf switch
        {
            DdfMethod.Satterthwaite => Satterthwaite.Compute(model).Coefficients(),
            DdfMethod.KenwardRoger => KenwardRoger.Compute(model).Coefficients(),
            _ => model.FixedEffects.Select(f => new TTest(f.Name, f.Estimate, f.StandardError, double.NaN, f.TValue, double.NaN)).ToList().AsReadOnly(),
        };
    }
}

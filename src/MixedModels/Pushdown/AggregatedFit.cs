using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Pushdown;

/// <summary>
/// Fits a linear mixed model where its data live: the design from the engine's sums (<see cref="AggregatedDesign"/>),
/// the fit from the design as in memory, and then, unless declined, one more pass over the observations inside the
/// engine for the scaled residuals' quantiles of lme4's summary.
/// </summary>
public static class AggregatedFit
{
    /// <summary>Fits <paramref name="formula"/> from sums computed by <paramref name="engine"/>.</summary>
    /// <param name="formula">An lme4 formula.</param>
    /// <param name="engine">Where the data are.</param>
    /// <param name="options">REML or ML, optimizer settings.</param>
    /// <param name="design">Design options (contrasts).</param>
    /// <param name="residuals">Whether to compute the residual quantiles (one more pass over the data).</param>
    public static LinearMixedModel Fit(string formula, AggregateEngine engine, FitOptions? options = null, DesignOptions? design = null, bool residuals = true)
    {
        var (d, layout) = AggregatedDesign.BuildWithLayout(formula, engine, design);
        var model = LinearMixedModel.Fit(d, options);
        if (!residuals) return model;
        return ResidualPass.Quantiles(engine, layout, model) is { } q ? model.WithScaledResidualQuantiles(q) : model;
    }
}

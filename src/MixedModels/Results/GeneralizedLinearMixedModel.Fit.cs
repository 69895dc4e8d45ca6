using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;

namespace MixedModels.Results;

public sealed partial class GeneralizedLinearMixedModel
{
    /// <summary>
    /// Fits <paramref name="formula"/> (lme4 syntax; the response may be <c>cbind(successes, failures)</c>, a
    /// 0/1 variable, a two-level factor or, with weights, a proportion) to <paramref name="data"/> as lme4's
    /// <c>glmer</c>. The family and nAGQ come from <paramref name="options"/> (default binomial, Laplace).
    /// </summary>
    /// <param name="formula">For example <c>cbind(incidence, size - incidence) ~ period + (1 | herd)</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">Family, link, nAGQ, optimizer settings.</param>
    /// <param name="design">Design options (contrasts, prior weights, offset).</param>
    /// <param name="dataName">The name the data go by in the summary (default <c>data</c>).</param>
    public static GeneralizedLinearMixedModel Fit(string formula, Table data, GlmmFitOptions? options = null, DesignOptions? design = null, string? dataName = null)
    {
        options ??= new GlmmFitOptions();
        var d = ModelDesign.Build(formula, data, (design ?? new DesignOptions()) with { Family = options.Family }, dataName);
        return Fit(d, options);
    }

    /// <summary>Fits a model from its design (built with the family in <see cref="DesignOptions.Family"/> for a binomial response).</summary>
    public static GeneralizedLinearMixedModel Fit(ModelDesign design, GlmmFitOptions? options = null)
    {
        options ??= new GlmmFitOptions();
        return Fit(new GlmmWorkspace(design, options.Family, options.Nagq), options);
    }

    /// <summary>Fits a model by optimizing the criterion of an existing workspace (its family and nAGQ decide the criterion).</summary>
    public static GeneralizedLinearMixedModel Fit(GlmmWorkspace workspace, GlmmFitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        options = (options ?? new GlmmFitOptions()) with { Family = workspace.Family, Nagq = workspace.Nagq };
        var fit = GlmmFitter.Fit(workspace, options);
        return new GeneralizedLinearMixedModel(workspace, fit);
    }
}

using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;

namespace MixedModels.Results;

public sealed partial class LinearMixedModel
{
    /// <summary>
    /// Fits <paramref name="formula"/> (lme4 syntax) to <paramref name="data"/>: REML by default, ML with
    /// <c>new FitOptions { Reml = false }</c>.
    /// </summary>
    /// <param name="formula">For example <c>Reaction ~ Days + (Days | Subject)</c>.</param>
    /// <param name="data">The data.</param>
    /// <param name="options">How to fit (REML or ML, optimizer settings).</param>
    /// <param name="design">Design options (contrasts).</param>
    /// <param name="dataName">The name the data go by in the summary (default <c>data</c>).</param>
    public static LinearMixedModel Fit(string formula, Table data, FitOptions? options = null, DesignOptions? design = null, string? dataName = null) =>
        Fit(ModelDesign.Build(formula, data, design, dataName), options);

    /// <summary>Fits a model from its design.</summary>
    public static LinearMixedModel Fit(ModelDesign design, FitOptions? options = null)
    {
        options ??= new FitOptions();
        return LmmFitter.Fit(new LmmWorkspace(design, options.Reml), options);
    }

    /// <summary>Fits a model by optimizing the objective of an existing workspace (its REML setting decides the criterion).</summary>
    public static LinearMixedModel Fit(LmmWorkspace workspace, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return LmmFitter.Fit(workspace, (options ?? new FitOptions()) with { Reml = workspace.Reml });
    }

    /// <summary>
    /// The model evaluated at a given θ without optimizing (to reproduce another program's estimates, or for
    /// inference at fixed covariance parameters).
    /// </summary>
    public static LinearMixedModel AtTheta(ModelDesign design, IReadOnlyList<double> theta, bool reml = true)
    {
        if (theta.Count != design.ThetaLength) throw new ArgumentException($"θ has {theta.Count} elements; the model has {design.ThetaLength}");
        return LmmFitter.AtTheta(new LmmWorkspace(design, reml), [.. theta]);
    }

    /// <summary>The same model refitted by maximum likelihood (or by REML), e.g. before a likelihood-ratio test.</summary>
    public LinearMixedModel Refit(bool reml, FitOptions? options = null) =>
        Fit(Design, (options ?? new FitOptions()) with { Reml = reml, InitialTheta = _theta });
}

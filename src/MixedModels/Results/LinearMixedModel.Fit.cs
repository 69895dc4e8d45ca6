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
        var ws = new LmmWorkspace(design, options.Reml);
        return Create(ws, LmmFitter.Fit(ws, options));
    }

    /// <summary>Fits a model by optimizing the objective of an existing workspace (its REML setting decides the criterion).</summary>
    public static LinearMixedModel Fit(LmmWorkspace workspace, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        return Create(workspace, LmmFitter.Fit(workspace, (options ?? new FitOptions()) with { Reml = workspace.Reml }));
    }

    /// <summary>
    /// The model evaluated at a given θ without optimizing (to reproduce another program's estimates, or for
    /// inference at fixed covariance parameters).
    /// </summary>
    public static LinearMixedModel AtTheta(ModelDesign design, IReadOnlyList<double> theta, bool reml = true)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(theta);
        if (theta.Count != design.ThetaLength) throw new ArgumentException($"θ has {theta.Count} elements; the model has {design.ThetaLength}");
        var ws = new LmmWorkspace(design, reml);
        return Create(ws, LmmFitter.AtTheta(ws, [.. theta]));
    }

    /// <summary>The same model refitted by maximum likelihood (or by REML), e.g. before a likelihood-ratio test.</summary>
    public LinearMixedModel Refit(bool reml, FitOptions? options = null) =>
        Fit(Design, (options ?? new FitOptions()) with { Reml = reml, InitialTheta = _theta });

    /// <summary>The fitted model from a workspace left at the optimum θ and the optimizer's outcome.</summary>
    private static LinearMixedModel Create(LmmWorkspace ws, LmmFit fit)
    {
        var design = ws.Design;
        var opt = fit.Optimization;
        bool reml = ws.Reml;
        double sigma = Math.Sqrt(ws.SigmaSquared());
        var beta = ws.Beta();
        var unscaled = ws.UnscaledCovariance();
        int p = beta.Length;
        var vcov = new double[p, p];
        for (int i = 0; i < p; i++)
            for (int j = 0; j < p; j++) vcov[i, j] = sigma * sigma * unscaled[i, j];
        var modes = ws.ConditionalModes();
        double[] fitted = design.IsAggregated ? [] : ws.Fitted();
        double devianceMl = ws.CurrentObjective(reml: false);
        return new LinearMixedModel(design, reml, opt.X, sigma, beta, vcov, modes, opt.Value, devianceMl, fitted, opt, fit.Singular, fit.Warnings);
    }
}

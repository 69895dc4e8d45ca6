using MixedModels.Design;
using MixedModels.Estimation;

namespace MixedModels.Structures;

/// <summary>The optimum of a structured fit: θ̂, the structures' parameters (unconstrained), the optimizer's outcome.</summary>
internal sealed record StructuredFit(double[] Theta, double[] Structure, OptimizationResult Optimization, int Iterations, List<string> Warnings);

/// <summary>
/// Optimizes θ and the structures' parameters of a <see cref="StructuredObjective"/> jointly with BOBYQA (β and σ
/// profiled out). A variance function of the fitted values is handled as nlme does: the fitted values are held
/// fixed while optimizing, then updated from the fit, until the parameters settle.
/// </summary>
internal static class StructuredFitter
{
    public static StructuredFit Fit(StructuredObjective objective, ModelDesign design, double[] thetaStart, double[] structureStart, double[] fittedStart,
        BobyqaOptions? options = null, int maxIterations = 50, bool[]? fixedStructure = null)
    {
        int k = objective.ThetaLength;
        int s = structureStart.Length;
        fixedStructure ??= new bool[s];
        // The optimizer sees θ and the structures' parameters not held fixed (nlme's fixed =).
        int[] free = [.. Enumerable.Range(0, k), .. Enumerable.Range(0, s).Where(i => !fixedStructure[i]).Select(i => k + i)];
        var names = free.Skip(k).Select(i => $"structure[{i - k + 1}]").ToArray();
        var map = ParameterMap.Theta(design).WithUnbounded(names);
        var settings = options ?? new BobyqaOptions { FinalRadius = 1e-8 };
        fittedStart.CopyTo(objective.Fitted, 0);
        // The optimizer's θ is relative to σ times the variance function's geometric mean (StructuredObjective.LogScale).
        double Scale(double[] v) => objective.LogScale(v.AsSpan(k + objective.CorrelationLength));
        double[] x = [.. thetaStart, .. structureStart];
        RescaleTheta(x, k, -Scale(x));
        var warnings = new List<string>();
        OptimizationResult opt = new(x, double.NaN, 0, OptimizationStatus.Converged);
        int evaluations = 0, iterations = 0;
        bool needsFitted = objective.NeedsFitted;
        for (; iterations < (needsFitted ? maxIterations : 1); iterations++)
        {
            var full = (double[])x.Clone();
            double Objective(ReadOnlySpan<double> z)
            {
                for (int j = 0; j < free.Length; j++) full[free[j]] = z[j];
                return objective.Evaluate(full);
            }
            opt = free.Length == 0
                ? new OptimizationResult(x, objective.Evaluate(x), 1, OptimizationStatus.Converged)
                : new BobyqaOptimizer(iterations == 0 ? settings : settings with { InitialRadius = Math.Min(settings.InitialRadius, 0.1) })
                    .Minimize(Objective, free.Select(i => x[i]).ToArray(), map);
            evaluations += opt.Evaluations;
            if (opt.Status == OptimizationStatus.InvalidObjective)
                throw new ModelException("the objective cannot be evaluated at the starting values of the correlation and variance parameters");
            var next = (double[])x.Clone();
            if (free.Length > 0) for (int j = 0; j < free.Length; j++) next[free[j]] = opt.X[j];
            double change = 0;
            for (int i = 0; i < x.Length; i++) change = Math.Max(change, Math.Abs(next[i] - x[i]) / (1 + Math.Abs(x[i])));
            x = next;
            if (!needsFitted) break;
            var updated = objective.FittedAt(x);
            double fittedChange = 0;
            for (int i = 0; i < updated.Length; i++)
                fittedChange = Math.Max(fittedChange, Math.Abs(updated[i] - objective.Fitted[i]) / (1 + Math.Abs(updated[i])));
            double before = Scale(x);
            updated.CopyTo(objective.Fitted, 0);
            RescaleTheta(x, k, before - Scale(x));
            if (iterations > 0 && change < 1e-6 && fittedChange < 1e-7) break;
        }
        if (needsFitted && iterations >= maxIterations)
            warnings.Add($"the fitted values of the variance function did not settle in {maxIterations} iterations (nlme's alternating updates)");
        if (opt.Status != OptimizationStatus.Converged) warnings.Add($"optimizer (bobyqa): {opt.Message}");
        // Final value at the settled fitted values.
        double value = objective.Evaluate(x);
        var theta = x[..k];
        RescaleTheta(theta, k, Scale(x));
        return new StructuredFit(theta, x[k..], opt with { X = x, Value = value, Evaluations = evaluations }, iterations + 1, warnings);
    }

    /// <summary>Multiplies the first <paramref name="k"/> elements (θ) by exp(<paramref name="logFactor"/>).</summary>
    private static void RescaleTheta(double[] x, int k, double logFactor)
    {
        double f = Math.Exp(logFactor);
        for (int i = 0; i < k; i++) x[i] *= f;
    }

    /// <summary>Xβ + Σ Z b on <paramref name="design"/>'s own rows (b in the terms' internal coordinates, as the workspace gives them).</summary>
    public static double[] Fitted(ModelDesign design, ReadOnlySpan<double> beta, double[][] modes)
    {
        int n = design.Observations, p = design.X.Columns;
        var fitted = new double[n];
        var x = design.X.Data;
        for (int c = 0; c < p; c++)
            for (int i = 0; i < n; i++) fitted[i] += beta[c] * x[c * n + i];
        var terms = design.TermsArray;
        for (int j = 0; j < terms.Length; j++)
        {
            int d = terms[j].Dimension;
            var z = terms[j].ZArray;
            var codes = terms[j].CodesArray;
            for (int i = 0; i < n; i++)
                for (int b = 0; b < d; b++) fitted[i] += z[i * d + b] * modes[j][codes[i] * d + b];
        }
        return fitted;
    }
}

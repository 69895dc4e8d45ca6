using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Profile-likelihood confidence intervals (lme4's <c>confint(method = "profile")</c>): the model is refitted by ML;
/// for each parameter (standard deviations and correlations of the random effects, σ, and each fixed effect) the
/// deviance is minimized over all other parameters at fixed values of it, and the limits are where the profiled
/// deviance exceeds its minimum by the χ²₁ quantile. lme4 interpolates a spline through profile points; here the
/// limits are found directly by root-finding on the profiled deviance.
/// </summary>
public static class ProfileLikelihood
{
    /// <summary>
    /// Intervals for every parameter, variance parameters first, then the fixed effects; <paramref name="progress"/>
    /// hears the number of parameters done.
    /// </summary>
    public static IReadOnlyList<ConfidenceInterval> Intervals(LinearMixedModel model, double level = 0.95, IProgress<int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Level.Check(level);
        var ml = model.Reml ? model.Refit(reml: false) : model;
        double target = ml.Objective + Probability.ChiSquareQuantile(level, 1);
        var result = new List<ConfidenceInterval>();
        cancellation.ThrowIfCancellationRequested();
        foreach (var ci in VarianceIntervals(ml, target).Concat(FixedIntervals(ml, target)))
        {
            cancellation.ThrowIfCancellationRequested();
            result.Add(ci);
            progress?.Report(result.Count);
        }
        return result.AsReadOnly();
    }

    /// <summary>The number of parameters <see cref="Intervals"/> profiles (for a progress display).</summary>
    public static int ParameterCount(LinearMixedModel model) => model.Theta.Count + 1 + model.FixedEffects.Count;

    private static IEnumerable<ConfidenceInterval> VarianceIntervals(LinearMixedModel ml, double target)
    {
        var design = ml.Design;
        var ws = new LmmWorkspace(design, reml: false);
        int n = design.Observations;
        var kinds = VarianceScale.Kinds(design);
        var names = VarianceScale.Names(design);
        // Profiled in the fit's own coordinates (a centred term's internal columns: well conditioned); a parameter that
        // differs in the data's coordinates (a centred term's intercept SD and correlations) is reported without interval.
        var best = VarianceScale.FromTheta(design, ml.Theta, ml.Sigma, original: false);
        var reported = VarianceScale.FromTheta(design, ml.Theta, ml.Sigma);
        var invariant = VarianceScale.Invariant(design);
        int np = best.Length;
        var scale = best.Select((v, i) => kinds[i] == 1 ? 1.0 : Math.Max(v, 1e-3 * ml.Sigma)).ToArray();
        var theta = new double[design.ThetaLength];

        double Deviance(ReadOnlySpan<double> sv)
        {
            if (!VarianceScale.ToTheta(design, sv, theta, out double sigma, original: false)) return double.MaxValue;
            ws.SetTheta(theta);
            return ws.LogDetZ + ws.PenalizedRss / (sigma * sigma) + n * Math.Log(2 * Math.PI * sigma * sigma);
        }

        for (int i = 0; i < np; i++)
        {
            if (!invariant[i])
            {
                yield return new ConfidenceInterval(names[i], reported[i], double.NaN, double.NaN);
                continue;
            }
            var others = Enumerable.Range(0, np).Where(j => j != i).ToArray();
            var warm = others.Select(j => best[j] / scale[j]).ToArray();
            var full = new double[np];
            double Profiled(double v)
            {
                if (others.Length == 0) { full[i] = v; return Deviance(full); }
                // SDs ≥ 0, correlations in [−1, 1], σ > 0, each in units of its estimate.
                var map = ParameterMap.Bounded(others.Select(j => kinds[j] == 1 ? -1.0 : kinds[j] == 2 ? 1e-6 : 0.0).ToArray(),
                    others.Select(j => kinds[j] == 1 ? 1.0 : double.PositiveInfinity).ToArray());
                var start = map.Clamp(warm);
                var opt = new BobyqaOptimizer(new BobyqaOptions { InitialRadius = 0.2, FinalRadius = 1e-8 }).Minimize(u =>
                {
                    for (int k = 0; k < others.Length; k++) full[others[k]] = u[k] * scale[others[k]];
                    full[i] = v;
                    return Deviance(full);
                }, start, map);
                warm = opt.X;
                return opt.Value;
            }
            double lowerBound = kinds[i] == 1 ? -1 : 0;
            double upperBound = kinds[i] == 1 ? 1 : double.PositiveInfinity;
            double step = kinds[i] == 1 ? 0.1 : 0.2 * Math.Max(best[i], 0.05 * ml.Sigma);
            warm = others.Select(j => best[j] / scale[j]).ToArray();
            double lo = Limit(Profiled, best[i], -step, lowerBound, target, ml.Objective);
            warm = others.Select(j => best[j] / scale[j]).ToArray();
            double hi = Limit(Profiled, best[i], step, upperBound, target, ml.Objective);
            yield return new ConfidenceInterval(names[i], best[i], lo, hi);
        }
    }

    private static IEnumerable<ConfidenceInterval> FixedIntervals(LinearMixedModel ml, double target)
    {
        var design = ml.Design;
        var y = design.Response.ToArray();
        var off = design.Offset.ToArray();
        var map = ParameterMap.Theta(design);
        var tight = new BobyqaOptimizer(new BobyqaOptions { FinalRadius = 1e-8 });
        for (int k = 0; k < ml.FixedEffects.Count; k++)
        {
            var fe = ml.FixedEffects[k];
            var reduced = design.WithoutFixedColumn(k);
            var ws = new LmmWorkspace(reduced, reml: false);
            var xk = design.X.Column(k).ToArray();
            var work = new double[y.Length];
            var warm = ml.Theta.ToArray();
            double Profiled(double v)
            {
                for (int i = 0; i < work.Length; i++) work[i] = y[i] - (off.Length == 0 ? 0 : off[i]) - v * xk[i];
                ws.SetWorkingResponse(work);
                if (map.Length == 0) return ws.Objective([]);
                var opt = tight.Minimize(ws.Objective, warm, map);
                warm = opt.X;
                return opt.Value;
            }
            double step = 2 * fe.StandardError;
            warm = ml.Theta.ToArray();
            double lo = Limit(Profiled, fe.Estimate, -step, double.NegativeInfinity, target, ml.Objective);
            warm = ml.Theta.ToArray();
            double hi = Limit(Profiled, fe.Estimate, step, double.PositiveInfinity, target, ml.Objective);
            yield return new ConfidenceInterval(fe.Name, fe.Estimate, lo, hi);
        }
    }

    /// <summary>
    /// Walks from the estimate in steps (doubling) until the profiled deviance passes the target or the bound is
    /// reached (then the bound is the limit), and refines the crossing with Brent's method.
    /// </summary>
    private static double Limit(Func<double, double> profiled, double estimate, double step, double bound, double target, double minimum)
    {
        double a = estimate, fa = minimum - target;
        for (int iter = 0; iter < 60; iter++)
        {
            double b = a + step;
            bool atBound = step < 0 ? b <= bound : b >= bound;
            if (atBound) b = bound;
            double fb = profiled(b) - target;
            if (fb >= 0)
                return RootFinding.Brent(v => profiled(v) - target, a, b, fa, fb, 1e-9 * Math.Max(Math.Abs(estimate), Math.Abs(step)));
            if (atBound) return bound;
            a = b;
            fa = fb;
            step *= 2;
        }
        return double.NaN;
    }
}

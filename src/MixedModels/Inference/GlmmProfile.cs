using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Profile-likelihood intervals of a generalized linear mixed model (lme4's <c>confint(m, method = "profile")</c>):
/// for each random-effects SD and correlation (lme4's order) and each fixed effect, the Laplace (or quadrature)
/// criterion is minimized over all other parameters with that one held, ζ(v) = sign(v − v̂)·√(dev(v) − dev(v̂)), and the
/// limits are where ζ = ∓z (Brent's method on the profile). The variance parameters are profiled on lme4's scale —
/// SDs (θ times σ for a family with a dispersion, σ held at its estimate) and correlations — so vector-valued terms get
/// intervals too; an SD's lower limit is 0 and a correlation's limits ±1 where the profile does not reach z before
/// the boundary. A centred term's intercept SD and correlations (not the same quantity in the data's coordinates) are
/// left without interval, as for linear models.
/// </summary>
public static class GlmmProfile
{
    /// <summary>The intervals, the random-effect SDs and correlations first (lme4's order), then the fixed effects.</summary>
    public static IReadOnlyList<ConfidenceInterval> Intervals(GeneralizedLinearMixedModel model, double level = 0.95, IProgress<int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Level.Check(level);
        if (model.Nagq == 0) throw new ModelException("profile intervals need the Laplace (or quadrature) criterion; refit with nAGQ >= 1");
        var design = model.Design;
        var ws = new GlmmWorkspace(design, model.Family, model.Nagq);
        int t = design.ThetaLength, p = model.FixedEffects.Count;
        var kinds = VarianceScale.Kinds(design);
        var names = VarianceScale.Names(design);
        var internalScale = VarianceScale.FromTheta(design, model.Theta, model.Sigma, original: false);
        var reported = VarianceScale.FromTheta(design, model.Theta, model.Sigma);
        var invariant = VarianceScale.Invariant(design);
        int nv = internalScale.Length - 1;   // σ is not a parameter of the Laplace criterion
        var best = internalScale.Take(nv).Concat(model.FixedEffects.Select(f => f.Estimate)).ToArray();
        var scale = best.Select((v, i) => i >= nv ? model.FixedEffects[i - nv].StandardError : kinds[i] == 1 ? 1.0 : Math.Max(v, 1e-3)).ToArray();
        var lower = best.Select((_, i) => i >= nv ? double.NegativeInfinity : kinds[i] == 1 ? -1.0 : 0.0).ToArray();
        var upper = best.Select((_, i) => i < nv && kinds[i] == 1 ? 1.0 : double.PositiveInfinity).ToArray();
        var sv = new double[nv + 1];
        sv[nv] = model.Sigma;
        var full = new double[t + p];
        double Deviance(double[] q)
        {
            Array.Copy(q, sv, nv);
            if (!VarianceScale.ToTheta(design, sv, full.AsSpan(0, t), out _, original: false)) return double.MaxValue;
            Array.Copy(q, nv, full, t, p);
            return ws.Laplace(full);
        }
        ws.LaplaceJoint(model.Theta.ToArray());
        double dev0 = Deviance(best);
        double z = Probability.NormalQuantile(0.5 + level / 2);
        var result = new List<ConfidenceInterval>();
        for (int k = 0; k < best.Length; k++)
        {
            cancellation.ThrowIfCancellationRequested();
            string name = k < nv ? names[k] : model.FixedEffects[k - nv].Name;
            if (k < nv && !invariant[k]) result.Add(new ConfidenceInterval(name, reported[k], double.NaN, double.NaN));
            else
            {
                var (lo, hi) = Limits(Deviance, best, scale, lower, upper, k, dev0, z);
                result.Add(new ConfidenceInterval(name, best[k], lo, hi));
            }
            progress?.Report(result.Count);
        }
        return result.AsReadOnly();
    }

    /// <summary>The number of parameters <see cref="Intervals"/> profiles (for a progress display).</summary>
    public static int ParameterCount(GeneralizedLinearMixedModel model) => model.Theta.Count + model.FixedEffects.Count;

    /// <summary>Both limits of parameter k: where the profile ζ crosses −z and +z, or the parameter's bound.</summary>
    private static (double Lower, double Upper) Limits(Func<double[], double> deviance, double[] best, double[] scale, double[] lower, double[] upper,
        int k, double dev0, double z)
    {
        var others = Enumerable.Range(0, best.Length).Where(i => i != k).ToArray();
        var otherMap = ParameterMap.Bounded(others.Select(i => lower[i] / scale[i]).ToArray(), others.Select(i => upper[i] / scale[i]).ToArray());
        var optimizer = new BobyqaOptimizer(new BobyqaOptions { InitialRadius = 0.05, FinalRadius = 1e-7 });
        var full = new double[best.Length];
        var warm = others.Select(i => best[i] / scale[i]).ToArray();
        double Zeta(double v)
        {
            double dev;
            if (others.Length == 0) { full[k] = v; dev = deviance(full); }
            else
            {
                var opt = optimizer.Minimize(u =>
                {
                    for (int a = 0; a < others.Length; a++) full[others[a]] = u[a] * scale[others[a]];
                    full[k] = v;
                    return deviance(full);
                }, otherMap.Clamp(warm), otherMap);
                dev = opt.Value;
                // A warm start from the previous point can stall far from the profile (a correlation pushed to its
                // bound, a diverged mode): the optimization from the estimates is tried too and the lower kept.
                {
                    var cold = optimizer.Minimize(u =>
                    {
                        for (int a = 0; a < others.Length; a++) full[others[a]] = u[a] * scale[others[a]];
                        full[k] = v;
                        return deviance(full);
                    }, otherMap.Clamp(others.Select(i => best[i] / scale[i]).ToArray()), otherMap);
                    if (cold.Value < dev) { dev = cold.Value; opt = cold; }
                }
                warm = opt.X;
            }
            return Math.Sign(v - best[k]) * Math.Sqrt(Math.Max(0, dev - dev0));
        }
        bool variance = !double.IsNegativeInfinity(lower[k]);
        double step = best[k] == 0 ? 0.1 : scale[k] * (variance && upper[k] != 1 ? Math.Max(0.5 * Math.Abs(best[k]) / scale[k], 0.05) : variance ? 0.1 : 1);
        double Side(int sign)
        {
            warm = others.Select(i => best[i] / scale[i]).ToArray();
            double bound = sign < 0 ? lower[k] : upper[k];
            double target = sign * z;
            double a = best[k], fa = -target;
            double b = best[k] + sign * step * z, fb;
            for (int i = 0; ; i++)
            {
                if (sign * (b - bound) >= 0)
                {
                    b = bound;
                    fb = Zeta(b) - target;
                    if (sign * fb < 0) return bound;   // the profile does not reach z before the boundary
                    break;
                }
                fb = Zeta(b) - target;
                if (Math.Sign(fb) != Math.Sign(fa) || fb == 0) break;
                if (i > 40) return double.NaN;
                a = b; fa = fb;
                b = best[k] + sign * (Math.Abs(b - best[k]) * 2);
            }
            return RootFinding.Brent(v => Zeta(v) - target, a, b, fa, fb, 1e-6 * Math.Max(1, Math.Abs(best[k])));
        }
        return (Side(-1), Side(+1));
    }
}

using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// Profile-likelihood intervals of a generalized linear mixed model (lme4's <c>confint(m, method = "profile")</c>):
/// for each fixed effect, and for the SD of each scalar random-effects term, the Laplace (or quadrature) criterion
/// minimized over all other parameters with that one held gives ζ(v) = sign(v − v̂)·√(dev(v) − dev(v̂)); the limits
/// are where ζ = ∓z (Brent's method on the profile). The SD's lower limit is 0 where the profile does not reach −z
/// before the boundary. The SDs and correlations of vector-valued terms are not profiled here (their rows carry NaN).
/// </summary>
public static class GlmmProfile
{
    /// <summary>The intervals, the random-effect SDs first (lme4's order), then the fixed effects.</summary>
    public static IReadOnlyList<ConfidenceInterval> Intervals(GeneralizedLinearMixedModel model, double level = 0.95, IProgress<int>? progress = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Level.Check(level);
        if (model.Nagq == 0) throw new ModelException("profile intervals need the Laplace (or quadrature) criterion; refit with nAGQ >= 1");
        var design = model.Design;
        var ws = new GlmmWorkspace(design, model.Family, model.Nagq);
        int t = design.ThetaLength, p = model.FixedEffects.Count;
        var best = model.Theta.Concat(model.FixedEffects.Select(f => f.Estimate)).ToArray();
        var scale = Enumerable.Repeat(1.0, t).Concat(model.FixedEffects.Select(f => f.StandardError)).ToArray();
        var map = ParameterMap.Theta(design).WithUnbounded(design.X.ColumnNames);
        ws.LaplaceJoint(model.Theta.ToArray());
        double dev0 = ws.Laplace(best);
        double z = Probability.NormalQuantile(0.5 + level / 2);
        var names = VarianceScale.Names(design);
        var result = new List<ConfidenceInterval>();
        int done = 0;
        int th = 0;
        foreach (var term in design.RandomTerms)
        {
            int len = term.ThetaLength;
            for (int e = 0; e < len; e++, th++)
            {
                if (term.Dimension == 1)
                {
                    var (lo, hi) = Limits(ws, best, scale, map, th, dev0, z, lowerBound: 0);
                    result.Add(new ConfidenceInterval(names[th], best[th] * model.Sigma, lo * model.Sigma, hi * model.Sigma));
                }
                else result.Add(new ConfidenceInterval(names[th], double.NaN, double.NaN, double.NaN));
                progress?.Report(++done);
                cancellation.ThrowIfCancellationRequested();
            }
        }
        for (int j = 0; j < p; j++)
        {
            var (lo, hi) = Limits(ws, best, scale, map, t + j, dev0, z, lowerBound: double.NegativeInfinity);
            result.Add(new ConfidenceInterval(model.FixedEffects[j].Name, best[t + j], lo, hi));
            progress?.Report(++done);
            cancellation.ThrowIfCancellationRequested();
        }
        return result.AsReadOnly();
    }

    /// <summary>The number of parameters <see cref="Intervals"/> profiles (for a progress display).</summary>
    public static int ParameterCount(GeneralizedLinearMixedModel model) => model.Theta.Count + model.FixedEffects.Count;

    /// <summary>Both limits of parameter k: where the profile ζ crosses −z and +z.</summary>
    private static (double Lower, double Upper) Limits(GlmmWorkspace ws, double[] best, double[] scale, ParameterMap map, int k,
        double dev0, double z, double lowerBound)
    {
        var others = Enumerable.Range(0, best.Length).Where(i => i != k).ToArray();
        var otherMap = ParameterMap.Bounded(others.Select(i => map.Lower[i] / scale[i]).ToArray(), others.Select(i => map.Upper[i] / scale[i]).ToArray());
        var optimizer = new BobyqaOptimizer(new BobyqaOptions { InitialRadius = 0.05, FinalRadius = 1e-7 });
        var full = new double[best.Length];
        var warm = others.Select(i => best[i] / scale[i]).ToArray();
        double Zeta(double v)
        {
            double dev;
            if (others.Length == 0) { full[k] = v; dev = ws.Laplace(full); }
            else
            {
                var opt = optimizer.Minimize(u =>
                {
                    for (int a = 0; a < others.Length; a++) full[others[a]] = u[a] * scale[others[a]];
                    full[k] = v;
                    return ws.Laplace(full);
                }, otherMap.Clamp(warm), otherMap);
                warm = opt.X;
                dev = opt.Value;
            }
            return Math.Sign(v - best[k]) * Math.Sqrt(Math.Max(0, dev - dev0));
        }
        double step = best[k] == 0 ? 0.1 : scale[k] * (k < map.ThetaLength ? Math.Max(0.5 * Math.Abs(best[k]), 0.05) : 1);
        double Side(int sign)
        {
            warm = others.Select(i => best[i] / scale[i]).ToArray();
            double target = sign * z;
            double a = best[k], fa = -target;
            double b = best[k] + sign * step * z, fb;
            for (int i = 0; ; i++)
            {
                if (sign < 0 && b <= lowerBound)
                {
                    b = lowerBound;
                    fb = Zeta(b) - target;
                    if (fb > 0) return lowerBound;
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

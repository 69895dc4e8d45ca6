using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MixedModels.Families;

/// <summary>
/// The PIRLS inner loop for the two canonical links that almost every GLMM uses, four observations at a time with
/// vectorized exp and log: the logit (binomial) and the log (Poisson). For the logit, with e = exp(η): μ = e/(1 + e),
/// dμ/dη = V(μ) = e/(1 + e)², so the working weight is w·dμ/dη, and for a 0/1 response the deviance residual is
/// 2w(log(1 + e) − yη) — one logarithm. Observations outside the vector path's range (|η| &gt; 30, or a proportion
/// response) go through the family's own definitions, so the results are R's to rounding.
/// </summary>
internal static class CanonicalKernels
{
    private const double Eps = 2.220446049250313e-16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Logit(Family family, ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance)
    {
        int n = eta.Length, i = 0;
        double dev = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1.0);
            var two = Vector256.Create(2.0);
            var limit = Vector256.Create(30.0);
            var acc = Vector256<double>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var e = Vector256.Create(eta.Slice(i, 4));
                var yv = Vector256.Create(y.Slice(i, 4));
                bool binary = Vector256.EqualsAll(yv * (one - yv), Vector256<double>.Zero);
                if (!binary || Vector256.GreaterThanAny(Vector256.Abs(e), limit) || !Vector256.EqualsAll(e, e))
                {
                    dev += Fallback(family, i, 4, eta, y, prior, offset, mu, muEta, weight, response, deviance);
                    continue;
                }
                var ex = Vector256.Exp(e);
                var op = one + ex;
                var m = ex / op;
                var me = m / op;
                var w = Vector256.Create(prior.Slice(i, 4));
                m.CopyTo(mu.Slice(i, 4));
                me.CopyTo(muEta.Slice(i, 4));
                (w * me).CopyTo(weight.Slice(i, 4));
                (e - Vector256.Create(offset.Slice(i, 4)) + (yv - m) / me).CopyTo(response.Slice(i, 4));
                var d = two * w * (Vector256.Log(op) - yv * e);
                d.CopyTo(deviance.Slice(i, 4));
                acc += d;
            }
            dev += Vector256.Sum(acc);
        }
        if (i < n) dev += Fallback(family, i, n - i, eta, y, prior, offset, mu, muEta, weight, response, deviance);
        return dev;
    }

    /// <summary>Observations [start, start + count) by the family's definitions (R's formulas, with R's safeguards).</summary>
    private static double Fallback(Family family, int start, int count, ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior,
        ReadOnlySpan<double> offset, Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance) =>
        family.UpdateWorkingByDefinition(eta.Slice(start, count), y.Slice(start, count), prior.Slice(start, count), offset.Slice(start, count),
            mu.Slice(start, count), muEta.Slice(start, count), weight.Slice(start, count), response.Slice(start, count), deviance.Slice(start, count));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Log(Family family, ReadOnlySpan<double> eta, ReadOnlySpan<double> y, ReadOnlySpan<double> prior, ReadOnlySpan<double> offset,
        Span<double> mu, Span<double> muEta, Span<double> weight, Span<double> response, Span<double> deviance)
    {
        int n = eta.Length, i = 0;
        double dev = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var two = Vector256.Create(2.0);
            var eps = Vector256.Create(Eps);
            var low = Vector256.Create(-30.0);
            var high = Vector256.Create(700.0);
            var acc = Vector256<double>.Zero;
            for (; i + 4 <= n; i += 4)
            {
                var e = Vector256.Create(eta.Slice(i, 4));
                if (Vector256.LessThanAny(e, low) || Vector256.GreaterThanAny(e, high) || !Vector256.EqualsAll(e, e))
                {
                    dev += Fallback(family, i, 4, eta, y, prior, offset, mu, muEta, weight, response, deviance);
                    continue;
                }
                var m = Vector256.Max(Vector256.Exp(e), eps);
                var yv = Vector256.Create(y.Slice(i, 4));
                var w = Vector256.Create(prior.Slice(i, 4));
                m.CopyTo(mu.Slice(i, 4));
                m.CopyTo(muEta.Slice(i, 4));
                (w * m).CopyTo(weight.Slice(i, 4));
                (e - Vector256.Create(offset.Slice(i, 4)) + (yv - m) / m).CopyTo(response.Slice(i, 4));
                // y log(y/μ) − (y − μ) with 0·log 0 = 0: log(max(y, ε)) is finite and multiplied by y.
                var ylogy = yv * (Vector256.Log(Vector256.Max(yv, eps)) - e);
                var d = two * w * (ylogy - (yv - m));
                d.CopyTo(deviance.Slice(i, 4));
                acc += d;
            }
            dev += Vector256.Sum(acc);
        }
        if (i < n) dev += Fallback(family, i, n - i, eta, y, prior, offset, mu, muEta, weight, response, deviance);
        return dev;
    }
}

using MixedModels.Design;
using MixedModels.LinearAlgebra;

namespace MixedModels.Estimation;

/// <summary>How the optimizer's starting θ is chosen.</summary>
public enum StartMethod
{
    /// <summary>
    /// Moment estimates (default): from the residuals of the fixed-effects fit, each term's covariance is estimated
    /// from per-group least-squares coefficients (their spread less their sampling variance), sweeping the terms from
    /// the coarsest grouping to the finest and removing each term's shrunken group effects before the next.
    /// </summary>
    Moments,
    /// <summary>lme4's start: 1 for every diagonal element of each relative covariance factor, 0 elsewhere.</summary>
    Unit,
}

/// <summary>
/// Starting values of θ by the method of moments. A good start lets the optimizer begin with a small trust region
/// and saves most of the evaluations lme4 spends walking from θ = 1 (insteval: 39 instead of 137). The optimizer
/// still finds the optimum of the same objective; the start only shortens the way there.
/// </summary>
internal static class StartingValues
{
    /// <summary>Sweeps over the terms (the first is from the fixed-effects residuals alone, the second refines it).</summary>
    private const int Sweeps = 2;

    /// <summary>Added to the diagonal of Σ/σ² before factoring, so that a start is never exactly on the boundary.</summary>
    private const double Ridge = 1e-2;

    /// <summary>
    /// Moment estimates of θ from the residuals of the fixed-effects fit (the workspace's least squares, without an
    /// evaluation at θ = 0, whose dense blocks would cost a full factorization: insteval's 11 ms). Terms for
    /// which too few groups have more observations than the term has columns keep lme4's start; so does everything
    /// when the estimates are not finite.
    /// </summary>
    public static double[] Moments(LmmWorkspace ws)
    {
        var design = ws.Design;
        var start = design.InitialTheta();
        int n = design.Observations, k = design.RandomTerms.Count;
        if (k == 0 || n == 0 || design.IsAggregated) return start;
        var r = ws.FixedEffectsResiduals();
        if (r is null)
        {
            ws.Objective(new double[design.ThetaLength]);
            var fitted = ws.Fitted();
            var y = design.Response;
            r = new double[n];
            for (int i = 0; i < n; i++) r[i] = y[i] - fitted[i];
        }
        var effects = new double[k][];
        var sigma = new double[k][,];
        var groups = new GroupSums?[k];
        double s2 = double.NaN;
        // With one term the second sweep would start from the same residuals: one sweep is the same estimate.
        int sweeps = k == 1 ? 1 : Sweeps;
        for (int sweep = 0; sweep < sweeps; sweep++)
            for (int j = k - 1; j >= 0; j--)
            {
                // Terms come sorted by decreasing number of levels: from the last (coarsest) to the first.
                var term = design.RandomTerms[j];
                effects[j] ??= new double[term.RandomEffectCount];
                AddEffects(term, effects[j], r, +1);
                var sums = groups[j] ??= new GroupSums(term);
                sums.Residuals(term, r);
                var estimate = TermMoments(term, sums, r.Length);
                if (estimate is { } e)
                {
                    sigma[j] = e.Sigma;
                    s2 = e.WithinVariance;
                    Shrink(term, sums, e.Sigma, e.WithinVariance, effects[j]);
                }
                else Array.Clear(effects[j]);
                AddEffects(term, effects[j], r, -1);
            }
        if (!(s2 > 0) || !double.IsFinite(s2)) return start;
        int offset = 0;
        for (int j = 0; j < k; j++)
        {
            var term = design.RandomTerms[j];
            if (sigma[j] is { } s && FactorRelative(s, s2, term.ColumnRms(design.Observations)) is { } t)
            {
                int idx = offset;
                int d = term.Dimension;
                for (int c = 0; c < d; c++)
                    for (int row = c; row < d; row++) start[idx++] = t[row, c];
            }
            offset += term.ThetaLength;
        }
        return start.All(double.IsFinite) ? start : design.InitialTheta();
    }

    /// <summary>r ± Z b for a term's group effects b (levels × columns).</summary>
    private static void AddEffects(RandomEffectsTerm term, double[] b, double[] r, int sign)
    {
        int d = term.Dimension;
        var z = term.Z;
        var codes = term.Codes;
        for (int i = 0; i < r.Length; i++)
        {
            double s = 0;
            int g = codes[i] * d;
            for (int a = 0; a < d; a++) s += z[i * d + a] * b[g + a];
            r[i] += sign * s;
        }
    }

    /// <summary>
    /// Per-group sums of a term: Z_g'Z_g and the counts (fixed, computed once), Z_g'r and r_g'r_g (for the current
    /// residuals r, see <see cref="Residuals"/>).
    /// </summary>
    private sealed class GroupSums
    {
        public readonly double[] Ztz, Ztr, Rtr;
        public readonly int[] Count;

        public GroupSums(RandomEffectsTerm term)
        {
            int d = term.Dimension, levels = term.LevelCount;
            var z = term.Z;
            var codes = term.Codes;
            Ztz = new double[levels * d * d];
            Ztr = new double[levels * d];
            Rtr = new double[levels];
            Count = new int[levels];
            for (int i = 0; i < codes.Length; i++)
            {
                int g = codes[i];
                Count[g]++;
                var zi = z.Slice(i * d, d);
                var target = Ztz.AsSpan(g * d * d, d * d);
                for (int a = 0; a < d; a++)
                {
                    double za = zi[a];
                    for (int b = 0; b < d; b++) target[a * d + b] += za * zi[b];
                }
            }
        }

        /// <summary>Z_g'r and r_g'r_g for every group g.</summary>
        public void Residuals(RandomEffectsTerm term, double[] r)
        {
            int d = term.Dimension;
            var z = term.Z;
            var codes = term.Codes;
            Array.Clear(Ztr);
            Array.Clear(Rtr);
            for (int i = 0; i < r.Length; i++)
            {
                int g = codes[i];
                double ri = r[i];
                Rtr[g] += ri * ri;
                for (int a = 0; a < d; a++) Ztr[g * d + a] += z[i * d + a] * ri;
            }
        }
    }

    /// <summary>
    /// The covariance of a term's effects: the covariance of the per-group least-squares coefficients less the mean
    /// of their sampling covariances σ²_w (Z_g'Z_g)⁻¹, projected onto the positive semidefinite matrices; null when
    /// fewer than d + 1 groups have more than d observations.
    /// </summary>
    private static (double[,] Sigma, double WithinVariance)? TermMoments(RandomEffectsTerm term, GroupSums sums, int observations)
    {
        int d = term.Dimension, levels = term.LevelCount;
        var (ztz, ztr, count, rtr) = (sums.Ztz, sums.Ztr, sums.Count, sums.Rtr);
        var coefficients = new List<double[]>();
        var sampling = new double[d, d];
        double rssWithin = 0;
        long dfWithin = 0;
        var m = new double[d, d];
        for (int g = 0; g < levels; g++)
        {
            if (count[g] <= d) continue;
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) m[a, b] = ztz[(g * d + a) * d + b];
            var inverse = SmallMatrix.Inverse(m);
            if (inverse is null) continue;
            var coef = new double[d];
            double explained = 0;
            for (int a = 0; a < d; a++)
            {
                for (int b = 0; b < d; b++) coef[a] += inverse[a, b] * ztr[g * d + b];
                explained += coef[a] * ztr[g * d + a];
            }
            rssWithin += Math.Max(rtr[g] - explained, 0);
            dfWithin += count[g] - d;
            coefficients.Add(coef);
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sampling[a, b] += inverse[a, b];
        }
        int groups = coefficients.Count;
        if (groups < d + 1 || dfWithin == 0) return null;
        double s2 = rssWithin / dfWithin;
        var mean = new double[d];
        foreach (var c in coefficients) for (int a = 0; a < d; a++) mean[a] += c[a] / groups;
        var sigma = new double[d, d];
        foreach (var c in coefficients)
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++) sigma[a, b] += (c[a] - mean[a]) * (c[b] - mean[b]) / (groups - 1);
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sigma[a, b] -= s2 * sampling[a, b] / groups;
        // Projected onto the semidefinite matrices in units of the columns' RMS (Σ_ab·rms_a·rms_b): an eigenvalue
        // projection is not invariant to rescaling a column, this one is.
        var rms = term.ColumnRms(observations);
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) sigma[a, b] *= rms[a] * rms[b];
        var projected = SmallMatrix.NearestSemidefinite(sigma);
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) projected[a, b] /= rms[a] * rms[b];
        return (projected, s2);
    }

    /// <summary>The groups' shrunken effects b_g = Σ (Z_g'Z_g Σ + σ² I)⁻¹ Z_g'r (the conditional modes at these variances).</summary>
    private static void Shrink(RandomEffectsTerm term, GroupSums sums, double[,] sigma, double s2, double[] effects)
    {
        int d = term.Dimension, levels = term.LevelCount;
        var (ztz, ztr, count) = (sums.Ztz, sums.Ztr, sums.Count);
        Array.Clear(effects);
        var m = new double[d, d];
        var t = new double[d];
        for (int g = 0; g < levels; g++)
        {
            if (count[g] == 0) continue;
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    double s = a == b ? s2 : 0;
                    for (int e = 0; e < d; e++) s += ztz[(g * d + a) * d + e] * sigma[e, b];
                    m[a, b] = s;
                }
            var inverse = SmallMatrix.Inverse(m);
            if (inverse is null) continue;
            Array.Clear(t);
            for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) t[a] += inverse[a, b] * ztr[g * d + b];
            for (int a = 0; a < d; a++)
            {
                double s = 0;
                for (int b = 0; b < d; b++) s += sigma[a, b] * t[b];
                effects[g * d + a] = s;
            }
        }
    }

    /// <summary>
    /// The lower Cholesky factor of Σ/σ² + ridge·D (the relative covariance factor T), or null; D = diag(1/RMS²) of the
    /// term's columns, so the ridge is the same share of every effect's scale and the start does not depend on the
    /// units a covariate is measured in.
    /// </summary>
    private static double[,]? FactorRelative(double[,] sigma, double s2, ReadOnlySpan<double> rms)
    {
        int d = sigma.GetLength(0);
        var m = new double[d, d];
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) m[a, b] = sigma[a, b] / s2 + (a == b ? Ridge / (rms[a] * rms[a]) : 0);
        return SmallMatrix.CholeskyLower(m);
    }
}

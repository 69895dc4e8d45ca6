using MixedModels.Results;

namespace MixedModels.Diagnostics;

/// <summary>
/// nlme's <c>Variogram()</c> of a gls or lme fit with a spatial correlation structure: the semivariogram ½(rᵢ − rⱼ)²
/// of the residuals of every pair of rows within a group against their distance, collapsed into <c>nint</c> bins at
/// the distances' quantiles (each bin's mean semivariance and median distance; the smallest distance itself falls
/// outside the first bin, as R's cut() leaves it), and for Pearson or response residuals the model's semivariogram
/// σ²(nugget + (1 − nugget)(1 − ρ(d))) at 50 distances. Immutable.
/// </summary>
/// <param name="Distance">Each bin's median distance.</param>
/// <param name="Semivariance">Each bin's mean semivariance.</param>
/// <param name="Pairs">The pairs in each bin.</param>
/// <param name="ModelDistance">The distances of the model's semivariogram (empty for normalized residuals).</param>
/// <param name="ModelSemivariance">The model's semivariogram there.</param>
/// <param name="Type">The residuals.</param>
public sealed record NlmeVariogram(IReadOnlyList<double> Distance, IReadOnlyList<double> Semivariance, IReadOnlyList<int> Pairs,
    IReadOnlyList<double> ModelDistance, IReadOnlyList<double> ModelSemivariance, NlmeResidualType Type)
{
    /// <summary>The semivariogram of <paramref name="model"/>'s residuals (nlme's defaults: Pearson residuals, 20 quantile bins).</summary>
    /// <exception cref="ModelException">The model has no spatial correlation structure.</exception>
    public static NlmeVariogram Compute(NlmeModel model, NlmeResidualType type = NlmeResidualType.Pearson, int bins = 20)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var cor = model.BoundCorrelation;
        if (cor is null || cor.Distances(0) is null)
            throw new ModelException("a semivariogram needs a spatial correlation structure (corExp, corGaus, corLin, corRatio, corSpher)");
        var r = type switch
        {
            NlmeResidualType.Response => model.Residuals,
            NlmeResidualType.Normalized => model.NormalizedResiduals,
            _ => model.PearsonResiduals,
        };
        var dist = new List<double>();
        var semi = new List<double>();
        for (int g = 0; g < cor.GroupRows.Length; g++)
        {
            var rows = cor.GroupRows[g];
            var d = cor.Distances(g)!;
            int m = rows.Length;
            // R's dist() order: by column of the lower triangle.
            for (int j = 0; j < m; j++)
                for (int i = j + 1; i < m; i++)
                {
                    double diff = r[rows[i]] - r[rows[j]];
                    dist.Add(d[i * m + j]);
                    semi.Add(0.5 * diff * diff);
                }
        }
        if (dist.Count == 0) throw new ModelException("no two observations share a group: there is no pair to compute a semivariogram from");
        var unique = dist.Distinct().Order().ToArray();
        var outD = new List<double>();
        var outV = new List<double>();
        var outN = new List<int>();
        if (bins < unique.Length)
        {
            var breaks = Statistics.Quantiles(dist, [.. Enumerable.Range(0, bins + 1).Select(k => (double)k / bins)]).Distinct().ToArray();
            var members = new List<int>[breaks.Length - 1];
            for (int k = 0; k < members.Length; k++) members[k] = [];
            for (int i = 0; i < dist.Count; i++)
            {
                // cut(): (b_k, b_k+1], the lowest break itself excluded.
                int k = Array.BinarySearch(breaks, dist[i]);
                int bin = k >= 0 ? k - 1 : ~k - 1;
                if (bin >= 0 && bin < members.Length) members[bin].Add(i);
            }
            foreach (var idx in members)
            {
                outV.Add(idx.Count == 0 ? double.NaN : idx.Average(i => semi[i]));
                outD.Add(idx.Count == 0 ? double.NaN : Statistics.Quantiles(idx.Select(i => dist[i]).ToArray(), [0.5])[0]);
                outN.Add(idx.Count);
            }
        }
        else
            foreach (var u in unique)
            {
                var idx = Enumerable.Range(0, dist.Count).Where(i => dist[i] == u).ToArray();
                outV.Add(idx.Average(i => semi[i]));
                outD.Add(u);
                outN.Add(idx.Length);
            }
        double[] modelD = [], modelV = [];
        if (type != NlmeResidualType.Normalized)
        {
            double sig2 = type == NlmeResidualType.Pearson ? 1 : model.Sigma * model.Sigma;
            double lo = unique[0], hi = unique[^1];
            modelD = Enumerable.Range(0, 50).Select(k => lo + (hi - lo) * k / 49).ToArray();
            var par = model.StructureParameters[..cor.ParameterCount].ToArray();
            modelV = modelD.Select(x => sig2 * cor.Semivariogram(par, x)).ToArray();
        }
        return new NlmeVariogram(outD, outV, outN, modelD, modelV, type);
    }
}

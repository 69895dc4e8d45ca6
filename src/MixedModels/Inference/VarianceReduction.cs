using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One variance component in a base model and in an extended model.</summary>
/// <param name="Group">The term's unique name (<c>School</c>) or <c>Residual</c>.</param>
/// <param name="Term">The column (<c>(Intercept)</c>, <c>SES</c>); null for the residual.</param>
/// <param name="BaseVariance">The variance in the base model.</param>
/// <param name="ExtendedVariance">The variance in the extended model.</param>
/// <param name="ProportionExplained">(base − extended) / base: the share of the base variance the added predictors explain (negative when the variance grew).</param>
public sealed record VarianceReductionRow(string Group, string? Term, double BaseVariance, double ExtendedVariance, double ProportionExplained);

/// <summary>
/// The proportional reduction in each variance component between two nested models (Raudenbush &amp; Bryk's
/// "proportion of variance explained" at each level): for every variance present in both models — matched by
/// grouping factor and column name — and for the residual variance.
/// </summary>
public static class VarianceReduction
{
    /// <summary>Compares the variances of <paramref name="baseModel"/> with those of <paramref name="extended"/>.</summary>
    public static IReadOnlyList<VarianceReductionRow> Compute(LinearMixedModel baseModel, LinearMixedModel extended)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(extended);
        if (baseModel.Observations != extended.Observations)
            throw new ModelException($"the models were fitted to different numbers of observations ({baseModel.Observations} and {extended.Observations}); variances of different data are not comparable");
        var rows = new List<VarianceReductionRow>();
        foreach (var b in baseModel.VarianceComponents)
            for (int i = 0; i < b.Columns.Count; i++)
            {
                var match = extended.VarianceComponents.FirstOrDefault(e => e.Group == b.Group && e.Columns.Contains(b.Columns[i]));
                if (match is null) continue;
                double v0 = b.Variance(i), v1 = match.Variance(match.Columns.ToList().IndexOf(b.Columns[i]));
                rows.Add(new VarianceReductionRow(b.Name, b.Columns[i], v0, v1, (v0 - v1) / v0));
            }
        double s0 = baseModel.Sigma * baseModel.Sigma, s1 = extended.Sigma * extended.Sigma;
        rows.Add(new VarianceReductionRow("Residual", null, s0, s1, (s0 - s1) / s0));
        return rows.AsReadOnly();
    }
}

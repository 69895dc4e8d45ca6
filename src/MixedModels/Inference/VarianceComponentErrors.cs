using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// One variance parameter on the variance/covariance scale, in the order of lme4's <c>as.data.frame(VarCorr(m))</c>:
/// per term its variances, then its covariances; the residual variance last.
/// </summary>
/// <param name="Group">The term's unique name (<c>Subject</c>, <c>Subject.1</c>), or <c>Residual</c>.</param>
/// <param name="Term1">The column of a variance, the first column of a covariance; null for the residual.</param>
/// <param name="Term2">The second column of a covariance; null otherwise.</param>
/// <param name="Estimate">The variance or covariance.</param>
/// <param name="StandardError">Its asymptotic standard error (observed information).</param>
public sealed record VarianceParameter(string Group, string? Term1, string? Term2, double Estimate, double StandardError);

/// <summary>
/// Standard errors of the variance components from the observed information, as SAS PROC MIXED reports them (not
/// statsmodels' summary, whose errors come from its joint Hessian in β and the relative covariance: see
/// <see cref="Reporting.SummaryStyle.Statsmodels"/>):
/// the covariance of the variances and covariances γ is twice the inverse Hessian of the objective (the REML
/// criterion of a REML fit, the deviance of an ML fit) in γ. It is obtained from the Hessian in (θ, σ) that
/// Satterthwaite's method computes, by the delta method with the analytic Jacobian of γ(θ, σ) — at the optimum
/// this equals inverting the Hessian taken on the γ scale directly. On a singular fit the information is singular
/// and the standard errors of the parameters on the boundary are not meaningful (a pseudo-inverse is used).
/// </summary>
public static class VarianceComponentErrors
{
    /// <summary>The variance parameters with their standard errors.</summary>
    public static IReadOnlyList<VarianceParameter> Compute(LinearMixedModel model) =>
        Compute(model, Satterthwaite.Compute(model).VarianceParameterCovariance());

    internal static IReadOnlyList<VarianceParameter> Compute(LinearMixedModel model, double[,] covarianceThetaSigma)
    {
        var (labels, gamma, jacobian) = Parameters(model);
        int m = gamma.Length;
        var result = new List<VarianceParameter>(m);
        for (int g = 0; g < m; g++)
        {
            double v = 0;
            for (int a = 0; a < m; a++)
                for (int b = 0; b < m; b++) v += jacobian[g, a] * covarianceThetaSigma[a, b] * jacobian[g, b];
            var (group, t1, t2) = labels[g];
            result.Add(new VarianceParameter(group, t1, t2, gamma[g], Math.Sqrt(Math.Max(v, 0))));
        }
        return result.AsReadOnly();
    }

    /// <summary>Σ = M Σ' M' (M = I − e₀m') applied to every entry of Σ' and its derivative rows.</summary>
    private static (double[,][] Rows, double[,] Gamma) ToOriginal(Design.TermCentring centring, double[,][] rows, double[,] gamma, int width)
    {
        int d = gamma.GetLength(0), i0 = centring.Intercept;
        var m = centring.Means.ToArray();
        double M(int a, int a2) => (a == a2 ? 1 : 0) - (a == i0 ? m[a2] : 0);
        var outRows = new double[d, d][];
        var outGamma = new double[d, d];
        for (int a = 0; a < d; a++)
            for (int b = 0; b < d; b++)
            {
                var row = new double[width];
                double g = 0;
                for (int a2 = 0; a2 < d; a2++)
                    for (int b2 = 0; b2 < d; b2++)
                    {
                        double w = M(a, a2) * M(b, b2);
                        if (w == 0) continue;
                        g += w * gamma[a2, b2];
                        for (int e = 0; e < width; e++) row[e] += w * rows[a2, b2][e];
                    }
                outRows[a, b] = row;
                outGamma[a, b] = g;
            }
        return (outRows, outGamma);
    }

    /// <summary>γ in lme4's order with its labels, and the Jacobian ∂γ/∂(θ, σ).</summary>
    private static (List<(string, string?, string?)> Labels, double[] Gamma, double[,] Jacobian) Parameters(LinearMixedModel model)
    {
        var design = model.Design;
        int k = model.Theta.Count;
        double sigma = model.Sigma, s2 = sigma * sigma;
        var labels = new List<(string, string?, string?)>();
        var gamma = new List<double>();
        var rows = new List<double[]>();
        int offset = 0;
        for (int j = 0; j < design.RandomTerms.Count; j++)
        {
            var term = design.RandomTerms[j];
            var component = model.VarianceComponents[j];
            int d = term.Dimension;
            // T's elements and where each sits in θ.
            var t = new double[d, d];
            var index = new int[d, d];
            for (int c = 0; c < d; c++)
                for (int r = c; r < d; r++) { index[r, c] = offset; t[r, c] = model.Theta[offset++]; }
            // Σ_ab = σ² Σ_e T_ae T_be; derivative in T_rc is σ² (δ_ar T_bc + T_ac δ_br), in σ it is 2σ (TT')_ab.
            var fullRows = new double[d, d][];
            var fullGamma = new double[d, d];
            for (int a = 0; a < d; a++)
                for (int b = 0; b < d; b++)
                {
                    var row = new double[k + 1];
                    double tt = 0;
                    for (int e = 0; e < d; e++) tt += t[a, e] * t[b, e];
                    for (int c = 0; c < d; c++)
                    {
                        if (a >= c) row[index[a, c]] += s2 * t[b, c];
                        if (b >= c) row[index[b, c]] += s2 * t[a, c];
                    }
                    row[k] = 2 * sigma * tt;
                    fullRows[a, b] = row;
                    fullGamma[a, b] = s2 * tt;
                }
            // A centred term's Σ in the data's coordinates is M Σ' M', linear in Σ': so are its derivatives.
            if (term.Centring is { } centring) (fullRows, fullGamma) = ToOriginal(centring, fullRows, fullGamma, k + 1);
            var pairs = Enumerable.Range(0, d).Select(a => (a, a))
                .Concat(from c in Enumerable.Range(0, d) from r in Enumerable.Range(c + 1, d - c - 1) select (r, c));
            foreach (var (a, b) in pairs)
            {
                rows.Add(fullRows[a, b]);
                gamma.Add(fullGamma[a, b]);
                labels.Add(a == b ? (component.Name, term.ColumnNames[a], null) : (component.Name, term.ColumnNames[b], term.ColumnNames[a]));
            }
        }
        var residual = new double[k + 1];
        residual[k] = 2 * sigma;
        rows.Add(residual);
        gamma.Add(s2);
        labels.Add(("Residual", null, null));
        var jacobian = new double[rows.Count, k + 1];
        for (int g = 0; g < rows.Count; g++)
            for (int a = 0; a <= k; a++) jacobian[g, a] = rows[g][a];
        return (labels, [.. gamma], jacobian);
    }
}

using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>
/// R's <c>summary(lm(...))</c> figures for a model without random effects: OLS coefficients with t tests on n − p
/// degrees of freedom, the residual standard error, R², adjusted R² and the overall F test.
/// </summary>
/// <param name="Coefficients">OLS estimates, standard errors (σ̂² from RSS/(n−p)), t values and p-values.</param>
/// <param name="ResidualStandardError">√(RSS / (n − p)).</param>
/// <param name="ResidualDf">n − p.</param>
/// <param name="RSquared">1 − RSS/TSS (TSS about the mean when the model has an intercept).</param>
/// <param name="AdjustedRSquared">1 − (1 − R²)(n − i)/(n − p), i = 1 with an intercept.</param>
/// <param name="FStatistic">The F statistic of all terms but the intercept (NaN when there are none).</param>
/// <param name="NumeratorDf">p − i.</param>
/// <param name="FPValue">The F test's p-value.</param>
public sealed record LinearModelSummary(IReadOnlyList<TTest> Coefficients, double ResidualStandardError, int ResidualDf,
    double RSquared, double AdjustedRSquared, double FStatistic, int NumeratorDf, double FPValue)
{
    /// <summary>Computes the figures for a model without random-effects terms.</summary>
    public static LinearModelSummary Compute(LinearMixedModel model)
    {
        if (model.Design.RandomTerms.Count > 0)
            throw new ModelException("R², adjusted R² and the overall F test here are those of a linear model without random effects; use NakagawaR2 for mixed models");
        var y = model.Design.Response;
        var off = model.Design.Offset;
        int n = model.Observations, p = model.FixedEffects.Count;
        bool intercept = model.Formula.FixedTerms.Intercept;
        double rss = model.Residuals.Sum(r => r * r);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += y[i] - (off.IsEmpty ? 0 : off[i]);
        mean /= n;
        double tss = 0;
        for (int i = 0; i < n; i++)
        {
            double v = y[i] - (off.IsEmpty ? 0 : off[i]);
            tss += intercept ? (v - mean) * (v - mean) : v * v;
        }
        int rdf = n - p, dfInt = intercept ? 1 : 0;
        double sigma2 = rss / rdf;
        double r2 = 1 - rss / tss;
        double adj = 1 - (1 - r2) * (n - dfInt) / rdf;
        int ndf = p - dfInt;
        double f = ndf > 0 ? (tss - rss) / ndf / sigma2 : double.NaN;
        double fp = ndf > 0 ? Probability.FUpper(f, ndf, rdf) : double.NaN;
        // Standard errors from σ̂²_OLS (X'X)⁻¹, whatever the criterion of the fit.
        double scale = sigma2 / (model.Sigma * model.Sigma);
        var tests = model.FixedEffects.Select(fe =>
        {
            double se = fe.StandardError * Math.Sqrt(scale);
            double t = fe.Estimate / se;
            return new TTest(fe.Name, fe.Estimate, se, rdf, t, Probability.TwoSidedT(t, rdf));
        }).ToList();
        return new LinearModelSummary(tests.AsReadOnly(), Math.Sqrt(sigma2), rdf, r2, adj, f, ndf, fp);
    }
}

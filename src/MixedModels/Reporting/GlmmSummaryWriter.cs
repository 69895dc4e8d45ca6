using System.Text;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The text of lme4's <c>summary()</c> of a glmer fit: title with the approximation, family and link, formula and
/// data, AIC/BIC/logLik/deviance/df.resid, scaled (Pearson) residuals, random effects, fixed effects with z tests,
/// their correlations, and lme4's messages.
/// </summary>
internal static class GlmmSummaryWriter
{
    private const int Digits = 4;

    public static string Write(GeneralizedLinearMixedModel m)
    {
        var sb = new StringBuilder();
        string approximation = m.Nagq == 1 ? "Laplace Approximation" : $"Adaptive Gauss-Hermite Quadrature, nAGQ = {m.Nagq}";
        SummaryWriter.CatFill(sb, [.. SummaryWriter.StrWrap($"Generalized linear mixed model fit by maximum likelihood ({approximation})", TextMatrix.LineWidth - 2, exdent: 2), " [", "glmerMod", "]"], "");
        sb.Append(" Family: ").Append(m.Family.Name).Append("  ( ").Append(m.Family.Link.Name).Append(" )\n");
        SummaryWriter.CatFill(sb, ["Formula:", .. m.Formula.DeparsedLines()]);
        SummaryWriter.DataAndWeights(sb, m);
        sb.Append('\n');
        SummaryWriter.InformationCriteria(sb, m.Aic, m.Bic, m.LogLikelihood, m.MinusTwoLogLikelihood, m.ResidualDf);
        sb.Append('\n');
        SummaryWriter.ScaledResiduals(sb, m.ScaledResidualQuantiles());
        SummaryWriter.RandomEffects(sb, m.VarianceComponents, m.Family.HasDispersion ? m.Sigma : null);
        SummaryWriter.ObservationsAndGroups(sb, m);
        if (m.FixedEffects.Count > 0)
        {
            sb.Append("\nFixed effects:\n");
            int p = m.FixedEffects.Count;
            var x = new double[p, 4];
            for (int i = 0; i < p; i++)
            {
                var f = m.FixedEffects[i];
                x[i, 0] = f.Estimate;
                x[i, 1] = f.StandardError;
                x[i, 2] = f.TValue;
                x[i, 3] = Probability.TwoSidedNormal(f.TValue);
            }
            // lme4 labels the statistic "t value" for families with a dispersion, but still gives normal p-values.
            string stat = m.Family.HasDispersion ? "t value" : "z value";
            CoefficientTable.Print(sb, m.FixedEffects.Select(f => f.Name).ToArray(), ["Estimate", "Std. Error", stat, "Pr(>|z|)"], x, Digits, [0, 1], [2], hasPvalue: true);
            SummaryWriter.Correlations(sb, m);
        }
        SummaryWriter.FitMessages(sb, m);
        return sb.ToString();
    }
}

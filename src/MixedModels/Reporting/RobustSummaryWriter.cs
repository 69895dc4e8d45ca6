using System.Text;
using MixedModels.Results;
using MixedModels.Robust;

namespace MixedModels.Reporting;

/// <summary>
/// The text of robustlmm's <c>summary()</c> of an rlmer fit: title, call, scaled residuals, random effects, numbers
/// of observations and groups, fixed effects with t values, their correlations, summaries of the robustness weights
/// of the residuals and random effects, and the ψ-functions used; then rlmer's warnings.
/// </summary>
internal static class RobustSummaryWriter
{
    private const int Digits = 4;
    private const int CorrelationMaxP = 20;

    public static string Write(RobustLinearMixedModel m)
    {
        var sb = new StringBuilder();
        sb.Append("Robust linear mixed model fit by ").Append(MethodName(m.Method)).Append(" \n");
        sb.Append("Formula: ").Append(string.Join(" ", m.Formula.DeparsedLines())).Append(" \n");
        sb.Append("   Data: ").Append(m.Design.Frame.DataName).Append(" \n");
        sb.Append('\n');
        SummaryWriter.ScaledResiduals(sb, m.ScaledResidualQuantiles());
        SummaryWriter.RandomEffects(sb, m.VarianceComponents, m.Sigma);
        SummaryWriter.ObservationsAndGroups(sb, m.Observations, m.Groups, lme4Spacing: false);
        var names = m.FixedEffects.Select(f => f.Name).ToArray();
        int p = names.Length;
        if (p > 0)
        {
            sb.Append("\nFixed effects:\n");
            var x = new double[p, 3];
            for (int i = 0; i < p; i++) { x[i, 0] = m.FixedEffects[i].Estimate; x[i, 1] = m.FixedEffects[i].StandardError; x[i, 2] = m.FixedEffects[i].TValue; }
            CoefficientTable.Print(sb, names, ["Estimate", "Std. Error", "t value"], x, Digits, [0, 1], [2], zapInd: [2]);
            SummaryWriter.Correlations(sb, names, m.FixedEffectsCorrelation(), CorrelationMaxP);
        }
        sb.Append('\n');
        RobustWeightSummary.Write(sb, "Robustness weights for the residuals:", m.ResidualWeights);
        sb.Append('\n');
        RobustWeightSummary.Write(sb, "Robustness weights for the random effects:", m.RandomEffectWeights);
        sb.Append('\n');
        sb.Append("Rho functions used for fitting:\n");
        sb.Append("  Residuals:\n");
        sb.Append("    eff: ").Append(m.RhoE).Append(" \n");
        sb.Append("    sig: ").Append(m.RhoSigmaE).Append(" \n");
        for (int t = 0; t < m.TermFunctions.Count; t++)
        {
            var f = m.TermFunctions[t];
            sb.Append($"  Random Effects, variance component {t + 1} ({f.Group}):\n");
            sb.Append("    eff: ").Append(f.Effects).Append(" \n");
            sb.Append("    vcp: ").Append(f.Scale).Append(" \n");
        }
        foreach (string w in m.Warnings) sb.Append("Warning: ").Append(w).Append('\n');
        return sb.ToString();
    }

    /// <summary>robustlmm's name of the method (<c>DAStau</c>, <c>DASvar</c>).</summary>
    internal static string MethodName(RobustMethod method) => method == RobustMethod.DASTau ? "DAStau" : "DASvar";
}

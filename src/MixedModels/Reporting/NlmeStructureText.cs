using System.Text;
using MixedModels.Formatting;
using MixedModels.Inference;
using MixedModels.Results;
using MixedModels.Structures;

namespace MixedModels.Reporting;

/// <summary>
/// nlme's printing of a fit's correlation structure (<c>print.summary.corStruct</c>: "Correlation Structure: AR(1)",
/// its formula and "Parameter estimate(s):") and variance function (<c>print.summary.varFunc</c>: "Variance function:",
/// "Structure:", "Formula:", "Parameter estimates:"), as they stand in the summary of a gls or lme fit.
/// </summary>
internal static class NlmeStructureText
{
    public static string Write(NlmeModel f)
    {
        var sb = new StringBuilder();
        if (f.Options.Correlation is { } cor)
        {
            sb.Append("Correlation Structure: ").Append(cor.Description).Append('\n');
            sb.Append(" Formula: ").Append(CorrelationFormula(f, cor)).Append(" \n");
            sb.Append(" Parameter estimate(s):\n");
            var matrix = f.BoundCorrelation!.Matrix(f.StructureParameters[..f.BoundCorrelation.ParameterCount]);
            if (matrix is not null)
            {
                var names = Enumerable.Range(1, matrix.GetLength(0)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                NlmeSummaryWriter.Correlation(sb, names, matrix);
            }
            else
            {
                var pars = f.CorrelationParameters();
                TextMatrix.PrintNamedVector(sb, pars.Select(p => p.Name).ToArray(), RFormat.Format(pars.Select(p => p.Value).ToArray(), 7));
            }
        }
        if (f.Options.Weights is { } w)
        {
            var sections = f.BoundVariance!.Sections(f.StructureParameters[(f.BoundCorrelation?.ParameterCount ?? 0)..]);
            sb.Append(w is VarComb ? "Combination of variance functions: \n" : "Variance function:\n");
            foreach (var (description, formula, names, values) in sections)
            {
                sb.Append(" Structure: ").Append(description).Append('\n');
                sb.Append(" Formula: ").Append(formula).Append(" \n");
                if (names.Length == 0) continue;
                sb.Append(" Parameter estimates:\n");
                TextMatrix.PrintNamedVector(sb, names, RFormat.Format(values, 7));
            }
        }
        return sb.ToString();
    }

    /// <summary>The structure's formula with lme's grouping when it names none (<c>~1 | Subject</c>, <c>~Time | Rat</c>).</summary>
    private static string CorrelationFormula(NlmeModel f, CorrelationStructure cor)
    {
        if ((cor.Form.Groups.Count > 0 && !f.CorrelationRegrouped) || f.Design.RandomTerms.Count == 0) return cor.Form.Text;
        var levels = NlmeConventions.Levels(f.Transformed);
        string covariates = cor.Form.Text.Split('|')[0].TrimEnd();
        return covariates + " | " + string.Join("/", levels.Select(l => l.Name));
    }
}

using System.Globalization;
using System.Text;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// The text of lme4's <c>summary()</c> of a fitted model, section by section, with R's number formatting:
/// title, formula and data, REML criterion or information criteria, scaled residuals, random effects, numbers of
/// observations and groups, fixed effects, their correlations, and warnings.
/// </summary>
internal static class SummaryWriter
{
    private const int Digits = 4;
    private const int CorrelationMaxP = 12;

    public static string Write(LinearMixedModel m)
    {
        var sb = new StringBuilder();
        sb.Append(m.Reml ? "Linear mixed model fit by REML ['lmerMod']\n" : "Linear mixed model fit by maximum likelihood  ['lmerMod']\n");
        CatFill(sb, ["Formula:", .. m.Formula.DeparsedLines()]);
        CatFill(sb, "   Data:", m.Design.Frame.DataName);
        sb.Append('\n');
        if (m.Reml) CatFill(sb, "REML criterion at convergence:", RFormat.Cat(RFormat.Round(m.Objective, 1)));
        else InformationCriteria(sb, m);
        sb.Append('\n');
        ScaledResiduals(sb, m);
        RandomEffects(sb, m);
        var groups = m.Groups.Select(g => $"{g.Name}, {g.Levels}");
        CatFill(sb, $"Number of obs: {m.Observations}, groups: ", string.Join("; ", groups));
        if (m.FixedEffects.Count > 0)
        {
            sb.Append("\nFixed effects:\n");
            CoefficientTable.Print(sb, m.FixedEffects.Select(f => f.Name).ToArray(),
                [m.FixedEffects.Select(f => f.Estimate).ToArray(), m.FixedEffects.Select(f => f.StandardError).ToArray()],
                ["Estimate", "Std. Error"], m.FixedEffects.Select(f => f.TValue).ToArray(), "t value", null, Digits);
            Correlations(sb, m);
        }
        if (m.Messages.Count > 0)
        {
            sb.Append("fit warnings:\n");
            foreach (string msg in m.Messages) sb.Append(msg).Append('\n');
        }
        if (m.Warnings.Count > 0 || !m.Converged)
        {
            int code = m.Optimization.Status switch
            {
                Estimation.OptimizationStatus.Converged => 0,
                Estimation.OptimizationStatus.MaxEvaluations => 1,
                Estimation.OptimizationStatus.RoundingErrors => 2,
                _ => 3,
            };
            sb.Append($"optimizer (bobyqa) convergence code: {code} ({(code == 0 ? "OK" : m.Optimization.Message)})\n");
            foreach (string w in m.Warnings.Where(w => !w.StartsWith("optimizer (bobyqa)", StringComparison.Ordinal)))
                sb.Append(w).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>R's <c>cat(a, b, fill = TRUE)</c>: the items separated by a space, broken between items at the line width.</summary>
    internal static void CatFill(StringBuilder sb, string first, string second) => CatFill(sb, [first, second]);

    /// <summary>
    /// R's <c>cat(..., fill = TRUE)</c>: items separated by a space; when the next item would pass the line width,
    /// the line ends (after the separator) and the item starts a new one.
    /// </summary>
    internal static void CatFill(StringBuilder sb, IReadOnlyList<string> items)
    {
        int width = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
                width++;
                if (width + items[i].Length > TextMatrix.LineWidth) { sb.Append('\n'); width = 0; }
            }
            sb.Append(items[i]);
            width += items[i].Length;
        }
        sb.Append('\n');
    }

    private static void InformationCriteria(StringBuilder sb, LinearMixedModel m)
    {
        double[] values = [m.Aic, m.Bic, m.LogLikelihood, m.Objective, m.ResidualDf];
        var rounded = values.Select(v => RFormat.Round(v, 1)).ToArray();
        var formatted = RFormat.Format(rounded, 7);
        formatted[4] = RFormat.Format(rounded[4], 7);
        TextMatrix.PrintNamedVector(sb, ["AIC", "BIC", "logLik", "deviance", "df.resid"], formatted);
    }

    private static void ScaledResiduals(StringBuilder sb, LinearMixedModel m)
    {
        sb.Append("Scaled residuals: \n");
        var q = RFormat.ZapSmall(m.ScaledResidualQuantiles.ToArray(), Digits + 1);
        TextMatrix.PrintNamedVector(sb, ["Min", "1Q", "Median", "3Q", "Max"], RFormat.Format(q, Digits));
        sb.Append('\n');
    }

    private static void RandomEffects(StringBuilder sb, LinearMixedModel m)
    {
        sb.Append("Random effects:\n");
        var comps = m.VarianceComponents;
        var sds = new List<double>();
        var groups = new List<string>();
        var names = new List<string>();
        foreach (var c in comps)
            for (int i = 0; i < c.Columns.Count; i++)
            {
                sds.Add(c.StandardDeviations[i]);
                groups.Add(i == 0 ? c.Name : "");
                names.Add(c.Columns[i]);
            }
        sds.Add(m.Sigma);
        groups.Add("Residual");
        names.Add("");
        var variance = RFormat.Format(sds.Select(s => s * s).ToArray(), Digits);
        var stddev = RFormat.Format(sds.ToArray(), Digits);
        int rows = sds.Count;
        int maxLen = comps.Count == 0 ? 1 : comps.Max(c => c.Columns.Count);
        int corrCols = maxLen > 1 ? maxLen - 1 : 0;
        var header = new List<string> { "Groups", "Name", "Variance", "Std.Dev." };
        for (int j = 0; j < corrCols; j++) header.Add(j == 0 ? "Corr" : "");
        var cells = new string[rows, header.Count];
        for (int i = 0; i < rows; i++)
        {
            cells[i, 0] = groups[i];
            cells[i, 1] = names[i];
            cells[i, 2] = variance[i];
            cells[i, 3] = stddev[i];
            for (int j = 0; j < corrCols; j++) cells[i, 4 + j] = "";
        }
        if (corrCols > 0)
        {
            int row = 0;
            int dig = Math.Max(2, Digits - 2);
            foreach (var c in comps)
            {
                int d = c.Columns.Count;
                var all = new double[d * d];
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < d; b++) all[b * d + a] = RFormat.Round(c.Correlation(a, b), dig);
                var f = RFormat.Format(all, 7, dig);
                for (int a = 0; a < d; a++)
                    for (int b = 0; b < a && b < corrCols; b++) cells[row + a, 4 + b] = f[b * d + a];
                row += d;
            }
        }
        TextMatrix.Print(sb, Enumerable.Repeat("", rows).ToList(), header, cells, right: false);
    }

    private static void Correlations(StringBuilder sb, LinearMixedModel m)
    {
        int p = m.FixedEffects.Count;
        if (p <= 1) return;
        if (p > CorrelationMaxP)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nCorrelation matrix not shown by default, as p = {p} > {CorrelationMaxP}.\n");
            sb.Append("Use FixedEffectsCorrelation() or the JSON output (vcov) if you need it\n");
            return;
        }
        var names = m.FixedEffects.Select(f => f.Name).ToArray();
        var rowNames = Abbreviate.Names(names, 11);
        var colNames = Abbreviate.Names(names, 6);
        var cor = m.FixedEffectsCorrelation();
        var all = new double[p * p];
        for (int j = 0; j < p; j++)
            for (int i = 0; i < p; i++) all[j * p + i] = RFormat.Round(cor[i, j], 3);
        var f = RFormat.Format(all, 7, 3);
        var cells = new string[p - 1, p - 1];
        for (int i = 1; i < p; i++)
            for (int j = 0; j < p - 1; j++) cells[i - 1, j] = j < i ? f[j * p + i] : "";
        sb.Append("\nCorrelation of Fixed Effects:\n");
        TextMatrix.Print(sb, rowNames[1..], colNames[..^1], cells, right: false);
    }
}

using System.Globalization;
using System.Text;
using MixedModels.Formatting;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// nlme's <c>summary()</c> of an lme fit (<c>print.summary.lme</c>): title, data, AIC/BIC/logLik, the random effects
/// per level with their formula, structure, standard deviations and correlations, the fixed effects with nlme's
/// standard errors and denominator df, their correlations, the standardized within-group residuals and the numbers
/// of observations and groups. A gls call (no random effects) prints nlme's gls summary.
/// </summary>
internal static class NlmeSummaryWriter
{
    public static string Write(LinearMixedModel m, ModelCall call) =>
        Write(m, m.Design, call, (m.LogLikelihood, m.Aic, NlmeConventions.Bic(m)), m.Residuals.Select(r => r / m.Sigma).ToArray(), "");

    /// <summary>The summary of a fit with a variance function or correlation structure (their sections before the fixed effects).</summary>
    public static string Write(NlmeModel f, ModelCall call) =>
        Write(f.Transformed, f.Design, call, (f.LogLikelihood, f.Aic, f.Bic), [.. f.PearsonResiduals], NlmeStructureText.Write(f));

    /// <summary>
    /// The summary from the estimates of <paramref name="m"/> (the model itself, or the transformed one of a structured
    /// fit), the data's own design, nlme's information criteria, the standardized residuals and the structures' text.
    /// </summary>
    private static string Write(LinearMixedModel m, Design.ModelDesign design, ModelCall call, (double LogLik, double Aic, double Bic) criteria,
        double[] standardized, string structures)
    {
        var sb = new StringBuilder();
        bool lme = design.RandomTerms.Count > 0;
        int n = m.Observations, p = m.FixedEffects.Count;
        string method = m.Reml ? "REML" : "maximum likelihood";
        sb.Append(lme ? "Linear mixed-effects model fit by " : "Generalized least squares fit by ").Append(method).Append('\n');
        if (!lme) sb.Append("  Model: ").Append(Deparse(call.NlmeFixed ?? m.Formula.ToString())).Append(" \n");
        sb.Append("  Data: ").Append(call.DataName ?? m.Design.Frame.DataName).Append(" \n");
        var ic = new string[1, 3] { { RFormat.Format(criteria.Aic, 7), RFormat.Format(criteria.Bic, 7), RFormat.Format(criteria.LogLik, 7) } };
        TextMatrix.Print(sb, [" "], ["AIC", "BIC", "logLik"], ic, right: true);
        sb.Append('\n');
        if (lme) RandomEffects(sb, m, call);
        if (structures.Length > 0) sb.Append(structures).Append(lme ? "" : "\n");
        double scale = Math.Sqrt(NlmeConventions.CovarianceScale(m));
        var df = NlmeDf.Compute(design);
        var names = m.FixedEffects.Select(f => f.Name).ToArray();
        var value = m.FixedEffects.Select(f => f.Estimate).ToArray();
        var se = m.FixedEffects.Select(f => f.StandardError * scale).ToArray();
        var t = value.Select((v, i) => v / se[i]).ToArray();
        var pv = t.Select((x, i) => RFormat.Round(Probability.TwoSidedT(x, df[i]), 4)).ToArray();
        sb.Append(lme ? "Fixed effects:  " : "Coefficients:\n");
        if (lme) sb.Append(Deparse(call.NlmeFixed ?? m.Formula.ToString())).Append(" \n");
        var columns = new[]
        {
            RFormat.Format(RFormat.ZapSmall(value, 7), 7), RFormat.Format(RFormat.ZapSmall(se, 7), 7),
            lme ? RFormat.Format(RFormat.ZapSmall(df.Select(d => (double)d).ToArray(), 7), 7) : null,
            RFormat.Format(RFormat.ZapSmall(t, 7), 7), RFormat.Format(pv, 7),
        }.Where(c => c is not null).ToArray();
        string[] headers = lme ? ["Value", "Std.Error", "DF", "t-value", "p-value"] : ["Value", "Std.Error", "t-value", "p-value"];
        var cells = new string[p, headers.Length];
        for (int i = 0; i < p; i++) for (int j = 0; j < headers.Length; j++) cells[i, j] = columns[j]![i];
        TextMatrix.Print(sb, names, headers, cells, right: true);
        if (!lme && p > 1) sb.Append('\n');
        Correlation(sb, names, m.FixedEffectsCorrelation());
        var q = Statistics.Quantiles(standardized, [0, 0.25, 0.5, 0.75, 1]);
        sb.Append(lme ? "\nStandardized Within-Group Residuals:\n" : "\nStandardized residuals:\n");
        TextMatrix.PrintNamedVector(sb, ["Min", "Q1", "Med", "Q3", "Max"], RFormat.Format(q, 7));
        if (!lme)
        {
            sb.Append("\nResidual standard error: ").Append(RFormat.Cat(m.Sigma)).Append(" \n");
            sb.Append(CultureInfo.InvariantCulture, $"Degrees of freedom: {n} total; {n - p} residual\n");
            return sb.ToString();
        }
        sb.Append("\nNumber of Observations: ").Append(n.ToString(CultureInfo.InvariantCulture));
        sb.Append("\nNumber of Groups: ");
        var levels = NlmeConventions.Levels(m);
        if (levels.Count == 1) sb.Append(levels[0].Levels.ToString(CultureInfo.InvariantCulture)).Append(" \n");
        else
        {
            sb.Append('\n');
            var labels = levels.Select((l, i) => string.Join(" %in% ", levels.Take(i + 1).Reverse().Select(x => x.Name))).ToArray();
            TextMatrix.PrintNamedVector(sb, labels, levels.Select(l => l.Levels.ToString(CultureInfo.InvariantCulture)).ToArray());
        }
        return sb.ToString();
    }

    private static void RandomEffects(StringBuilder sb, LinearMixedModel m, ModelCall call)
    {
        sb.Append("Random effects:\n");
        var levels = NlmeConventions.Levels(m);
        string random = call.NlmeRandom is { } r ? DeparseOneSided(r) : "";
        string lhs = random.Contains('|') ? random[..random.IndexOf('|')].Trim() : "~1";
        var given = call.NlmeRandomLevels;
        bool list = call.NlmeRandom is { } raw && !raw.TrimStart().StartsWith('~') && given.Count == levels.Count;
        for (int k = 0; k < levels.Count; k++)
        {
            var level = levels[k];
            var c = m.VarianceComponents[level.Term];
            bool last = k == levels.Count - 1;
            string inner = string.Join(" %in% ", levels.Take(k + 1).Reverse().Select(x => x.Name));
            // A list's level has its own formula (nlme prints each level's); ~ x | a/b shares one.
            string label = list ? $"{DeparseOneSided(given[k].Formula)} | {inner}" : levels.Count == 1 ? random : $"{lhs} | {inner}";
            if (k > 0) sb.Append('\n');
            sb.Append(" Formula: ").Append(label).Append('\n');
            int d = c.Columns.Count;
            if (level.Terms.Length > 1 || (list && given[k].Diagonal))
            {
                // pdDiag: independent columns, one SD each (nlme's "Structure: Diagonal").
                var columns = level.Terms.SelectMany(t => m.VarianceComponents[t].Columns.Select((name, i) => (name, sd: m.VarianceComponents[t].StandardDeviations[i]))).ToArray();
                sb.Append(" Structure: Diagonal\n");
                var dv = columns.Select(x => x.sd).Concat(last ? [m.Sigma] : []).ToArray();
                var dh = columns.Select(x => x.name).Concat(last ? ["Residual"] : []).ToArray();
                var cells = new string[1, dh.Length];
                var formatted = RFormat.Format(dv, 7);
                for (int j = 0; j < dh.Length; j++) cells[0, j] = formatted[j];
                TextMatrix.Print(sb, ["StdDev:"], dh, cells, right: true);
                continue;
            }
            if (d == 1)
            {
                var values = last ? new[] { c.StandardDeviations[0], m.Sigma } : [c.StandardDeviations[0]];
                var heads = last ? new[] { c.Columns[0], "Residual" } : [c.Columns[0]];
                var one = new string[1, heads.Length];
                for (int j = 0; j < heads.Length; j++) one[0, j] = RFormat.Format(values[j], 7);
                TextMatrix.Print(sb, ["StdDev:"], heads, one, right: true);
                continue;
            }
            sb.Append(" Structure: General positive-definite, Log-Cholesky parametrization\n");
            var sds = RFormat.Format(c.StandardDeviations.Concat(last ? [m.Sigma] : []).ToArray(), 7);
            var lower = new List<double>();
            for (int col = 0; col < d; col++) for (int row = col + 1; row < d; row++) lower.Add(RFormat.Round(c.Correlation(row, col), 3));
            var cor = RFormat.Format(lower.ToArray(), 7);
            int rows = d + (last ? 1 : 0);
            var table = new string[rows, d];
            for (int i = 0; i < rows; i++) for (int j = 0; j < d; j++) table[i, j] = "";
            for (int i = 0; i < rows; i++) table[i, 0] = sds[i];
            var abbreviated = Abbreviate.Names(c.Columns.ToArray(), 6);
            for (int j = 1; j < d; j++) table[0, j] = abbreviated[j - 1];
            int at = 0;
            var lowerCells = new string[d, d];
            for (int col = 0; col < d; col++) for (int row = col + 1; row < d; row++) lowerCells[row, col] = cor[at++];
            for (int i = 1; i < d; i++) for (int j = 0; j < i; j++) table[i, j + 1] = lowerCells[i, j];
            string[] headers = ["StdDev", "Corr", .. Enumerable.Repeat("", d - 2)];
            string[] rowNames = [.. c.Columns, .. (last ? new[] { "Residual" } : [])];
            TextMatrix.Print(sb, rowNames, headers, table, right: false);
        }
        sb.Append('\n');
    }

    /// <summary>nlme's print.correlation: the lower triangle rounded to 3 digits, columns abbreviated to 6 characters.</summary>
    internal static void Correlation(StringBuilder sb, string[] names, double[,] cor)
    {
        int p = names.Length;
        if (p <= 1) return;
        sb.Append(" Correlation: \n");
        var lower = new List<double>();
        for (int j = 0; j < p; j++) for (int i = j + 1; i < p; i++) lower.Add(RFormat.Round(cor[i, j], 3));
        var f = RFormat.Format(lower.ToArray(), 7);
        var cells = new string[p - 1, p - 1];
        int at = 0;
        for (int i = 0; i < p - 1; i++) for (int j = 0; j < p - 1; j++) cells[i, j] = "";
        for (int j = 0; j < p; j++) for (int i = j + 1; i < p; i++) cells[i - 1, j] = f[at++];
        TextMatrix.Print(sb, names[1..], Abbreviate.Names(names, 6)[..^1], cells, right: false);
    }

    /// <summary>R's deparse of a two-sided formula (one line per deparse line, joined as cat does).</summary>
    private static string Deparse(string formula) => string.Join(" ", Formulas.Formula.Parse(formula).DeparsedLines());

    /// <summary>R's deparse of a one-sided formula such as <c>~ x | g</c>: "~x | g" (no space after the tilde).</summary>
    private static string DeparseOneSided(string formula)
    {
        string body = System.Text.RegularExpressions.Regex.Replace(formula.Trim().TrimStart('~'), @"\s+", " ").Trim();
        body = System.Text.RegularExpressions.Regex.Replace(body, @"\s*([|+/*:])\s*", m => m.Groups[1].Value is ":" or "/" ? m.Groups[1].Value : $" {m.Groups[1].Value} ");
        return "~" + body;
    }
}

using MixedModels.Formatting;
using System.Globalization;
using System.Text;
using MixedModels.Inference;
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

    public static string Write(LinearMixedModel m, DdfMethod ddf)
    {
        var sb = new StringBuilder();
        IReadOnlyList<TTest>? tests = m.FixedEffects.Count == 0 || ddf == DdfMethod.None ? null : FixedEffectTests.Compute(m, ddf);
        string title = m.Reml ? "Linear mixed model fit by REML" : "Linear mixed model fit by maximum likelihood ";
        if (ddf == DdfMethod.None) MethodTitle(sb, title, "lmerMod");
        else MethodTitle(sb, title + $". t-tests use {(ddf == DdfMethod.KenwardRoger ? "Kenward-Roger's" : "Satterthwaite's")} method", "lmerModLmerTest");
        CatFill(sb, ["Formula:", .. m.Formula.DeparsedLines()]);
        DataAndWeights(sb, m);
        sb.Append('\n');
        if (m.Reml) CatFill(sb, "REML criterion at convergence:", RFormat.Cat(RFormat.Round(m.Objective, 1)));
        else InformationCriteria(sb, m);
        sb.Append('\n');
        ScaledResiduals(sb, m.ScaledResidualQuantiles());
        RandomEffects(sb, m.VarianceComponents, m.Sigma);
        ObservationsAndGroups(sb, m);
        if (m.FixedEffects.Count > 0)
        {
            sb.Append("\nFixed effects:\n");
            FixedEffectsTable(sb, m, tests);
            Correlations(sb, m);
        }
        FitMessages(sb, m);
        return sb.ToString();
    }

    /// <summary>The "   Data:" line and, with prior weights, lme4's "Weights:" line.</summary>
    internal static void DataAndWeights(StringBuilder sb, IMixedModel m)
    {
        CatFill(sb, "   Data:", m.Design.Frame.DataName);
        if (m.Design.Frame.WeightsLabel is { } w) CatFill(sb, "Weights:", w);
    }

    /// <summary>The "Number of obs: n, groups: g, l" line.</summary>
    internal static void ObservationsAndGroups(StringBuilder sb, IMixedModel m) => ObservationsAndGroups(sb, m.Observations, m.Groups);

    /// <summary>The "Number of obs: n, groups: g, l" line from its numbers (lme4 prints two spaces after "groups:", robustlmm one).</summary>
    internal static void ObservationsAndGroups(StringBuilder sb, int observations, IReadOnlyList<(string Name, int Levels)> groups, bool lme4Spacing = true) =>
        CatFill(sb, $"Number of obs: {observations}, groups:{(lme4Spacing ? " " : "")}", string.Join("; ", groups.Select(g => $"{g.Name}, {g.Levels}")));

    /// <summary>Design messages ("fit warnings:"), the optimizer's convergence code and lme4's convergence messages.</summary>
    internal static void FitMessages(StringBuilder sb, IMixedModel m)
    {
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
    }

    /// <summary>lme4's <c>.prt.methTit</c>: the title and the model class, wrapped (strwrap, then cat with fill) when longer than the line.</summary>
    private static void MethodTitle(StringBuilder sb, string title, string cls)
    {
        if (title.Length + 5 + cls.Length <= TextMatrix.LineWidth)
        {
            sb.Append(title).Append(" ['").Append(cls).Append("']\n");
            return;
        }
        var lines = StrWrap(title, TextMatrix.LineWidth - 2, exdent: 2);
        CatFill(sb, [.. lines, " [", cls, "]"], "");
    }

    /// <summary>R's <c>strwrap</c>: words greedily joined by single spaces into lines shorter than the width; later lines indented by exdent.</summary>
    internal static List<string> StrWrap(string text, int width, int exdent = 0)
    {
        var words = text.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (string word in words)
        {
            int indent = lines.Count == 0 ? 0 : exdent;
            if (line.Length > 0 && indent + line.Length + 1 + word.Length > width - 1)
            {
                lines.Add(new string(' ', indent) + line);
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) lines.Add(new string(' ', lines.Count == 0 ? 0 : exdent) + line);
        return lines;
    }

    /// <summary>R's <c>cat(a, b, fill = TRUE)</c>: the items separated by a space, broken between items at the line width.</summary>
    internal static void CatFill(StringBuilder sb, string first, string second) => CatFill(sb, [first, second]);

    /// <summary>
    /// R's <c>cat(..., fill = TRUE)</c>: items separated by a space; when the next item would pass the line width,
    /// the line ends (after the separator) and the item starts a new one.
    /// </summary>
    internal static void CatFill(StringBuilder sb, IReadOnlyList<string> items, string separator = " ")
    {
        int width = 0;
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
                width += separator.Length;
                if (width + items[i].Length > TextMatrix.LineWidth) { sb.Append('\n'); width = 0; }
            }
            sb.Append(items[i]);
            width += items[i].Length;
        }
        sb.Append('\n');
    }

    private static void InformationCriteria(StringBuilder sb, LinearMixedModel m) =>
        InformationCriteria(sb, m.Aic, m.Bic, m.LogLikelihood, m.Objective, m.ResidualDf);

    /// <summary>lme4's AIC / BIC / logLik / deviance / df.resid line, rounded to 1 decimal.</summary>
    internal static void InformationCriteria(StringBuilder sb, double aic, double bic, double logLik, double deviance, int dfResid)
    {
        double[] values = [aic, bic, logLik, deviance, dfResid];
        var rounded = values.Select(v => RFormat.Round(v, 1)).ToArray();
        var formatted = RFormat.Format(rounded, 7);
        formatted[4] = RFormat.Format(rounded[4], 7);
        TextMatrix.PrintNamedVector(sb, ["AIC", "BIC", "logLik", "deviance", "df.resid"], formatted);
    }

    internal static void ScaledResiduals(StringBuilder sb, IReadOnlyList<double> quantiles)
    {
        if (quantiles.Count == 0)
        {
            // A fit from aggregates computed where the data live has no per-observation residuals to summarize.
            sb.Append("Scaled residuals: not available (fitted from sums computed inside the database)\n\n");
            return;
        }
        sb.Append("Scaled residuals: \n");
        var q = RFormat.ZapSmall(quantiles.ToArray(), Digits + 1);
        TextMatrix.PrintNamedVector(sb, ["Min", "1Q", "Median", "3Q", "Max"], RFormat.Format(q, Digits));
        sb.Append('\n');
    }

    /// <summary>lme4's random-effects table; <paramref name="residualSigma"/> null for a family without a residual row.</summary>
    internal static void RandomEffects(StringBuilder sb, IReadOnlyList<VarianceComponent> comps, double? residualSigma)
    {
        sb.Append("Random effects:\n");
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
        if (residualSigma is double sigma)
        {
            sds.Add(sigma);
            groups.Add("Residual");
            names.Add("");
        }
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

    /// <summary>The fixed-effects table: lme4's Estimate, Std. Error, t value; with df and Pr(&gt;|t|) when tests are given (lmerTest).</summary>
    private static void FixedEffectsTable(StringBuilder sb, LinearMixedModel m, IReadOnlyList<TTest>? tests)
    {
        var names = m.FixedEffects.Select(f => f.Name).ToArray();
        int p = names.Length;
        if (tests is null)
        {
            var x = new double[p, 3];
            for (int i = 0; i < p; i++) { x[i, 0] = m.FixedEffects[i].Estimate; x[i, 1] = m.FixedEffects[i].StandardError; x[i, 2] = m.FixedEffects[i].TValue; }
            CoefficientTable.Print(sb, names, ["Estimate", "Std. Error", "t value"], x, Digits, [0, 1], [2]);
            return;
        }
        var y = new double[p, 5];
        for (int i = 0; i < p; i++)
        {
            y[i, 0] = tests[i].Estimate; y[i, 1] = tests[i].StandardError; y[i, 2] = tests[i].Df; y[i, 3] = tests[i].TValue; y[i, 4] = tests[i].PValue;
        }
        CoefficientTable.Print(sb, names, ["Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"], y, Digits, [0, 1, 2], [3], hasPvalue: true);
    }

    internal static void Correlations(StringBuilder sb, IMixedModel m) =>
        Correlations(sb, m.FixedEffects.Select(f => f.Name).ToArray(), m.FixedEffectsCorrelation(), CorrelationMaxP);

    /// <summary>The "Correlation of Fixed Effects:" block (not shown beyond <paramref name="maxP"/> coefficients: 12 in lme4, 20 in robustlmm).</summary>
    internal static void Correlations(StringBuilder sb, string[] names, double[,] cor, int maxP)
    {
        int p = names.Length;
        if (p <= 1) return;
        if (p > maxP)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\nCorrelation matrix not shown by default, as p = {p} > {maxP}.\n");
            sb.Append("Use FixedEffectsCorrelation() or the JSON output (vcov) if you need it\n");
            return;
        }
        var rowNames = Abbreviate.Names(names, 11);
        var colNames = Abbreviate.Names(names, 6);
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

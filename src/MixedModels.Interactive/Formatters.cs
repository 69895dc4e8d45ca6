using Microsoft.DotNet.Interactive.Formatting;
using MixedModels.Inference;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Interactive;

/// <summary>
/// HTML display of MixedModels' results in .NET Interactive / Polyglot Notebooks. Call <see cref="Register"/> once in
/// a notebook (after <c>#r "nuget: MixedModels.Interactive"</c>); then a fitted model shows as its summary in HTML
/// tables (fit statistics, random effects, fixed effects), tidy, ANOVA and comparison tables as HTML tables, and
/// <see cref="PlotExtensions.Plot(LinearMixedModel, Reporting.Plots.PlotKind, Data.Table?, Reporting.Plots.PlotOptions?)"/> inline as SVG.
/// </summary>
public static class Formatters
{
    private static int _registered;

    /// <summary>Registers the HTML formatters (once; later calls do nothing).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Formatter.Register<LinearMixedModel>((m, w) => w.Write(ToHtml(m)), HtmlFormatter.MimeType);
        Formatter.Register<GeneralizedLinearMixedModel>((m, w) => w.Write(ToHtml(m)), HtmlFormatter.MimeType);
        Formatter.Register<TidyTable>((t, w) => w.Write(ToHtml(t)), HtmlFormatter.MimeType);
        Formatter.Register<AnovaTable>((t, w) => w.Write(ToHtml(t)), HtmlFormatter.MimeType);
        Formatter.Register<ModelComparison>((c, w) => w.Write(ToHtml(c)), HtmlFormatter.MimeType);
        Formatter.Register<SvgPlot>((p, w) => w.Write(p.Svg), HtmlFormatter.MimeType);
    }

    /// <summary>A linear mixed model as HTML: lme4's summary as tables (Satterthwaite's t tests, as lmerTest).</summary>
    public static string ToHtml(LinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = Header(model, model.Summary());
        html.Table("Fit", model.Reml ? ["REML criterion"] : ["AIC", "BIC", "logLik", "deviance", "df.resid"],
            [model.Reml ? [model.Objective] : [model.Aic, model.Bic, model.LogLikelihood, model.DevianceMl, model.ResidualDf]]);
        RandomEffects(html, model, model.Sigma);
        return Fixed(html, model, model.Tidy(), "t").ToString();
    }

    /// <summary>A generalized linear mixed model as HTML: glmer's summary as tables (z tests).</summary>
    public static string ToHtml(GeneralizedLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var html = Header(model, model.Summary());
        html.Paragraph($"Family: {model.Family}");
        html.Table("Fit", ["AIC", "BIC", "logLik", "deviance", "df.resid"],
            [[model.Aic, model.Bic, model.LogLikelihood, -2 * model.LogLikelihood, model.ResidualDf]]);
        RandomEffects(html, model, model.Family.HasDispersion ? model.Sigma : double.NaN);
        return Fixed(html, model, model.Tidy(), "z").ToString();
    }

    /// <summary>A tidy table as an HTML table with broom.mixed's columns.</summary>
    public static string ToHtml(TidyTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new Html().Table("tidy", ["effect", "group", "term", "estimate", "std.error", "statistic", "df", "p.value", "conf.low", "conf.high"],
            table.Rows.Select(r => (IReadOnlyList<object?>)[r.Effect, r.Group, r.Term, r.Estimate, r.StdError, r.Statistic, r.Df, r.PValue, r.ConfLow, r.ConfHigh])).ToString();
    }

    /// <summary>A type III ANOVA table as HTML.</summary>
    public static string ToHtml(AnovaTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new Html().Table(table.Heading, ["", "Sum Sq", "Mean Sq", "NumDF", "DenDF", "F value", "Pr(>F)"],
            table.Rows.Select(r => (IReadOnlyList<object?>)[r.Term, r.SumSq, r.MeanSq, r.NumDf, r.DenDf, r.FValue, r.PValue])).ToString();
    }

    /// <summary>A likelihood-ratio comparison (lme4's <c>anova(m1, m2)</c>) as HTML.</summary>
    public static string ToHtml(ModelComparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return new Html().Table($"Data: {comparison.DataName}", ["", "npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"],
            comparison.Rows.Select(r => (IReadOnlyList<object?>)[r.Label, r.Npar, r.Aic, r.Bic, r.LogLikelihood, r.Deviance, r.ChiSquare,
                r.Position == 0 ? null : r.Df, r.PValue])).ToString();
    }

    private static Html Header(IMixedModel model, string summary)
    {
        var html = new Html().Raw("<div class=\"mixedmodels-model\">\n");
        html.Heading(summary.Split('\n')[0]);
        html.Paragraph($"Formula: {model.Formula}");
        return html;
    }

    private static void RandomEffects(Html html, IMixedModel model, double sigma)
    {
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var c in model.VarianceComponents)
            for (int i = 0; i < c.Columns.Count; i++)
            {
                string corr = string.Join(" ", Enumerable.Range(0, i).Select(j => c.Correlation(i, j).ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));
                rows.Add([i == 0 ? c.Group : "", c.Columns[i], c.Variance(i), c.StandardDeviations[i], corr]);
            }
        if (!double.IsNaN(sigma)) rows.Add(["Residual", "", sigma * sigma, sigma, ""]);
        html.Table("Random effects", ["Groups", "Name", "Variance", "Std.Dev.", "Corr"], rows);
        html.Paragraph($"Number of obs: {model.Observations}, groups: {string.Join(", ", model.Groups.Select(g => $"{g.Name}, {g.Levels}"))}");
    }

    private static Html Fixed(Html html, IMixedModel model, TidyTable tidy, string statistic)
    {
        var rows = tidy.Rows.Where(r => r.Effect == "fixed").ToList();
        bool df = rows.Any(r => !double.IsNaN(r.Df));
        html.Table("Fixed effects",
            df ? ["", "Estimate", "Std. Error", "df", $"{statistic} value", $"Pr(>|{statistic}|)"] : ["", "Estimate", "Std. Error", $"{statistic} value", $"Pr(>|{statistic}|)"],
            rows.Select(r => df ? (IReadOnlyList<object?>)[r.Term, r.Estimate, r.StdError, r.Df, r.Statistic, r.PValue] : [r.Term, r.Estimate, r.StdError, r.Statistic, r.PValue]));
        foreach (var w in model.Warnings) html.Paragraph("Warning: " + w);
        return html.Raw("</div>\n");
    }
}

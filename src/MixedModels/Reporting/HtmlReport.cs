using MixedModels.Formatting;
using System.Text;
using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Reporting.Plots;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// One self-contained HTML page about a fit (styles and plots inline, nothing fetched from the network): warnings,
/// lme4's summary, the tidy tables, variance components with ICC and R², outlying clusters, random effects and every
/// plot.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; line-height: 1.4; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 0.85em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.9em; }
        th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e3e3; text-align: left; }
        th.num, td.num { text-align: right; } th { background: #f0f0f0; }
        .warning { background: #fff4e5; border-left: 4px solid #e69f00; padding: 0.5em 1em; margin: 0.5em 0; }
        figure { margin: 1.5em 0; } figure svg { max-width: 100%; height: auto; }
        .meta { color: #555; }
        """;

    /// <summary>The report of <paramref name="model"/>; <paramref name="data"/> (the data it was fitted to) adds the group panels and spaghetti plot.</summary>
    public static string Write(LinearMixedModel model, Table? data = null) => Write(model, data, null);

    /// <summary>
    /// The report of <paramref name="model"/> with, when <paramref name="robust"/> is given, a section on the robust fit
    /// of the same model (robustlmm's rlmer): its summary, robustlmm's comparison of the two fits, its tidy table and its
    /// plots of the robustness weights.
    /// </summary>
    public static string Write(LinearMixedModel model, Table? data, RobustLinearMixedModel? robust)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = Head(model, $"Linear mixed model: {model.Formula}", model.Reml ? "REML" : "maximum likelihood");
        Section(sb, "Summary", "<pre>" + H(model.Summary()) + "</pre>");
        if (model.Design.RandomTerms.Count == 0) return End(sb);
        var tidy = TidyTable.Create(model);
        Section(sb, "Fixed effects (Satterthwaite df, 95% Wald intervals)", tidy.ToResultTable("fixed").ToHtml());
        Section(sb, "Random-effect parameters (standard deviations and correlations)", tidy.ToResultTable("ran_pars").ToHtml());
        var variance = VarianceReport.Create(model);
        Section(sb, "Variance components (standard errors from the observed information)", variance.ParameterTable().ToHtml());
        Section(sb, "Variance explained and intraclass correlation", variance.ExplainedTable().ToHtml() + variance.GroupTable().ToHtml());
        Outliers(sb, model);
        Plots(sb, kind => (kind is PlotKind.GroupPanels or PlotKind.Spaghetti) && data is null ? null
            : ModelPlots.Render(kind, model, data, new PlotOptions { IdPrefix = kind.ToString().ToLowerInvariant() }));
        Section(sb, "Conditional modes (sorted, with 95% intervals)", DiagnosticTables.RandomEffectsTable(model.RandomEffects(), 0.95, true).ToHtml());
        if (robust is not null) Robust(sb, model, robust);
        return End(sb);
    }

    private static void Robust(StringBuilder sb, LinearMixedModel classical, RobustLinearMixedModel robust)
    {
        sb.Append("<h2>").Append(H("Robust fit (robustlmm's rlmer, " + RobustSummaryWriter.MethodName(robust.Method) + ")")).Append("</h2>\n");
        foreach (string w in robust.Warnings) sb.Append("<div class=\"warning\">").Append(H(w)).Append("</div>\n");
        Section(sb, "Robust summary", "<pre>" + H(robust.Summary()) + "</pre>");
        Section(sb, "Classical and robust estimates (robustlmm's compare)", "<pre>" + H(robust.Compare(classical).ToString()) + "</pre>");
        Section(sb, "Robust fixed effects and random-effect parameters", robust.Tidy().ToResultTable().ToHtml());
        var plots = new StringBuilder();
        foreach (var kind in Enum.GetValues<RobustPlotKind>())
            plots.Append("<figure>\n").Append(ModelPlots.Render(kind, robust, new PlotOptions { IdPrefix = "robust-" + kind.ToString().ToLowerInvariant() })).Append("</figure>\n");
        Section(sb, "Robustness weights", plots.ToString());
    }

    /// <summary>
    /// The report of a generalized model: glmer's summary, the tidy tables with odds or rate ratios for the
    /// logit and log links, R² and ICC where performance defines them, outlying clusters, the plots that apply.
    /// </summary>
    public static string Write(GeneralizedLinearMixedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = Head(model, $"Generalized linear mixed model ({model.Family}): {model.Formula}",
            model.Nagq == 1 ? "Laplace approximation" : $"nAGQ = {model.Nagq}");
        Section(sb, "Summary", "<pre>" + H(model.Summary()) + "</pre>");
        if (model.Design.RandomTerms.Count == 0) return End(sb);
        var tidy = TidyTable.Create(model);
        Section(sb, "Fixed effects (z tests, 95% Wald intervals, link scale)", tidy.ToResultTable("fixed").ToHtml());
        if (model.Family.Link.Name is "logit" or "log")
            Section(sb, $"Fixed effects as {(model.Family.Link.Name == "logit" ? "odds" : "rate")} ratios (exponentiated)",
                TidyTable.Create(model, exponentiate: true).ToResultTable("fixed").ToHtml());
        Section(sb, "Random-effect parameters (standard deviations and correlations, link scale)", tidy.ToResultTable("ran_pars").ToHtml());
        try
        {
            var variance = VarianceReport.Create(model);
            Section(sb, "Variance explained and intraclass correlation (latent scale)", variance.ExplainedTable().ToHtml() + variance.GroupTable().ToHtml());
        }
        catch (ModelException e)
        {
            Section(sb, "Variance explained and intraclass correlation", "<p class=\"meta\">" + H(e.Message) + "</p>\n");
        }
        Section(sb, "Overdispersion", $"<p>Pearson χ² / residual df = {H(RFormat.Format(model.OverdispersionRatio(), 4))}</p>\n");
        Outliers(sb, model);
        Plots(sb, kind => kind is PlotKind.GroupPanels or PlotKind.Spaghetti ? null
            : ModelPlots.Render(kind, model, new PlotOptions { IdPrefix = kind.ToString().ToLowerInvariant() }));
        Section(sb, "Conditional modes (sorted, with 95% intervals)", DiagnosticTables.RandomEffectsTable(model.RandomEffects(), 0.95, true).ToHtml());
        return End(sb);
    }

    /// <summary>
    /// The report of an nlme fit with variance functions or correlation structures (<paramref name="call"/> is its lme()
    /// or gls() call): nlme's summary, broom.mixed's tidy table, intervals(), getVarCov(), anova(m), the ACF of the
    /// normalized residuals and nlme's plots (the semivariogram for spatial structures).
    /// </summary>
    public static string Write(NlmeModel model, ModelCall call)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(call);
        var design = model.Design;
        string title = $"{(design.RandomTerms.Count == 0 ? "Generalized least squares" : "Linear mixed-effects")} model (nlme): {call.NlmeFixed ?? design.Formula.Text}";
        var sb = Head(title, design.Frame.DataName, model.Observations, design.DroppedRows,
            design.RandomTerms.Select(t => $"{t.GroupName}: {t.LevelCount} groups"), model.Reml ? "REML" : "maximum likelihood", model.Warnings);
        Section(sb, "Summary", "<pre>" + H(call.Summary(model)) + "</pre>");
        Section(sb, "Tidy table (broom.mixed)", TidyTable.CreateNlme(model).ToResultTable().ToHtml());
        Attempt(sb, "Approximate 95% confidence intervals", () => "<pre>" + H(Inference.NlmeIntervals.Compute(model).ToString()) + "</pre>");
        Attempt(sb, "F tests of the fixed effects (sequential)", () => "<pre>" + H(Inference.NlmeTermTests.Compute(model).ToString()) + "</pre>");
        if (design.RandomTerms.Count > 0) Attempt(sb, "Random effects covariance (getVarCov)", () => "<pre>" + H(model.RandomEffectsCovariance().ToString()) + "</pre>");
        Attempt(sb, "Marginal covariance of the first group (getVarCov)", () => "<pre>" + H(model.GroupCovariance(1).ToString()) + "</pre>");
        var plots = new StringBuilder();
        foreach (var kind in Enum.GetValues<NlmePlotKind>())
        {
            try { plots.Append("<figure>\n").Append(ModelPlots.Render(kind, model, new PlotOptions { IdPrefix = "nlme-" + kind.ToString().ToLowerInvariant() })).Append("</figure>\n"); }
            catch (ModelException e) { plots.Append("<p class=\"meta\">").Append(H($"{kind}: {e.Message}")).Append("</p>\n"); }
        }
        Section(sb, "Plots", plots.ToString());
        return End(sb);
    }

    /// <summary>A section whose content may not exist for this model: nlme's message in its place.</summary>
    private static void Attempt(StringBuilder sb, string heading, Func<string> body)
    {
        string content;
        try { content = body(); }
        catch (ModelException e) { content = "<p class=\"meta\">" + H(e.Message) + "</p>\n"; }
        Section(sb, heading, content);
    }

    private static StringBuilder Head(IMixedModel model, string title, string method) =>
        Head(title, model.Design.Frame.DataName, model.Observations, model.DroppedRows, model.Groups.Select(g => $"{g.Name}: {g.Levels} groups"), method,
            [.. model.Messages, .. model.Warnings]);

    private static StringBuilder Head(string title, string dataName, int observations, int dropped, IEnumerable<string> groups, string method, IEnumerable<string> warnings)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(H(title)).Append("</title>\n<style>\n")
          .Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(H(title)).Append("</h1>\n");
        sb.Append("<p class=\"meta\">Data: ").Append(H(dataName)).Append(" · ").Append(observations).Append(" observations")
          .Append(dropped > 0 ? $" ({dropped} rows with missing values removed)" : "")
          .Append(" · ").Append(H(string.Join(", ", groups)))
          .Append(" · ").Append(H(method)).Append("</p>\n");
        foreach (string w in warnings) sb.Append("<div class=\"warning\">").Append(H(w)).Append("</div>\n");
        return sb;
    }

    private static string End(StringBuilder sb) => sb.Append("</body>\n</html>\n").ToString();

    private static void Outliers(StringBuilder sb, IMixedModel model)
    {
        var outliers = OutlyingGroups.Find(model);
        Section(sb, $"Outlying clusters (|z| > 2.5, {OutlyingGroups.Rule})",
            outliers.Count == 0 ? "<p>None.</p>\n" : DiagnosticTables.OutlierTable(outliers).ToHtml());
    }

    /// <summary>Every plot kind that <paramref name="render"/> draws (null: left out), a failure noted in its place.</summary>
    private static void Plots(StringBuilder sb, Func<PlotKind, string?> render)
    {
        var plots = new StringBuilder();
        foreach (var kind in Enum.GetValues<PlotKind>())
        {
            string? svg;
            try { svg = render(kind); }
            catch (ModelException e)
            {
                plots.Append("<p class=\"meta\">").Append(H($"{kind}: {e.Message}")).Append("</p>\n");
                continue;
            }
            if (svg is not null) plots.Append("<figure>\n").Append(svg).Append("</figure>\n");
        }
        Section(sb, "Plots", plots.ToString());
    }

    private static void Section(StringBuilder sb, string heading, string body) =>
        sb.Append("<h2>").Append(H(heading)).Append("</h2>\n").Append(body);

    private static string H(string s) => ResultTable.Html(s);
}

using MixedModels.Data;
using MixedModels.Inference;
using MixedModels.Results;

namespace MixedModels.Reporting.Plots;

/// <summary>
/// The diagnostic and descriptive plots of a fitted model as standalone SVG documents (written here: no plotting
/// package is used). Group panels and spaghetti plots also need the data the model was fitted to.
/// </summary>
public static partial class ModelPlots
{
    private static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    private static readonly Series Reference = new("reference", "#888888", Glyph.Line, Legend: false, Dash: "5,4");

    /// <summary>Renders a plot of <paramref name="model"/>.</summary>
    /// <param name="kind">Which plot.</param>
    /// <param name="model">The fitted model.</param>
    /// <param name="data">The data the model was fitted to (needed by <see cref="PlotKind.GroupPanels"/> and <see cref="PlotKind.Spaghetti"/>).</param>
    /// <param name="options">Size, variables and groups.</param>
    public static string Render(PlotKind kind, LinearMixedModel model, Table? data = null, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new PlotOptions();
        return kind switch
        {
            PlotKind.ResidualsFitted => ResidualsFitted(model, options),
            PlotKind.QqResiduals => QqResiduals(model, options),
            PlotKind.QqRandomEffects => QqRandomEffects(model, options),
            PlotKind.Caterpillar => Caterpillar(model, options),
            PlotKind.ObservedFitted => ObservedFitted(model, options),
            PlotKind.GroupPanels => GroupPanels(model, RequireData(data, kind), options),
            PlotKind.Spaghetti => Spaghetti(model, RequireData(data, kind), options),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    /// <summary>
    /// Renders a plot of a generalized model: Pearson residuals against the fitted means (lme4's <c>plot()</c> of a
    /// glmer fit), a normal QQ plot of the deviance residuals, the random effects' QQ plots and caterpillar plot, and
    /// the observed responses against the fitted means. The per-group panels and spaghetti plots draw linear fits and
    /// are refused with a message.
    /// </summary>
    public static string Render(PlotKind kind, GeneralizedLinearMixedModel model, PlotOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new PlotOptions();
        return kind switch
        {
            PlotKind.ResidualsFitted => Scatter($"Pearson residuals vs fitted: {model.Formula}", "Fitted means", "Pearson residuals",
                [.. model.Fitted], model.Residuals(ResidualKind.Pearson), 0, 0, options, smooth: true),
            PlotKind.QqResiduals => Qq("Normal QQ plot of the deviance residuals", "Deviance residuals", model.Residuals(ResidualKind.Deviance), options),
            PlotKind.QqRandomEffects => QqRandomEffects(model, options),
            PlotKind.Caterpillar => Caterpillar(model, options),
            PlotKind.ObservedFitted => Scatter($"Observed vs fitted: {model.Formula}", "Fitted means", $"Observed {model.Design.ResponseName}",
                [.. model.Fitted], model.Design.Response.ToArray(), 0, 1, options),
            _ => throw new ModelException($"the {kind} plot draws linear fits per group and is available for linear mixed models only; " +
                "for a generalized model use residuals, qq, qq-ranef, caterpillar or observed"),
        };
    }

    private static string Scatter(string title, string xLabel, string yLabel, double[] x, double[] y, double intercept, double slope, PlotOptions o, bool smooth = false)
    {
        var f = new Figure(title, xLabel, yLabel) { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(Observations(x, y));
        p.Marks.Add(new AblineMark(Reference, intercept, slope));
        if (smooth && new Loess(x, y) is { CanFit: true } loess)
        {
            // R's loess of the residuals on the fitted values (as plot.lm's red line): a trend left in the residuals.
            var grid = Grid(x);
            p.Marks.Add(new LineMark(new Series("loess smoother", Palette[1], Glyph.Line), grid, grid.Select(loess.At).ToArray(), 2));
        }
        f.Panels.Add(p);
        return f.Render();
    }

    private static string Qq(string title, string yLabel, double[] values, PlotOptions o)
    {
        var f = new Figure(title, "Standard normal quantiles", yLabel) { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        f.Panels.Add(QqPanel(null, values));
        return f.Render();
    }

    private static Table RequireData(Table? data, PlotKind kind) =>
        data ?? throw new ArgumentException($"the {kind} plot needs the data the model was fitted to");

    /// <summary>A scatter of many points: smaller and more transparent as they get dense.</summary>
    private static PointsMark Observations(double[] x, double[] y) =>
        new(new Series("observations", Palette[0], Opacity: x.Length > 2000 ? 0.35 : 0.65), x, y, x.Length > 2000 ? 1.5 : 2.5);

    private static string ResidualsFitted(LinearMixedModel m, PlotOptions o) =>
        Scatter($"Residuals vs fitted: {m.Formula}", "Fitted values", "Residuals", [.. m.Fitted], [.. m.Residuals], 0, 0, o, smooth: true);

    private static string ObservedFitted(LinearMixedModel m, PlotOptions o) =>
        Scatter($"Observed vs fitted: {m.Formula}", "Fitted values", $"Observed {m.Design.ResponseName}", [.. m.Fitted], m.Design.Response.ToArray(), 0, 1, o);

    private static string QqResiduals(LinearMixedModel m, PlotOptions o) =>
        Qq("Normal QQ plot of the scaled residuals", "Scaled residuals", m.ResidualsOf(ResidualKind.Scaled), o);

    private static string QqRandomEffects(IMixedModel m, PlotOptions o)
    {
        var f = new Figure("Normal QQ plots of the conditional modes", "Standard normal quantiles", "Conditional modes")
            { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height, SharedY = false, Subtitle = $"labelled: |z| > 2.5, {Diagnostics.OutlyingGroups.Rule}" };
        var outlying = Diagnostics.OutlyingGroups.Find(m, 2.5).Select(x => (x.Group, x.Term, x.Level)).ToHashSet();
        foreach (var t in m.RandomEffects())
            for (int c = 0; c < t.Columns.Count; c++)
            {
                var values = Enumerable.Range(0, t.Levels.Count).Select(l => t.Mode(l, c)).ToArray();
                var panel = QqPanel($"{t.Name}: {t.Columns[c]}", values);
                // The outlying levels' names beside their points (the point of rank i sits at the i-th normal quantile).
                var order = Enumerable.Range(0, values.Length).Where(l => double.IsFinite(values[l])).OrderBy(l => values[l]).ToArray();
                var z = NormalScores(order.Length);
                var labelled = Enumerable.Range(0, order.Length).Where(i => outlying.Contains((t.Name, t.Columns[c], t.Levels[order[i]]))).ToArray();
                if (labelled.Length > 0)
                    panel.Marks.Add(new LabelsMark(new Series("outlying", "#B22222", Legend: false), labelled.Select(i => z[i]).ToArray(),
                        labelled.Select(i => values[order[i]]).ToArray(), labelled.Select(i => t.Levels[order[i]]).ToArray()));
                f.Panels.Add(panel);
            }
        return f.Render();
    }

    /// <summary>R's ppoints: the normal quantiles a sorted sample of n is plotted against.</summary>
    private static double[] NormalScores(int n)
    {
        double a = n <= 10 ? 3.0 / 8 : 0.5;
        return Enumerable.Range(1, n).Select(i => Probability.NormalQuantile((i - a) / (n + 1 - 2 * a))).ToArray();
    }

    /// <summary>Sorted values against normal quantiles at R's ppoints, with R's qqline through the quartiles.</summary>
    private static Panel QqPanel(string? title, double[] values)
    {
        var y = values.Where(double.IsFinite).Order().ToArray();
        int n = y.Length;
        var x = NormalScores(n);
        var panel = new Panel(title);
        panel.Marks.Add(Observations(x, y));
        if (n >= 2)
        {
            var q = Statistics.Quantiles(y, [0.25, 0.75]);
            double z1 = Probability.NormalQuantile(0.25), z3 = Probability.NormalQuantile(0.75);
            double slope = (q[1] - q[0]) / (z3 - z1), intercept = q[0] - slope * z1;
            panel.Marks.Add(new AblineMark(Reference, intercept, slope));
            // A pointwise 95% band around the line (as car::qqPlot): the SE of the i-th order statistic of a normal
            // sample, (slope / φ(z_i)) √(p_i (1 − p_i) / n).
            var band = new Series("95% band", "#888888", Glyph.Line, Dash: "2,3");
            var lower = new double[n];
            var upper = new double[n];
            for (int i = 0; i < n; i++)
            {
                double p = Probability.NormalCdf(x[i]), density = Math.Exp(-x[i] * x[i] / 2) / Math.Sqrt(2 * Math.PI);
                double se = slope / density * Math.Sqrt(p * (1 - p) / n), line = intercept + slope * x[i];
                lower[i] = line - 1.959963984540054 * se;
                upper[i] = line + 1.959963984540054 * se;
            }
            panel.Marks.Add(new LineMark(band, x, lower, 1));
            panel.Marks.Add(new LineMark(band with { Legend = false }, x, upper, 1));
        }
        return panel;
    }

    private static string Caterpillar(IMixedModel m, PlotOptions o)
    {
        var tables = m.RandomEffects().Where(t => o.Group is null || t.Group == o.Group || t.Name == o.Group).ToList();
        if (tables.Count == 0)
            throw new ModelException($"'{o.Group}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", m.Design.RandomTerms.Select(t => t.GroupName).Distinct())}");
        // One level order for all columns of a term, by the first column (as lme4's dotplot and MixedModelsMakie),
        // and a height that gives every level a legible row (at least 12 points each).
        int most = tables.Max(t => t.Levels.Count);
        var f = new Figure("Conditional modes with 95% intervals", "Conditional mode", "Level")
        {
            IdPrefix = o.IdPrefix, Width = o.Width, Height = Math.Max(o.Height, 110 + 12.0 * most), SharedX = false, SharedY = false,
            Columns = tables.Sum(t => t.Columns.Count),
        };
        var points = new Series("conditional mode", Palette[0]);
        var bars = new Series("95% interval", Palette[0], Glyph.Line);
        var zero = new Series("zero", "#888888", Glyph.Line, Legend: false, Dash: "4,3");
        foreach (var t in tables)
        {
            var order = t.Sorted(0).Select(e => e.Level).ToList();
            for (int c = 0; c < t.Columns.Count; c++)
            {
                var byLevel = t.Sorted(c).ToDictionary(e => e.Level);
                var sorted = order.Select(l => byLevel[l]).ToList();
                var panel = new Panel($"{t.Name}: {t.Columns[c]}") { YCategories = order };
                int k = sorted.Count;
                panel.Marks.Add(new SegmentsMark(zero, [(0, -0.5, 0, k - 0.5)]));
                panel.Marks.Add(new SegmentsMark(bars, sorted.Select((e, i) => (e.Lower, (double)i, e.Upper, (double)i)).ToArray()));
                panel.Marks.Add(new PointsMark(points, sorted.Select(e => e.Mode).ToArray(), Enumerable.Range(0, k).Select(i => (double)i).ToArray(), k > 100 ? 1.6 : 2.6));
                f.Panels.Add(panel);
            }
        }
        return f.Render();
    }
}

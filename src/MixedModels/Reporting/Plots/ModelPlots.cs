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

    private static Table RequireData(Table? data, PlotKind kind) =>
        data ?? throw new ArgumentException($"the {kind} plot needs the data the model was fitted to");

    /// <summary>A scatter of many points: smaller and more transparent as they get dense.</summary>
    private static PointsMark Observations(double[] x, double[] y) =>
        new(new Series("observations", Palette[0], Opacity: x.Length > 2000 ? 0.35 : 0.65), x, y, x.Length > 2000 ? 1.5 : 2.5);

    private static string ResidualsFitted(LinearMixedModel m, PlotOptions o)
    {
        var f = new Figure($"Residuals vs fitted: {m.Formula}", "Fitted values", "Residuals") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(Observations([.. m.Fitted], [.. m.Residuals]));
        p.Marks.Add(new AblineMark(Reference, 0, 0));
        f.Panels.Add(p);
        return f.Render();
    }

    private static string ObservedFitted(LinearMixedModel m, PlotOptions o)
    {
        var f = new Figure($"Observed vs fitted: {m.Formula}", "Fitted values", $"Observed {m.Design.ResponseName}") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var p = new Panel();
        p.Marks.Add(Observations([.. m.Fitted], m.Design.Response.ToArray()));
        p.Marks.Add(new AblineMark(Reference, 0, 1));
        f.Panels.Add(p);
        return f.Render();
    }

    private static string QqResiduals(LinearMixedModel m, PlotOptions o)
    {
        var f = new Figure("Normal QQ plot of the scaled residuals", "Standard normal quantiles", "Scaled residuals") { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        f.Panels.Add(QqPanel(null, m.ResidualsOf(ResidualKind.Scaled)));
        return f.Render();
    }

    private static string QqRandomEffects(LinearMixedModel m, PlotOptions o)
    {
        var f = new Figure("Normal QQ plots of the conditional modes", "Standard normal quantiles", "Conditional modes")
            { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height, SharedY = false };
        foreach (var t in m.RandomEffects())
            for (int c = 0; c < t.Columns.Count; c++)
                f.Panels.Add(QqPanel($"{t.Name}: {t.Columns[c]}", Enumerable.Range(0, t.Levels.Count).Select(l => t.Mode(l, c)).ToArray()));
        return f.Render();
    }

    /// <summary>Sorted values against normal quantiles at R's ppoints, with R's qqline through the quartiles.</summary>
    private static Panel QqPanel(string? title, double[] values)
    {
        var y = values.Where(double.IsFinite).Order().ToArray();
        int n = y.Length;
        double a = n <= 10 ? 3.0 / 8 : 0.5;
        var x = Enumerable.Range(1, n).Select(i => Probability.NormalQuantile((i - a) / (n + 1 - 2 * a))).ToArray();
        var panel = new Panel(title);
        panel.Marks.Add(Observations(x, y));
        if (n >= 2)
        {
            var q = Statistics.Quantiles(y, [0.25, 0.75]);
            double z1 = Probability.NormalQuantile(0.25), z3 = Probability.NormalQuantile(0.75);
            double slope = (q[1] - q[0]) / (z3 - z1);
            panel.Marks.Add(new AblineMark(Reference, q[0] - slope * z1, slope));
        }
        return panel;
    }

    private static string Caterpillar(LinearMixedModel m, PlotOptions o)
    {
        var tables = m.RandomEffects().Where(t => o.Group is null || t.Group == o.Group || t.Name == o.Group).ToList();
        if (tables.Count == 0)
            throw new ModelException($"'{o.Group}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", m.Design.RandomTerms.Select(t => t.GroupName).Distinct())}");
        var f = new Figure("Conditional modes with 95% intervals", "Conditional mode", "Level")
            { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height, SharedX = false, SharedY = false, Columns = tables.Sum(t => t.Columns.Count) };
        var points = new Series("conditional mode", Palette[0]);
        var bars = new Series("95% interval", Palette[0], Glyph.Line);
        var zero = new Series("zero", "#888888", Glyph.Line, Legend: false, Dash: "4,3");
        foreach (var t in tables)
            for (int c = 0; c < t.Columns.Count; c++)
            {
                var sorted = t.Sorted(c);
                var panel = new Panel($"{t.Name}: {t.Columns[c]}") { YCategories = sorted.Select(e => e.Level).ToList() };
                int k = sorted.Count;
                panel.Marks.Add(new SegmentsMark(zero, [(0, -0.5, 0, k - 0.5)]));
                panel.Marks.Add(new SegmentsMark(bars, sorted.Select((e, i) => (e.Lower, (double)i, e.Upper, (double)i)).ToArray()));
                panel.Marks.Add(new PointsMark(points, sorted.Select(e => e.Mode).ToArray(), Enumerable.Range(0, k).Select(i => (double)i).ToArray(), k > 100 ? 1.6 : 2.6));
                f.Panels.Add(panel);
            }
        return f.Render();
    }
}

using MixedModels.Data;
using MixedModels.Formulas;
using MixedModels.Results;

namespace MixedModels.Reporting.Plots;

public static partial class ModelPlots
{
    private const int GridPoints = 25;

    /// <summary>Facets for the first groups (or the chosen ones): data, the group's own OLS line, the model's conditional line.</summary>
    private static string GroupPanels(LinearMixedModel m, Table data, PlotOptions o)
    {
        var (term, x, xName) = GroupAndX(m, data, o);
        var y = m.Design.Response.ToArray();
        var levels = ChosenLevels(term, o);
        int pages = (term.LevelCount + Math.Max(1, o.MaxPanels) - 1) / Math.Max(1, o.MaxPanels);
        int cols = (int)Math.Ceiling(Math.Sqrt(levels.Count)), gridRows = (levels.Count + cols - 1) / cols;
        var held = HeldVariables(m, xName, term.GroupName);
        var f = new Figure($"{m.Design.ResponseName} by {xName} in each {term.GroupName}" + (o.Levels is null && pages > 1 ? $" (page {o.Page} of {pages})" : ""),
            xName, m.Design.ResponseName)
        {
            IdPrefix = o.IdPrefix, Width = o.Width, Height = Math.Max(o.Height, 90 + 150.0 * gridRows), Columns = cols,
            Subtitle = held.Count == 0 ? null : $"model lines: {string.Join(", ", held)} held at each {term.GroupName}'s mean (numeric) or most frequent level (factor), shown in the panel's title",
        };
        var smooth = new Series("loess (span 0.75)", Palette[3], Glyph.Line, Dash: "2,2");
        var points = new Series("data", Palette[0], Opacity: 0.75);
        var own = new Series($"{term.GroupName}'s least-squares line", Palette[1], Glyph.Line, Dash: "6,3");
        var model = new Series("model (conditional)", Palette[2], Glyph.Line);
        var rows = m.Design.Frame.KeptRows;
        foreach (int level in levels)
        {
            var idx = Enumerable.Range(0, y.Length).Where(i => term.Codes[i] == level).ToArray();
            var panel = new Panel(term.Levels[level] + HeldValues(data, idx.Select(i => rows[i]).ToArray(), held));
            var xs = idx.Select(i => x[i]).ToArray();
            var ys = idx.Select(i => y[i]).ToArray();
            panel.Marks.Add(new PointsMark(points, xs, ys));
            if (LeastSquaresLine(xs, ys) is var (a, b))
            {
                double lo = xs.Min(), hi = xs.Max();
                panel.Marks.Add(new LineMark(own, [lo, hi], [a + b * lo, a + b * hi]));
            }
            var grid = Grid(xs);
            if (o.Loess && grid.Length > 1 && new Loess(xs, ys) is { CanFit: true } loess)
                panel.Marks.Add(new LineMark(smooth, grid, grid.Select(loess.At).ToArray(), 1.5));
            if (grid.Length > 1)
            {
                var table = TypicalRows(data, idx.Select(i => rows[i]).ToArray(), xName, grid);
                var pred = m.Predict(table);
                panel.Marks.Add(new LineMark(model, grid, pred.Select(p => p.Fit).ToArray(), 2));
            }
            f.Panels.Add(panel);
        }
        return f.Render();
    }

    /// <summary>Every group's trajectory over x (observations joined in x order) and the population line.</summary>
    private static string Spaghetti(LinearMixedModel m, Table data, PlotOptions o)
    {
        var (term, x, xName) = GroupAndX(m, data, o);
        var y = m.Design.Response.ToArray();
        var f = new Figure($"{m.Design.ResponseName} over {xName} by {term.GroupName}", xName, m.Design.ResponseName) { IdPrefix = o.IdPrefix, Width = o.Width, Height = o.Height };
        var panel = new Panel();
        var individual = new Series($"each {term.GroupName}'s fitted line", "#7f7f7f", Glyph.Line, Opacity: term.LevelCount > 50 ? 0.3 : 0.6);
        var population = new Series("population (fixed effects)", Palette[0], Glyph.Line);
        // Each group's fitted line (the model's conditional prediction over the group's own x range, other variables
        // at the group's typical values), not its raw points joined in x order.
        var rows = m.Design.Frame.KeptRows;
        foreach (var g in Enumerable.Range(0, y.Length).GroupBy(i => term.Codes[i]))
        {
            var idx = g.ToArray();
            var own = Grid(idx.Select(i => x[i]).ToArray());
            if (own.Length < 2) continue;
            var pred = m.Predict(TypicalRows(data, idx.Select(i => rows[i]).ToArray(), xName, own));
            panel.Marks.Add(new LineMark(individual, own, pred.Select(p => p.Fit).ToArray(), 1));
        }
        var grid = Grid(x);
        if (grid.Length > 1)
        {
            var table = TypicalRows(data, [.. m.Design.Frame.KeptRows], xName, grid);
            var pred = m.Predict(table, PredictOptions.Population);
            panel.Marks.Add(new LineMark(population, grid, pred.Select(p => p.Fit).ToArray(), 3));
        }
        f.Panels.Add(panel);
        return f.Render();
    }

    /// <summary>The grouping term and the numeric x variable (its values on the rows used) for group plots.</summary>
    private static (MixedModels.Design.RandomEffectsTerm Term, double[] X, string XName) GroupAndX(LinearMixedModel m, Table data, PlotOptions o)
    {
        var design = m.Design;
        if (design.RandomTerms.Count == 0) throw new ModelException("the model has no random-effects term, so there are no groups to plot");
        var term = o.Group is null
            ? design.RandomTerms.OrderBy(t => t.FormulaIndex).First()
            : design.RandomTerms.FirstOrDefault(t => t.GroupName == o.Group)
              ?? throw new ModelException($"'{o.Group}' is not a grouping factor of the model; its grouping factors are: {string.Join(", ", design.RandomTerms.Select(t => t.GroupName).Distinct())}");
        string? xName = o.X ?? design.Formula.FixedTerms.Variables.Skip(design.Formula.FixedTerms.HasResponse ? 1 : 0)
            .OfType<NameExpr>().Select(v => v.Name).FirstOrDefault(v => design.Frame.NumericVariable(v) is not null);
        if (xName is null)
            throw new ModelException("the model has no numeric predictor to put on the x axis; choose one with the X option (--x)");
        if (!data.TryGetColumn(xName, out var col) || col is not NumericColumn)
            throw new ModelException($"'{xName}' is not a numeric column of the data; choose a numeric variable for the x axis");
        var values = ((NumericColumn)col).Values.ToArray();
        var x = design.Frame.KeptRows.Select(r => values[r]).ToArray();
        return (term, x, xName);
    }

    private static List<int> ChosenLevels(MixedModels.Design.RandomEffectsTerm term, PlotOptions o)
    {
        if (o.Levels is { } chosen)
            return chosen.Select(l =>
            {
                int k = term.Levels.ToList().IndexOf(l);
                return k >= 0 ? k : throw new ModelException($"'{l}' is not a level of {term.GroupName}");
            }).ToList();
        int size = Math.Max(1, o.MaxPanels), pages = (term.LevelCount + size - 1) / size;
        if (o.Page < 1 || o.Page > pages) throw new ModelException($"page {o.Page}: {term.GroupName} has {term.LevelCount} levels, {pages} page{(pages == 1 ? "" : "s")} of {size} panels");
        return Enumerable.Range((o.Page - 1) * size, Math.Min(size, term.LevelCount - (o.Page - 1) * size)).ToList();
    }

    /// <summary>" (Sector = Public, MEANSES = 0.12)": the values a group's model line holds (as <see cref="TypicalRows"/> takes them).</summary>
    private static string HeldValues(Table data, int[] rows, List<string> held)
    {
        if (held.Count == 0 || rows.Length == 0) return "";
        var values = new List<string>();
        foreach (string v in held)
        {
            if (!data.TryGetColumn(v, out var col)) continue;
            var typical = TypicalRows(new Table([col]), rows, "", [0])[v];
            values.Add($"{v} = {(typical is NumericColumn n ? Formatting.RFormat.Format(n[0], 3) : typical.FormatValue(0))}");
        }
        return values.Count == 0 ? "" : $" ({string.Join(", ", values)})";
    }

    /// <summary>The model's fixed-effect variables other than the x variable and the grouping factor (what a panel's line holds fixed).</summary>
    private static List<string> HeldVariables(LinearMixedModel m, string xName, string group)
    {
        var f = m.Design.Formula.FixedTerms;
        return f.Variables.Skip(f.HasResponse ? 1 : 0).OfType<NameExpr>().Select(v => v.Name)
            .Where(v => v != xName && v != group).Distinct().ToList();
    }

    private static (double A, double B)? LeastSquaresLine(double[] x, double[] y)
    {
        int n = x.Length;
        if (n < 2) return null;
        double mx = x.Average(), my = y.Average(), sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++) { sxx += (x[i] - mx) * (x[i] - mx); sxy += (x[i] - mx) * (y[i] - my); }
        if (!(sxx > 0)) return null;
        double b = sxy / sxx;
        return (my - b * mx, b);
    }

    private static double[] Grid(double[] x)
    {
        var finite = x.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return [];
        double lo = finite.Min(), hi = finite.Max();
        if (!(hi > lo)) return [lo];
        return Enumerable.Range(0, GridPoints).Select(i => lo + (hi - lo) * i / (GridPoints - 1)).ToArray();
    }

    /// <summary>
    /// New data for a line over x: one row per grid value, every other column held at its typical value over
    /// <paramref name="rows"/> (the mean of a numeric column, the most frequent level of a categorical one).
    /// </summary>
    private static Table TypicalRows(Table data, int[] rows, string xName, double[] grid)
    {
        var columns = new List<Column>();
        foreach (var col in data.Columns)
        {
            if (col.Name == xName) { columns.Add(new NumericColumn(xName, grid)); continue; }
            switch (col)
            {
                case NumericColumn num:
                {
                    var v = rows.Select(r => num.Values[r]).Where(double.IsFinite).ToArray();
                    double mean = v.Length == 0 ? double.NaN : v.Average();
                    columns.Add(new NumericColumn(col.Name, Enumerable.Repeat(mean, grid.Length).ToArray()));
                    break;
                }
                case CategoricalColumn cat:
                {
                    var codes = rows.Select(r => cat.Codes[r]).Where(c => c >= 0).ToArray();
                    int mode = codes.Length == 0 ? -1 : codes.GroupBy(c => c).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
                    columns.Add(new CategoricalColumn(col.Name, Enumerable.Repeat(mode, grid.Length).ToArray(), cat.Levels, cat.Ordered));
                    break;
                }
            }
        }
        return new Table(columns);
    }
}

using MixedModels.Data;

namespace MixedModels.Reporting.Plots;

/// <summary>Smoothers of a scatter plot.</summary>
[Flags]
public enum Smoother
{
    /// <summary>Points only.</summary>
    None = 0,

    /// <summary>The least-squares line (ggplot's <c>geom_smooth(method = "lm")</c>).</summary>
    LeastSquares = 1,

    /// <summary>R's loess curve with its defaults: span 0.75, degree 2 (ggplot's <c>geom_smooth(method = "loess")</c>).</summary>
    Loess = 2,
}

/// <summary>What a scatter plot shows.</summary>
public sealed record ScatterOptions
{
    /// <summary>The numeric column on the x axis.</summary>
    public required string X { get; init; }

    /// <summary>The numeric column on the y axis.</summary>
    public required string Y { get; init; }

    /// <summary>One panel per level of this column, with shared axes (ggplot's <c>facet_wrap</c>); null for one panel.</summary>
    public string? Facet { get; init; }

    /// <summary>The lines drawn over the points, per panel.</summary>
    public Smoother Smooth { get; init; } = Smoother.LeastSquares | Smoother.Loess;

    /// <summary>The facet levels to show (default: the first <see cref="MaxPanels"/>).</summary>
    public IReadOnlyList<string>? Panels { get; init; }

    /// <summary>At most this many panels.</summary>
    public int MaxPanels { get; init; } = 12;

    /// <summary>Width in pixels.</summary>
    public double Width { get; init; } = 720;

    /// <summary>Height in pixels.</summary>
    public double Height { get; init; } = 480;
}

public static partial class ModelPlots
{
    /// <summary>
    /// An exploratory scatter plot of the data (no model): points, the least-squares line and R's loess curve, pooled
    /// or one panel per group with shared axes. Rows missing x or y are left out.
    /// </summary>
    public static string Scatter(Table data, ScatterOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var x = NumericOf(data, options.X);
        var y = NumericOf(data, options.Y);
        var f = new Figure(options.Facet is null ? $"{options.Y} by {options.X}" : $"{options.Y} by {options.X} in each {options.Facet}", options.X, options.Y)
            { Width = options.Width, Height = options.Height };
        var points = new Series("data", Palette[0], Opacity: data.RowCount > 2000 ? 0.35 : 0.7);
        var ls = new Series("least squares", Palette[1], Glyph.Line);
        var lo = new Series("loess (span 0.75)", Palette[2], Glyph.Line, Dash: "6,3");
        foreach (var (title, rows) in Groups(data, options))
        {
            var idx = rows.Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
            var xs = idx.Select(i => x[i]).ToArray();
            var ys = idx.Select(i => y[i]).ToArray();
            var panel = new Panel(title);
            panel.Marks.Add(new PointsMark(points, xs, ys, xs.Length > 2000 ? 1.4 : 2.3));
            if (options.Smooth.HasFlag(Smoother.LeastSquares) && LeastSquaresLine(xs, ys) is var (a, b))
            {
                double x0 = xs.Min(), x1 = xs.Max();
                panel.Marks.Add(new LineMark(ls, [x0, x1], [a + b * x0, a + b * x1], 2));
            }
            if (options.Smooth.HasFlag(Smoother.Loess))
            {
                var loess = new Loess(xs, ys);
                if (loess.CanFit)
                {
                    var grid = Grid(xs);
                    panel.Marks.Add(new LineMark(lo, grid, grid.Select(loess.At).ToArray(), 2));
                }
            }
            f.Panels.Add(panel);
        }
        return f.Render();
    }

    private static double[] NumericOf(Table data, string name) => data[name] switch
    {
        NumericColumn n => n.Values.ToArray(),
        _ => throw new ModelException($"'{name}' is a factor; a scatter plot needs numeric x and y (give a factor as --facet)"),
    };

    private static IEnumerable<(string? Title, int[] Rows)> Groups(Table data, ScatterOptions o)
    {
        if (o.Facet is null) return [(null, Enumerable.Range(0, data.RowCount).ToArray())];
        var factor = CategoricalColumn.Of(data[o.Facet]);
        var rows = factor.RowsByLevel();
        IEnumerable<int> chosen;
        if (o.Panels is { Count: > 0 } panels)
        {
            var index = factor.Levels.Select((l, k) => (l, k)).ToDictionary(p => p.l, p => p.k);
            foreach (var p in panels)
                if (!index.ContainsKey(p))
                    throw new ModelException($"'{p}' is not a level of {o.Facet}; its first levels are {string.Join(", ", factor.Levels.Take(8))}");
            chosen = panels.Select(p => index[p]);
        }
        else chosen = Enumerable.Range(0, factor.Levels.Count).Where(k => rows[k].Length > 0).Take(Math.Max(1, o.MaxPanels));
        return chosen.Select(k => ((string?)$"{o.Facet}: {factor.Levels[k]}", rows[k]));
    }
}

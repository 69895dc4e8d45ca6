namespace MixedModels.Reporting.Plots;

/// <summary>How a series shows in the legend.</summary>
internal enum Glyph { Point, Line }

/// <summary>A named series: how its marks look and whether the legend lists it.</summary>
internal sealed record Series(string Name, string Color, Glyph Glyph = Glyph.Point, bool Legend = true, string? Dash = null, double Opacity = 1);

/// <summary>Something drawn in a panel, in data coordinates.</summary>
internal abstract record Mark(Series Series);

internal sealed record PointsMark(Series Series, double[] X, double[] Y, double Radius = 2.5) : Mark(Series);

internal sealed record LineMark(Series Series, double[] X, double[] Y, double Width = 1.5) : Mark(Series);

/// <summary>Line segments (x1, y1) – (x2, y2): interval bars.</summary>
internal sealed record SegmentsMark(Series Series, (double X1, double Y1, double X2, double Y2)[] Segments) : Mark(Series);

/// <summary>The line y = a + b x across the panel.</summary>
internal sealed record AblineMark(Series Series, double Intercept, double Slope) : Mark(Series);

/// <summary>Text labels at data points (an outlying group's name beside its point).</summary>
internal sealed record LabelsMark(Series Series, double[] X, double[] Y, string[] Text) : Mark(Series);

/// <summary>One panel of a figure: an optional strip title, its marks, and optionally category names for the y axis.</summary>
internal sealed class Panel(string? title = null)
{
    public string? Title { get; } = title;
    public List<Mark> Marks { get; } = [];
    public IReadOnlyList<string>? YCategories { get; set; }
}

/// <summary>
/// A figure: a title, one or more panels on a grid (facets) with shared or free axes, axis titles, and a legend of the
/// series when there is more than one. Renders to a standalone SVG document.
/// </summary>
internal sealed class Figure(string title, string xLabel, string yLabel)
{
    public string Title { get; } = title;
    public string XLabel { get; } = xLabel;
    public string YLabel { get; } = yLabel;
    public List<Panel> Panels { get; } = [];
    public double Width { get; init; } = 720;
    public double Height { get; init; } = 480;
    public bool SharedX { get; init; } = true;
    public bool SharedY { get; init; } = true;
    public int? Columns { get; init; }

    /// <summary>Prefix of the figure's element ids (clip paths), unique per figure when several share one HTML page.</summary>
    public string IdPrefix { get; init; } = "fig";

    /// <summary>A line under the title saying what the plot holds fixed or how it was made; null for none.</summary>
    public string? Subtitle { get; init; }

    private const double CharWidth = 6.6, StripHeight = 17, Gap = 14;

    public string Render()
    {
        if (Panels.Count == 0) Panels.Add(new Panel());
        var svg = new SvgWriter(Width, Height, Title);
        int cols = Columns ?? (int)Math.Ceiling(Math.Sqrt(Panels.Count));
        int rows = (Panels.Count + cols - 1) / cols;
        var legend = Panels.SelectMany(p => p.Marks).Select(m => m.Series).Where(s => s.Legend).DistinctBy(s => s.Name).ToList();
        bool showLegend = legend.Count > 1;
        bool strips = Panels.Any(p => p.Title is not null);
        bool categorical = Panels.Any(p => p.YCategories is not null);

        double top = 34 + (showLegend ? 22 : 0) + (Subtitle is null ? 0 : 16);
        double left = 34 + (categorical
            ? Math.Min(Panels.Where(p => p.YCategories is not null).SelectMany(p => p.YCategories!).Select(s => s.Length).DefaultIfEmpty(4).Max(), 18) * CharWidth
            : YTickWidth());
        double bottom = 48, right = 16;
        // Category labels on every panel need room between the columns too.
        double gapX = categorical && !SharedY ? Gap + left - 34 : Gap;
        double panelW = (Width - left - right - (cols - 1) * gapX) / cols;
        double panelH = (Height - top - bottom - (rows - 1) * (Gap + (SharedX ? 0 : 16))) / rows;

        svg.Text(Width / 2, 22, Title, "middle", 15, "bold");
        if (Subtitle is not null) svg.Text(Width / 2, 38, Subtitle, "middle", 11, fill: "#555555");
        if (showLegend) DrawLegend(svg, legend, top - 14);
        svg.Text(left + (Width - left - right) / 2, Height - 10, XLabel, "middle", 13);
        svg.Text(14, top + (Height - top - bottom) / 2, YLabel, "middle", 13, rotate: -90);

        var (sharedX, sharedY) = (Range(Panels, true), Range(Panels, false));
        for (int k = 0; k < Panels.Count; k++)
        {
            var panel = Panels[k];
            int r = k / cols, c = k % cols;
            double x0 = left + c * (panelW + gapX);
            double y0 = top + r * (panelH + Gap + (SharedX ? 0 : 16));
            double innerTop = y0 + (strips ? StripHeight : 0);
            var xr = SharedX ? sharedX : Range([panel], true);
            var yr = SharedY ? sharedY : Range([panel], false);
            var xs = new LinearScale(xr.Min, xr.Max, x0, x0 + panelW);
            var ys = panel.YCategories is { } cats
                ? null
                : new LinearScale(yr.Min, yr.Max, y0 + panelH, innerTop);
            Func<double, double> mapY = ys is not null ? ys.Map : CategoryMap(panel.YCategories!.Count, y0 + panelH, innerTop);
            string clip = $"{IdPrefix}-panel{k}";
            svg.ClipRect(clip, x0, innerTop, panelW, y0 + panelH - innerTop);
            svg.Rect(x0, innerTop, panelW, y0 + panelH - innerTop, "#f7f7f7", "#bbbbbb");
            if (strips)
            {
                svg.Rect(x0, y0, panelW, StripHeight, "#e4e4e4", "#bbbbbb");
                svg.Text(x0 + panelW / 2, y0 + 12.5, Truncate(panel.Title ?? "", panelW), "middle", 11);
            }
            bool lastInColumn = k + cols >= Panels.Count;
            foreach (double t in xs.Ticks())
            {
                double px = xs.Map(t);
                svg.Line(px, innerTop, px, y0 + panelH, "#e0e0e0", 0.8);
                if (!SharedX || lastInColumn)
                {
                    svg.Line(px, y0 + panelH, px, y0 + panelH + 4, "#555555");
                    string label = xs.Label(t);
                    double half = label.Length * CharWidth * 0.8 / 2;
                    // Facets sit close together: a label that would cross into the next panel is left out.
                    if (cols == 1 || (px - half >= x0 - Gap / 2 && px + half <= x0 + panelW + Gap / 2))
                        svg.Text(px, y0 + panelH + 16, label, "middle", 10.5);
                }
            }
            if (ys is not null)
                foreach (double t in ys.Ticks())
                {
                    double py = ys.Map(t);
                    svg.Line(x0, py, x0 + panelW, py, "#e0e0e0", 0.8);
                    if (!SharedY || c == 0)
                    {
                        svg.Line(x0 - 4, py, x0, py, "#555555");
                        svg.Text(x0 - 6, py + 3.5, ys.Label(t), "end", 10.5);
                    }
                }
            else
            {
                var catList = panel.YCategories!;
                int every = Math.Max(1, (int)Math.Ceiling(catList.Count * 11.0 / Math.Max(panelH, 1)));
                for (int i = 0; i < catList.Count; i += every)
                    if (!SharedY || c == 0) svg.Text(x0 - 6, mapY(i) + 3.5, Truncate(catList[i], 18 * CharWidth), "end", 10);
            }
            foreach (var mark in panel.Marks) Draw(svg, mark, xs.Map, mapY, xs, clip);
        }
        return svg.ToString();
    }

    private double YTickWidth()
    {
        var yr = Range(Panels, false);
        var scale = new LinearScale(yr.Min, yr.Max, 0, 1);
        return scale.Ticks().Select(t => scale.Label(t).Length).DefaultIfEmpty(3).Max() * CharWidth + 12;
    }

    private static Func<double, double> CategoryMap(int count, double bottomPixel, double topPixel) =>
        v => bottomPixel + (v + 0.5) / Math.Max(count, 1) * (topPixel - bottomPixel);

    private static string Truncate(string s, double pixels)
    {
        int max = Math.Max(3, (int)(pixels / CharWidth));
        return s.Length <= max ? s : s[..(max - 1)] + "…";
    }

    private void DrawLegend(SvgWriter svg, List<Series> legend, double y)
    {
        double total = legend.Sum(s => 34 + s.Name.Length * CharWidth);
        double x = Math.Max(8, (Width - total) / 2);
        foreach (var s in legend)
        {
            if (s.Glyph == Glyph.Line) svg.Line(x, y, x + 20, y, s.Color, 2, s.Dash);
            else svg.Circle(x + 10, y, 3.5, s.Color);
            svg.Text(x + 26, y + 4, s.Name, "start", 11.5);
            x += 34 + s.Name.Length * CharWidth;
        }
    }

    private static void Draw(SvgWriter svg, Mark mark, Func<double, double> mx, Func<double, double> my, LinearScale xs, string clip)
    {
        var s = mark.Series;
        switch (mark)
        {
            case PointsMark p:
                svg.Raw($"<g clip-path=\"url(#{clip})\" fill=\"{s.Color}\"{(s.Opacity < 1 ? $" fill-opacity=\"{SvgWriter.N(s.Opacity)}\"" : "")}>\n");
                for (int i = 0; i < p.X.Length; i++)
                    if (double.IsFinite(p.X[i]) && double.IsFinite(p.Y[i]))
                        svg.Raw($"<circle cx=\"{SvgWriter.N(mx(p.X[i]))}\" cy=\"{SvgWriter.N(my(p.Y[i]))}\" r=\"{SvgWriter.N(p.Radius)}\"/>\n");
                svg.Raw("</g>\n");
                break;
            case LineMark l:
                svg.Polyline(Enumerable.Range(0, l.X.Length).Where(i => double.IsFinite(l.X[i]) && double.IsFinite(l.Y[i]))
                    .Select(i => (mx(l.X[i]), my(l.Y[i]))).ToList(), s.Color, l.Width, s.Dash, clip, s.Opacity);
                break;
            case SegmentsMark g:
                foreach (var (x1, y1, x2, y2) in g.Segments) svg.Line(mx(x1), my(y1), mx(x2), my(y2), s.Color, 1.2, s.Dash, clip);
                break;
            case AblineMark a:
                svg.Line(xs.Map(xs.Min), my(a.Intercept + a.Slope * xs.Min), xs.Map(xs.Max), my(a.Intercept + a.Slope * xs.Max), s.Color, 1.3, s.Dash, clip);
                break;
            case LabelsMark t:
                for (int i = 0; i < t.X.Length; i++)
                    if (double.IsFinite(t.X[i]) && double.IsFinite(t.Y[i]))
                        svg.Text(mx(t.X[i]) + 5, my(t.Y[i]) - 4, t.Text[i], "start", 10, fill: s.Color);
                break;
        }
    }

    /// <summary>The padded data range of the panels along x or y (category panels: the index range).</summary>
    private static (double Min, double Max) Range(IEnumerable<Panel> panels, bool x)
    {
        var values = new List<double>();
        foreach (var p in panels)
        {
            if (!x && p.YCategories is { } cats) { values.Add(-0.5); values.Add(cats.Count - 0.5); continue; }
            foreach (var m in p.Marks)
                switch (m)
                {
                    case PointsMark pm: values.AddRange(x ? pm.X : pm.Y); break;
                    case LineMark lm: values.AddRange(x ? lm.X : lm.Y); break;
                    case SegmentsMark sm: foreach (var g in sm.Segments) { values.Add(x ? g.X1 : g.Y1); values.Add(x ? g.X2 : g.Y2); } break;
                }
        }
        return LinearScale.Range(values);
    }
}

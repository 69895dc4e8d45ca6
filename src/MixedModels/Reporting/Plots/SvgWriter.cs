using System.Globalization;
using System.Text;

namespace MixedModels.Reporting.Plots;

/// <summary>Writes SVG elements as text: coordinates rounded to 0.01, text escaped, attributes in invariant culture.</summary>
internal sealed class SvgWriter
{
    private readonly StringBuilder _sb = new();

    public SvgWriter(double width, double height, string title)
    {
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(width)} {N(height)}\" ")
           .Append("font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        _sb.Append("<title>").Append(Escape(title)).Append("</title>\n");
        Rect(0, 0, width, height, "#ffffff", null);
    }

    /// <summary>A number for an attribute: at most two decimals, invariant culture.</summary>
    public static string N(double v) => Math.Round(v, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    public void Raw(string s) => _sb.Append(s);

    public void Rect(double x, double y, double w, double h, string? fill, string? stroke, double strokeWidth = 1)
    {
        _sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\" fill=\"{fill ?? "none"}\"");
        if (stroke is not null) _sb.Append($" stroke=\"{stroke}\" stroke-width=\"{N(strokeWidth)}\"");
        _sb.Append("/>\n");
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null, string? clip = null)
    {
        _sb.Append($"<line x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{stroke}\" stroke-width=\"{N(width)}\"");
        if (dash is not null) _sb.Append($" stroke-dasharray=\"{dash}\"");
        if (clip is not null) _sb.Append($" clip-path=\"url(#{clip})\"");
        _sb.Append("/>\n");
    }

    public void Polyline(IReadOnlyList<(double X, double Y)> points, string stroke, double width = 1.5, string? dash = null, string? clip = null, double opacity = 1)
    {
        if (points.Count < 2) return;
        _sb.Append("<polyline fill=\"none\" stroke=\"").Append(stroke).Append("\" stroke-width=\"").Append(N(width)).Append('"');
        if (dash is not null) _sb.Append($" stroke-dasharray=\"{dash}\"");
        if (opacity < 1) _sb.Append($" stroke-opacity=\"{N(opacity)}\"");
        if (clip is not null) _sb.Append($" clip-path=\"url(#{clip})\"");
        _sb.Append(" points=\"");
        for (int i = 0; i < points.Count; i++)
        {
            if (i > 0) _sb.Append(' ');
            _sb.Append(N(points[i].X)).Append(',').Append(N(points[i].Y));
        }
        _sb.Append("\"/>\n");
    }

    public void Circle(double cx, double cy, double r, string fill, double opacity = 1)
    {
        _sb.Append($"<circle cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{fill}\"");
        if (opacity < 1) _sb.Append($" fill-opacity=\"{N(opacity)}\"");
        _sb.Append("/>\n");
    }

    public void Text(double x, double y, string text, string anchor = "start", double size = 12, string? weight = null, double rotate = 0, string fill = "#222222")
    {
        _sb.Append($"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\"");
        if (weight is not null) _sb.Append($" font-weight=\"{weight}\"");
        if (rotate != 0) _sb.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        _sb.Append('>').Append(Escape(text)).Append("</text>\n");
    }

    public void ClipRect(string id, double x, double y, double w, double h) =>
        _sb.Append($"<clipPath id=\"{id}\"><rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(w)}\" height=\"{N(h)}\"/></clipPath>\n");

    public override string ToString() => _sb.ToString() + "</svg>\n";
}

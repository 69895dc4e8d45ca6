using System.Globalization;
using System.Xml.Linq;
using SkiaSharp;

namespace MixedModels.Cli;

/// <summary>
/// Rasterizes the tool's own plot SVG (rect, line, polyline, circle, text, clipPath, g — what the library's plots
/// write) to PNG with SkiaSharp, at twice the SVG's size. Text is drawn in DejaVu Sans, embedded in the tool, so no
/// system font is needed.
/// </summary>
internal static class PngRenderer
{
    private const float Scale = 2;
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly Lazy<SKTypeface> Regular = new(() => Font("DejaVuSans.ttf"));
    private static readonly Lazy<SKTypeface> Bold = new(() => Font("DejaVuSans-Bold.ttf"));

    public static byte[] Render(string svg)
    {
        var root = XDocument.Parse(svg).Root ?? throw new InvalidOperationException("empty SVG");
        float width = F(root, "width"), height = F(root, "height");
        var info = new SKImageInfo((int)Math.Ceiling(width * Scale), (int)Math.Ceiling(height * Scale));
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale(Scale);
        var clips = root.Descendants(Svg + "clipPath").ToDictionary(c => (string)c.Attribute("id")!, c => RectOf(c.Element(Svg + "rect")!));
        Draw(canvas, root, clips, inheritedFill: null);
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static void Draw(SKCanvas canvas, XElement parent, Dictionary<string, SKRect> clips, string? inheritedFill)
    {
        foreach (var e in parent.Elements())
        {
            string name = e.Name.LocalName;
            if (name is "title" or "clipPath") continue;
            int save = canvas.Save();
            if ((string?)e.Attribute("clip-path") is { } clip && clips.TryGetValue(clip[5..^1], out var rect)) canvas.ClipRect(rect);
            string? fill = (string?)e.Attribute("fill") ?? inheritedFill;
            switch (name)
            {
                case "g": Draw(canvas, e, clips, fill); break;
                case "rect": DrawRect(canvas, e, fill); break;
                case "line":
                    using (var p = Stroke(e)) canvas.DrawLine(F(e, "x1"), F(e, "y1"), F(e, "x2"), F(e, "y2"), p);
                    break;
                case "polyline": DrawPolyline(canvas, e); break;
                case "circle":
                    using (var p = Fill(fill, e.Attribute("fill-opacity")))
                        if (p is not null) canvas.DrawCircle(F(e, "cx"), F(e, "cy"), F(e, "r"), p);
                    break;
                case "text": DrawText(canvas, e, fill); break;
            }
            canvas.RestoreToCount(save);
        }
    }

    private static void DrawRect(SKCanvas canvas, XElement e, string? fill)
    {
        var r = RectOf(e);
        using (var p = Fill(fill, null)) if (p is not null) canvas.DrawRect(r, p);
        if (e.Attribute("stroke") is not null) using (var s = Stroke(e)) canvas.DrawRect(r, s);
    }

    private static void DrawPolyline(SKCanvas canvas, XElement e)
    {
        var points = ((string?)e.Attribute("points") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split(',')).Select(xy => new SKPoint(P(xy[0]), P(xy[1]))).ToArray();
        if (points.Length < 2) return;
        using var path = new SKPath();
        path.AddPoly(points, close: false);
        using var paint = Stroke(e);
        canvas.DrawPath(path, paint);
    }

    private static void DrawText(SKCanvas canvas, XElement e, string? fill)
    {
        float x = F(e, "x"), y = F(e, "y"), size = (string?)e.Attribute("font-size") is { } s ? P(s) : 12;
        using var font = new SKFont((string?)e.Attribute("font-weight") == "bold" ? Bold.Value : Regular.Value, size);
        using var paint = Fill(fill ?? "#222222", null) ?? new SKPaint { Color = SKColors.Black, IsAntialias = true };
        var align = (string?)e.Attribute("text-anchor") switch { "middle" => SKTextAlign.Center, "end" => SKTextAlign.Right, _ => SKTextAlign.Left };
        if ((string?)e.Attribute("transform") is { } t && t.StartsWith("rotate(", StringComparison.Ordinal))
        {
            var parts = t[7..^1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(P).ToArray();
            canvas.RotateDegrees(parts[0], parts.Length > 2 ? parts[1] : x, parts.Length > 2 ? parts[2] : y);
        }
        canvas.DrawText(e.Value, x, y, align, font, paint);
    }

    private static SKPaint? Fill(string? color, XAttribute? opacity)
    {
        if (color is null or "none") return null;
        var c = SKColor.Parse(color);
        if (opacity is not null) c = c.WithAlpha((byte)Math.Round(255 * P(opacity.Value)));
        return new SKPaint { Color = c, IsAntialias = true, Style = SKPaintStyle.Fill };
    }

    private static SKPaint Stroke(XElement e)
    {
        var c = SKColor.Parse((string?)e.Attribute("stroke") ?? "#000000");
        if ((string?)e.Attribute("stroke-opacity") is { } o) c = c.WithAlpha((byte)Math.Round(255 * P(o)));
        var paint = new SKPaint { Color = c, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = (string?)e.Attribute("stroke-width") is { } w ? P(w) : 1 };
        if ((string?)e.Attribute("stroke-dasharray") is { } dash)
            paint.PathEffect = SKPathEffect.CreateDash(dash.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(P).ToArray(), 0);
        return paint;
    }

    private static SKRect RectOf(XElement e) => SKRect.Create(F(e, "x"), F(e, "y"), F(e, "width"), F(e, "height"));

    private static float F(XElement e, string name) => (string?)e.Attribute(name) is { } v ? P(v) : 0;

    private static float P(string s) => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static SKTypeface Font(string file)
    {
        using var stream = typeof(PngRenderer).Assembly.GetManifestResourceStream("MixedModels.Cli.Fonts." + file)
            ?? throw new InvalidOperationException($"the embedded font {file} is missing");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"the embedded font {file} cannot be read");
    }
}

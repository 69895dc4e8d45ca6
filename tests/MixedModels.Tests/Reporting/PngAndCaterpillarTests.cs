using System.Xml.Linq;
using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>PNG output for a .png file (SkiaSharp, embedded DejaVu Sans) and a caterpillar plot that scales to many levels.</summary>
public sealed class PngAndCaterpillarTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void APngFileGetsAPngImage()
    {
        string dir = Directory.CreateTempSubdirectory("mixed-png-").FullName;
        try
        {
            string png = Path.Combine(dir, "caterpillar.png");
            var (code, _, err) = CliTests.Run("plot", "caterpillar", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--output", png);
            Assert.True(code == 0, err);
            var bytes = File.ReadAllBytes(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
            // IHDR: width and height at twice the SVG's 720 x 480
            int width = (bytes[16] << 24) | (bytes[17] << 16) | (bytes[18] << 8) | bytes[19];
            int height = (bytes[20] << 24) | (bytes[21] << 16) | (bytes[22] << 8) | bytes[23];
            Assert.Equal((1440, 960), (width, height));
            using var image = SkiaSharp.SKBitmap.Decode(bytes);
            int dark = 0;
            // The title's row: text drawn with the embedded font leaves dark pixels there.
            for (int x = 0; x < image.Width; x++) for (int y = 30; y < 60; y++) if (image.GetPixel(x, y).Red < 100) dark++;
            Assert.True(dark > 500, $"{dark} dark pixels in the title");
            string svg = Path.Combine(dir, "caterpillar.svg");
            CliTests.Run("plot", "caterpillar", "--data", "sleepstudy", "--formula", "Reaction ~ Days + (Days | Subject)", "--output", svg);
            Assert.StartsWith("<svg", File.ReadAllText(svg));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheCaterpillarKeepsOneOrderAndLabelsEveryLevel()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + (SES | School)", Datasets.Load("hsb"));
        var doc = XDocument.Parse(ModelPlots.Render(PlotKind.Caterpillar, m));
        double height = double.Parse((string)doc.Root!.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(height >= 160 * 12, $"height {height}");
        var levels = m.RandomEffects()[0].Levels.ToHashSet();
        var labels = doc.Descendants(Svg + "text").Select(t => t.Value).Where(levels.Contains).ToList();
        Assert.Equal(320, labels.Count);   // every school labelled in both panels
        var first = labels.Take(160).ToList();
        Assert.Equal(first, labels.Skip(160).ToList());   // the same order in the SES panel
        var intercepts = m.RandomEffects()[0].Sorted(0).Select(e => e.Level).ToList();
        Assert.Equal(intercepts.ToHashSet(), first.ToHashSet());
    }
}

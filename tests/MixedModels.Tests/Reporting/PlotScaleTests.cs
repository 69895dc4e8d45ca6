using System.Xml.Linq;
using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>Plots that stay usable on 160 schools: pages of group panels, fitted spaghetti lines, QQ bands, labelled outliers.</summary>
public sealed class PlotScaleTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly Table Hsb = Datasets.Load("hsb");
    private static readonly LinearMixedModel Model = LinearMixedModel.Fit("MathAch ~ SES + Sector + (SES | School)", Hsb);

    private static List<string> Texts(XDocument d) => d.Descendants(Svg + "text").Select(t => t.Value).ToList();

    [Fact]
    public void GroupPanelsComeInPagesAndSayWhatIsHeld()
    {
        var levels = Model.Design.RandomTerms[0].Levels;
        var page3 = XDocument.Parse(ModelPlots.Render(PlotKind.GroupPanels, Model, Hsb, new PlotOptions { X = "SES", MaxPanels = 16, Page = 3, Loess = true }));
        var texts = Texts(page3);
        Assert.Contains(texts, t => t.Contains("(page 3 of 10)"));
        Assert.Contains(texts, t => t.Contains("Sector held at each School's mean"));
        var strips = levels.Skip(32).Take(16).ToList();
        // each strip: the school and the value its model line holds Sector at (the school's own sector)
        Assert.All(strips, l => Assert.Contains(texts, t => t.StartsWith(l + " (Sector = ", StringComparison.Ordinal)));
        Assert.DoesNotContain(levels[31], texts);
        // per panel: own least-squares line, loess curve, model line
        Assert.Equal(48, page3.Descendants(Svg + "polyline").Count());
        double height = double.Parse((string)page3.Root!.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(height >= 4 * 150, $"{height}");
        Assert.Throws<ModelException>(() => ModelPlots.Render(PlotKind.GroupPanels, Model, Hsb, new PlotOptions { X = "SES", MaxPanels = 16, Page = 11 }));
    }

    [Fact]
    public void SpaghettiDrawsEachGroupsFittedLine()
    {
        var d = XDocument.Parse(ModelPlots.Render(PlotKind.Spaghetti, Model, Hsb, new PlotOptions { X = "SES" }));
        var lines = d.Descendants(Svg + "polyline").ToList();
        Assert.Equal(161, lines.Count);   // 160 fitted lines and the population line
        // A fitted line is straight in SES (the model is linear in it): its points are collinear, unlike raw points joined.
        var pts = ((string)lines[0].Attribute("points")!).Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        double slope = (pts[^1][1] - pts[0][1]) / (pts[^1][0] - pts[0][0]);
        Assert.All(pts, p => Assert.Equal(pts[0][1] + slope * (p[0] - pts[0][0]), p[1], 0.05));
    }

    [Fact]
    public void QqPlotsHaveABandAndNameTheOutlyingLevels()
    {
        var m = LinearMixedModel.Fit("MathAch ~ SES + (1 | School)", Hsb);
        var d = XDocument.Parse(ModelPlots.Render(PlotKind.QqRandomEffects, m));
        Assert.Equal(2, d.Descendants(Svg + "polyline").Count());   // the band's two edges
        var texts = Texts(d);
        foreach (var o in MixedModels.Diagnostics.OutlyingGroups.Find(m, 2.5)) Assert.Contains(o.Level, texts);
        Assert.Contains("8367", texts);
        Assert.Contains(texts, t => t.Contains("standardized conditional mode"));
        var residuals = XDocument.Parse(ModelPlots.Render(PlotKind.QqResiduals, m));
        Assert.Equal(2, residuals.Descendants(Svg + "polyline").Count());
    }
}

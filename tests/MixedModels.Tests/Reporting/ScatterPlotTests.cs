using System.Xml.Linq;
using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Tests.Cli;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>The exploratory scatter plot: points, least-squares line and R's loess, pooled or one panel per group.</summary>
public sealed class ScatterPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static XDocument Plot(ScatterOptions o) => XDocument.Parse(ModelPlots.Scatter(Datasets.Load("hsb"), o));

    private static List<string> PanelTitles(XDocument d) =>
        d.Descendants(Svg + "text").Select(t => t.Value).Where(v => v.StartsWith("School: ", StringComparison.Ordinal)).ToList();

    [Fact]
    public void FacetsGetAPanelEachWithBothLines()
    {
        var d = Plot(new ScatterOptions { X = "SES", Y = "MathAch", Facet = "School", MaxPanels = 6 });
        Assert.Equal(["School: 1224", "School: 1288", "School: 1296", "School: 1308", "School: 1317", "School: 1358"], PanelTitles(d));
        // per panel: the least-squares line and the loess curve
        Assert.Equal(12, d.Descendants(Svg + "polyline").Count());
        var chosen = Plot(new ScatterOptions { X = "SES", Y = "MathAch", Facet = "School", Panels = ["9586", "1224"], Smooth = Smoother.Loess });
        Assert.Equal(["School: 9586", "School: 1224"], PanelTitles(chosen));
        Assert.Equal(2, chosen.Descendants(Svg + "polyline").Count());
        var pooled = Plot(new ScatterOptions { X = "SES", Y = "MathAch", Smooth = Smoother.None });
        Assert.Empty(PanelTitles(pooled));
        Assert.Equal(7185, pooled.Descendants(Svg + "circle").Count());
    }

    [Fact]
    public void TheLoessCurveIsRs()
    {
        // The pooled curve's points are loess values on a 25-point grid (checked against R in LoessTests).
        var d = Plot(new ScatterOptions { X = "SES", Y = "MathAch", Smooth = Smoother.Loess });
        var line = d.Descendants(Svg + "polyline").Single();
        Assert.Equal(25, ((string)line.Attribute("points")!).Split(' ').Length);
    }

    [Fact]
    public void MistakesAreNamed()
    {
        Assert.Contains("factor", Assert.Throws<ModelException>(() => Plot(new ScatterOptions { X = "Sector", Y = "MathAch" })).Message);
        Assert.Contains("'42' is not a level of School", Assert.Throws<ModelException>(() => Plot(new ScatterOptions { X = "SES", Y = "MathAch", Facet = "School", Panels = ["42"] })).Message);
        var (code, _, err) = CliTests.Run("plot", "scatter", "--data", "hsb", "--x", "SES");
        Assert.Equal(1, code);
        Assert.Contains("--x and --y", err);
        var (ok, svg, _) = CliTests.Run("plot", "scatter", "--data", "sleepstudy", "--x", "Days", "--y", "Reaction", "--facet", "Subject", "--smooth", "lm");
        Assert.Equal(0, ok);
        Assert.Equal(12, XDocument.Parse(svg).Descendants(Svg + "polyline").Count());   // 12 panels by default (--max-panels), one line each
        var (bad, _, why) = CliTests.Run("plot", "scatter", "--data", "sleepstudy", "--x", "Days", "--y", "Reaction", "--smooth", "spline");
        Assert.Equal(1, bad);
        Assert.Contains("lm, loess", why);
    }
}

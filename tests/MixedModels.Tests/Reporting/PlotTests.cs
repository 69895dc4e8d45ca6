using System.Xml.Linq;
using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>Every plot kind renders valid SVG with the marks, axes, titles and legends it should have.</summary>
public sealed class PlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly Table Sleep = Datasets.Load("sleepstudy");
    private static readonly LinearMixedModel Model = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Sleep);

    private static XElement Parse(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.NotNull(root.Attribute("viewBox"));
        Assert.False(string.IsNullOrWhiteSpace(root.Element(Svg + "title")?.Value));
        return root;
    }

    private static List<string> Texts(XElement root) => root.Descendants(Svg + "text").Select(t => t.Value).ToList();

    public static IEnumerable<object[]> Kinds() => Enum.GetValues<PlotKind>().Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindIsValidSvgWithAxes(PlotKind kind)
    {
        var root = Parse(ModelPlots.Render(kind, Model, Sleep));
        var texts = Texts(root);
        // Tick labels are numbers; a plot has several on its x axis.
        Assert.True(texts.Count(t => double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)) >= 4,
            $"{kind}: too few tick labels in [{string.Join(", ", texts)}]");
        Assert.NotEmpty(root.Descendants(Svg + "clipPath"));
    }

    [Fact]
    public void ResidualPlotHasOnePointPerObservationAndAZeroLine()
    {
        var root = Parse(ModelPlots.Render(PlotKind.ResidualsFitted, Model));
        Assert.Equal(180, root.Descendants(Svg + "g").SelectMany(g => g.Elements(Svg + "circle")).Count());
        Assert.Single(root.Descendants(Svg + "polyline"));   // R's loess of the residuals on the fitted values
        Assert.Contains("loess smoother", Texts(root));
        Assert.Contains(root.Descendants(Svg + "line"), l => l.Attribute("stroke-dasharray") is not null);
        var texts = Texts(root);
        Assert.Contains("Fitted values", texts);
        Assert.Contains("Residuals", texts);
    }

    [Fact]
    public void CaterpillarHasALabelledRowPerLevelAndTermColumn()
    {
        var root = Parse(ModelPlots.Render(PlotKind.Caterpillar, Model));
        var texts = Texts(root);
        Assert.Contains("Subject: (Intercept)", texts);
        Assert.Contains("Subject: Days", texts);
        foreach (var level in Model.RandomEffects()[0].Levels) Assert.Equal(2, texts.Count(t => t == level));
        Assert.Equal(36, root.Descendants(Svg + "circle").Count(c => c.Parent!.Name == Svg + "g"));
        // A legend names the two series.
        Assert.Contains("95% interval", texts);
        Assert.Contains("conditional mode", texts);
        Assert.Throws<ModelException>(() => ModelPlots.Render(PlotKind.Caterpillar, Model, options: new PlotOptions { Group = "Nope" }));
    }

    [Fact]
    public void GroupPanelsShowChosenGroupsWithThreeSeries()
    {
        var root = Parse(ModelPlots.Render(PlotKind.GroupPanels, Model, Sleep, new PlotOptions { Levels = ["308", "372"] }));
        var texts = Texts(root);
        Assert.Contains("308", texts);
        Assert.Contains("372", texts);
        Assert.DoesNotContain("309", texts);
        Assert.Contains("data", texts);
        Assert.Contains("model (conditional)", texts);
        Assert.Equal(20, root.Descendants(Svg + "circle").Count(c => c.Parent!.Name == Svg + "g"));
        Assert.Equal(4, root.Descendants(Svg + "polyline").Count());
        var first = ModelPlots.Render(PlotKind.GroupPanels, Model, Sleep, new PlotOptions { MaxPanels = 4 });
        Assert.Equal(4, Parse(first).Descendants(Svg + "clipPath").Count());
        Assert.Throws<ModelException>(() => ModelPlots.Render(PlotKind.GroupPanels, Model, Sleep, new PlotOptions { Levels = ["999"] }));
        Assert.Throws<ArgumentException>(() => ModelPlots.Render(PlotKind.GroupPanels, Model));
    }

    [Fact]
    public void SpaghettiHasALinePerGroupAndThePopulationLine()
    {
        var root = Parse(ModelPlots.Render(PlotKind.Spaghetti, Model, Sleep));
        Assert.Equal(19, root.Descendants(Svg + "polyline").Count());
        Assert.Contains("population (fixed effects)", Texts(root));
    }

    [Fact]
    public void TextIsEscaped()
    {
        var subject = (CategoricalColumn)Sleep["Subject"];
        var renamed = Sleep.With(new CategoricalColumn("Subject", subject.Codes, subject.Levels.Select(l => $"<{l}> & \"co\"").ToArray()));
        var m = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", renamed);
        var root = Parse(ModelPlots.Render(PlotKind.Caterpillar, m));
        Assert.Contains("<308> & \"co\"", Texts(root));
    }

    [Fact]
    public void TicksAreNiceNumbersInsideTheRange()
    {
        var s = new LinearScale(-0.36, 9.36, 0, 100);
        Assert.Equal([0.0, 2, 4, 6, 8], s.Ticks());
        Assert.Equal("4", s.Label(4));
        var small = new LinearScale(0.0012, 0.0094, 0, 100);
        Assert.All(small.Ticks(), t => Assert.InRange(t, 0.0012, 0.0094));
        Assert.Equal("0.004", small.Label(0.004));
    }
}

/// <summary>The plots of a generalized model: Pearson residuals against fitted means, QQ of deviance residuals, random effects.</summary>
public sealed class GlmmPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly GeneralizedLinearMixedModel Model = GeneralizedLinearMixedModel.Fit(
        "cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"));

    [Theory]
    [InlineData(PlotKind.ResidualsFitted, "Pearson residuals", 56)]
    [InlineData(PlotKind.QqResiduals, "Deviance residuals", 56)]
    [InlineData(PlotKind.ObservedFitted, "Fitted means", 56)]
    [InlineData(PlotKind.QqRandomEffects, "Conditional modes", 15)]
    public void PlotsShowOnePointPerObservationOrLevel(PlotKind kind, string label, int points)
    {
        var root = XDocument.Parse(ModelPlots.Render(kind, Model)).Root!;
        Assert.Contains(label, root.Descendants(Svg + "text").Select(t => t.Value));
        Assert.Equal(points, root.Descendants(Svg + "circle").Count(c => c.Parent!.Name == Svg + "g"));
    }

    [Fact]
    public void CaterpillarHasEveryHerd()
    {
        var texts = XDocument.Parse(ModelPlots.Render(PlotKind.Caterpillar, Model)).Root!.Descendants(Svg + "text").Select(t => t.Value).ToList();
        for (int h = 1; h <= 15; h++) Assert.Contains(h.ToString(System.Globalization.CultureInfo.InvariantCulture), texts);
    }

    [Fact]
    public void GroupPanelsAreRefusedWithAReason()
    {
        var e = Assert.Throws<ModelException>(() => ModelPlots.Render(PlotKind.GroupPanels, Model));
        Assert.Contains("linear mixed models only", e.Message);
    }
}

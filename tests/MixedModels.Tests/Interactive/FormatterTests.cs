using System.Xml.Linq;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using MixedModels.Data;
using MixedModels.DataFrames;
using MixedModels.Families;
using MixedModels.Interactive;
using MixedModels.Reporting.Plots;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Interactive;

/// <summary>Notebook display: every formatter's HTML is well-formed and carries the fit's numbers.</summary>
public sealed class FormatterTests
{
    private static readonly Table Sleep = Datasets.Load("sleepstudy");
    private static readonly LinearMixedModel Model = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Sleep);

    static FormatterTests() => Formatters.Register();

    /// <summary>The HTML parsed as XML (it is written as XHTML-compatible markup), so a broken tag fails here.</summary>
    private static XElement Parse(string html) => XElement.Parse("<root>" + html + "</root>");

    private static List<List<string>> Rows(XElement root, string caption) =>
        root.Descendants("table").Single(t => (string?)t.Element("caption") == caption)
            .Descendants("tr").Select(tr => tr.Elements().Select(c => c.Value).ToList()).ToList();

    [Fact]
    public void AFittedModelDisplaysAsItsSummaryTables()
    {
        string html = Model.ToDisplayString(HtmlFormatter.MimeType);
        Assert.Equal(Formatters.ToHtml(Model), html);
        var root = Parse(html);
        Assert.Contains("Linear mixed model fit by REML", root.Value);
        Assert.Equal(["REML criterion"], Rows(root, "Fit")[0]);
        Assert.Equal("1744", Rows(root, "Fit")[1][0]);   // 1743.6 to four digits
        var random = Rows(root, "Random effects");
        Assert.Equal(["Groups", "Name", "Variance", "Std.Dev.", "Corr"], random[0]);
        Assert.Equal(["Subject", "(Intercept)", "612.1", "24.74", ""], random[1]);
        Assert.Equal(["", "Days", "35.07", "5.922", "0.07"], random[2]);
        Assert.Equal(["Residual", "", "654.9", "25.59", ""], random[3]);
        var fixedRows = Rows(root, "Fixed effects");
        Assert.Equal(["", "Estimate", "Std. Error", "df", "t value", "Pr(>|t|)"], fixedRows[0]);
        Assert.Equal(["Days", "10.47", "1.546", "17", "6.771", "3.264E-06"], fixedRows[2]);
    }

    [Fact]
    public void GlmmTablesAndPlotsDisplay()
    {
        var cbpp = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"),
            new() { Family = Family.Create("binomial") });
        var root = Parse(cbpp.ToDisplayString(HtmlFormatter.MimeType));
        Assert.Contains("Generalized linear mixed model", root.Value);
        Assert.Equal(["", "Estimate", "Std. Error", "z value", "Pr(>|z|)"], Rows(root, "Fixed effects")[0]);
        Assert.Equal(5, Rows(root, "Fixed effects").Count);
        Assert.Equal(2, Rows(root, "Random effects").Count);   // no residual row for the binomial

        var tidy = Parse(Model.Tidy().ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal(7, Rows(tidy, "tidy").Count);
        var anova = Parse(Model.Anova().ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal("Days", Rows(anova, Model.Anova().Heading)[1][0]);
        var smaller = LinearMixedModel.Fit("Reaction ~ Days + (1 | Subject)", Sleep);
        var compare = Parse(Model.Compare(smaller).ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal(3, compare.Descendants("tr").Count());

        var plot = Model.Plot(PlotKind.Caterpillar);
        string svg = plot.ToDisplayString(HtmlFormatter.MimeType);
        Assert.StartsWith("<svg", svg.TrimStart());
        Assert.Equal(plot.Svg, svg);
    }

    [Fact]
    public void TextIsEscaped()
    {
        var data = Table.ReadCsv(new StringReader("y,x,g\n1,1,<b>\n2,2,<b>\n3,3,&c\n4,5,&c\n5,4,z\n7,6,z\n"));
        var m = LinearMixedModel.Fit("y ~ x + (1 | g)", data);
        var root = Parse(Formatters.ToHtml(m));   // would not parse with a raw <b> or &
        Assert.DoesNotContain(root.Descendants(), e => e.Name == "b" && e.Parent?.Name == "td");
    }

    [Fact]
    public void ADataFrameBecomesATable()
    {
        var df = new DataFrame(
            new DoubleDataFrameColumn("Reaction", ((NumericColumn)Sleep["Reaction"]).Values.ToArray()),
            new Int32DataFrameColumn("Days", ((NumericColumn)Sleep["Days"]).Values.ToArray().Select(d => (int)d)),
            new StringDataFrameColumn("Subject", Enumerable.Range(0, Sleep.RowCount).Select(i => ((CategoricalColumn)Sleep["Subject"])[i])));
        df["Reaction"][3] = null;
        var table = Table.FromDataFrame(df);
        Assert.True(table["Reaction"].IsMissing(3));
        Assert.IsType<CategoricalColumn>(table["Subject"]);
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", df.ToModelTable());
        Assert.Equal(179, m.Observations);
    }
}

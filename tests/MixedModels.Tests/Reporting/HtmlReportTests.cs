using System.Text.RegularExpressions;
using System.Xml.Linq;
using MixedModels.Data;
using MixedModels.Reporting;
using MixedModels.Results;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>The HTML report is one self-contained page with every section and plot.</summary>
public sealed partial class HtmlReportTests
{
    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdPattern();

    [Fact]
    public void GlmmReportHasOddsRatiosPlotsAndR2()
    {
        var m = GeneralizedLinearMixedModel.Fit("cbind(incidence, size - incidence) ~ period + (1 | herd)", Datasets.Load("cbpp"));
        string html = HtmlReport.Write(m);
        foreach (string heading in new[] { "Summary", "Fixed effects (z tests", "Fixed effects as odds ratios", "Variance explained", "Overdispersion", "Plots", "Conditional modes" })
            Assert.Contains($"<h2>{heading}", html);
        Assert.Contains("Generalized linear mixed model fit by maximum likelihood", html);
        Assert.Equal(5, Regex.Matches(html, "<figure>").Count);
        Assert.DoesNotContain("<script", html);
        var (code, text, err) = MixedModels.Tests.Cli.CliTests.Run("report", "--data", "cbpp", "--family", "binomial", "--formula", "cbind(incidence, size - incidence) ~ period + (1 | herd)");
        Assert.True(code == 0, err);
        Assert.Contains("Fixed effects as odds ratios", text);
    }

    [Fact]
    public void ReportIsSelfContainedWithEverySection()
    {
        var data = Datasets.Load("sleepstudy");
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", data);
        string html = HtmlReport.Write(m, data);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.EndsWith("</html>\n", html);
        foreach (string heading in new[] { "Summary", "Fixed effects", "Random-effect parameters", "Variance components", "Variance explained", "Outlying clusters", "Plots", "Conditional modes" })
            Assert.Contains($"<h2>{heading}", html);
        Assert.Contains("REML criterion at convergence: 1743.6", html);
        // Nothing is fetched from elsewhere.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        // Seven plots, each a well-formed SVG, with ids unique on the page.
        var svgs = Regex.Matches(html, "<svg .*?</svg>", RegexOptions.Singleline).Select(x => x.Value).ToList();
        Assert.Equal(7, svgs.Count);
        foreach (string svg in svgs) XDocument.Parse(svg);
        var ids = IdPattern().Matches(html).Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void ReportShowsWarningsAndWorksWithoutData()
    {
        var m = LinearMixedModel.Fit("Yield ~ 1 + (1 | Batch)", Datasets.Load("dyestuff2"));
        string html = HtmlReport.Write(m);
        Assert.Contains("<div class=\"warning\">boundary (singular) fit", html);
        Assert.Equal(5, Regex.Matches(html, "<svg ").Count);
        string lm = HtmlReport.Write(LinearMixedModel.Fit("Reaction ~ Days", Datasets.Load("sleepstudy")));
        Assert.Contains("Residual standard error", lm);
    }
}

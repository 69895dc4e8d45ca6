using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Xunit;

namespace MixedModels.Tests.Interactive;

/// <summary>
/// samples/sleepstudy.ipynb run cell by cell in a .NET Interactive C# kernel, as Polyglot Notebooks runs it: every
/// cell succeeds and every displayed result is HTML (tables or SVG). The first cell's package lines are replaced by
/// references to the assemblies just built.
/// </summary>
public sealed class NotebookTests
{
    private static string Notebook([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "..", "samples", "sleepstudy.ipynb"));

    [Fact]
    public async Task TheSampleNotebookRunsAndDisplaysHtml()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Notebook()));
        var cells = doc.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
        Assert.True(cells.Count >= 8);
        using var kernel = new CSharpKernel();
        string bin = AppContext.BaseDirectory;
        var outputs = new List<string>();
        foreach (var (cell, i) in cells.Select((c, i) => (c, i)))
        {
            string code = string.Join("\n", cell.Split('\n').Select(line =>
                line.StartsWith("#i ", StringComparison.Ordinal) ? ""
                : line.StartsWith("#r \"nuget: MixedModels.Interactive", StringComparison.Ordinal)
                    ? $"#r \"{Path.Combine(bin, "MixedModels.dll")}\"\n#r \"{Path.Combine(bin, "MixedModels.Interactive.dll")}\""
                    : line));
            var result = await kernel.SendAsync(new SubmitCode(code));
            var failed = result.Events.OfType<CommandFailed>().FirstOrDefault();
            Assert.True(failed is null, $"cell {i + 1} failed: {failed?.Message}\n{code}");
            foreach (var value in result.Events.OfType<DisplayEvent>())
            {
                var html = value.FormattedValues.FirstOrDefault(f => f.MimeType == "text/html")?.Value;
                Assert.False(html is null, $"cell {i + 1} displayed no HTML");
                outputs.Add(html!);
            }
        }
        Assert.Contains(outputs, o => o.Contains("Linear mixed model fit by REML") && o.Contains("<table"));
        Assert.Contains(outputs, o => o.Contains("<caption>tidy</caption>"));
        Assert.Contains(outputs, o => o.Contains("Type III Analysis of Variance"));
        Assert.Contains(outputs, o => o.TrimStart().StartsWith("<svg", StringComparison.Ordinal));
    }
}

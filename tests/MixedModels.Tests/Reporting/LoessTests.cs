using System.Text.Json;
using MixedModels.Data;
using MixedModels.Reporting.Plots;
using MixedModels.Tests.Reference;
using Xunit;

namespace MixedModels.Tests.Reporting;

/// <summary>The scatter plot's smoother against R's loess (tools/reference-loess.R, Reference/prep/loess.json).</summary>
public sealed class LoessTests
{
    private static readonly JsonElement Ref =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(ReferenceRecord.Directory("prep"), "loess.json"))).RootElement;

    public static TheoryData<string> Cases => new() { "sleep", "hsb", "small" };

    private static (double[] X, double[] Y) Data(string id, JsonElement r)
    {
        if (id == "small")
        {
            double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
            double[] y = new[] { 2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.3, 19.7, 22.4, 23.9 }.Select(Math.Sqrt).ToArray();
            return (x, y);
        }
        var t = Datasets.Load(id == "sleep" ? "sleepstudy" : "hsb");
        return (((NumericColumn)t[r.GetProperty("x").GetString()!]).Values.ToArray(), ((NumericColumn)t[r.GetProperty("y").GetString()!]).Values.ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BothSurfacesEqualRs(string id)
    {
        var r = Ref.GetProperty(id);
        var (x, y) = Data(id, r);
        var loess = new Loess(x, y);
        var grid = r.GetProperty("grid").EnumerateArray().Select(g => g.GetDouble()).ToArray();
        var direct = r.GetProperty("direct").EnumerateArray().Select(g => g.GetDouble()).ToArray();
        var interpolated = r.GetProperty("interpolate").EnumerateArray().Select(g => g.GetDouble()).ToArray();
        double range = y.Max() - y.Min();
        for (int i = 0; i < grid.Length; i++)
        {
            double exact = loess.Direct(grid[i]), fit = loess.At(grid[i]);
            Assert.True(Math.Abs(exact - direct[i]) <= 1e-8 * Math.Max(1, Math.Abs(direct[i])), $"x = {grid[i]}: {exact} vs R's direct {direct[i]}");
            Assert.True(Math.Abs(fit - interpolated[i]) <= 1e-8 * Math.Max(1, Math.Abs(interpolated[i])), $"x = {grid[i]}: {fit} vs R's default {interpolated[i]}");
        }
    }
}

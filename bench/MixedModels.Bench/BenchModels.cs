using MixedModels.Benchmarks;
using MixedModels.Design;

namespace MixedModels.Bench;

/// <summary>The library's benchmark suite (<see cref="BenchmarkSuite"/>) as BenchmarkDotNet parameters.</summary>
internal static class BenchModels
{
    /// <summary>All model names, for [ParamsSource].</summary>
    public static IEnumerable<string> Names => BenchmarkSuite.Models.Select(m => m.Name);

    public static BenchmarkModel Get(string name) => BenchmarkSuite.Get(name);

    public static ModelDesign Design(BenchmarkModel m) => ModelDesign.Build(m.Formula, BenchmarkSuite.DataOf(m),
        m.Family is { } f ? new DesignOptions { Family = MixedModels.Families.Family.Create(f) } : null, m.Name);
}

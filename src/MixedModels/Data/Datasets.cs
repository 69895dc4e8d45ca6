using System.Collections.Concurrent;
using System.IO.Compression;

namespace MixedModels.Data;

/// <summary>A data set shipped inside the library.</summary>
/// <param name="Name">The name it is loaded by.</param>
/// <param name="Description">One line on what it is.</param>
/// <param name="Source">Where the data come from.</param>
public sealed record DatasetInfo(string Name, string Description, string Source);

/// <summary>
/// The data sets embedded in the library (from R's lme4, nlme and mlmRev packages), loaded by name with their
/// grouping columns already categorical and their level orders as R has them.
/// </summary>
public static class Datasets
{
    private sealed record Spec(DatasetInfo Info, string[] Factors, (string Column, string[] Levels)[] Ordered);

    private static readonly Spec[] Specs =
    [
        new(new("sleepstudy", "Reaction times (ms) over 10 days of sleep deprivation, 18 subjects", "Belenky et al. (2003), R package lme4"),
            ["Subject"], []),
        new(new("sleepstudy_missing", "sleepstudy with 23 responses and 7 Days values missing", "derived from lme4's sleepstudy"),
            ["Subject"], []),
        new(new("dyestuff", "Yield of dyestuff (grams) from 5 preparations of each of 6 batches", "Davies (1947), R package lme4"),
            ["Batch"], []),
        new(new("dyestuff2", "Simulated yields by batch; its fit is singular", "Box & Tiao (1973), R package lme4"),
            ["Batch"], []),
        new(new("penicillin", "Penicillin potency: inhibition zone diameter, 24 plates crossed with 6 samples", "Davies & Goldsmith (1972), R package lme4"),
            ["plate", "sample"], []),
        new(new("pastes", "Paste strength: 3 casks nested in each of 10 batches, 2 assays each", "Davies & Goldsmith (1972), R package lme4"),
            ["batch", "cask"], []),
        new(new("hsb", "High School and Beyond: math achievement of 7185 students in 160 schools", "Raudenbush & Bryk (2002), R packages nlme/mlmRev"),
            ["School", "Minority", "Sex", "Sector"], []),
        new(new("orthodont", "Orthodontic growth: pituitary-pterygomaxillary distance by age, 27 children", "Potthoff & Roy (1964), R package nlme"),
            ["Subject", "Sex"], []),
        new(new("prepost", "Pre/post scores of 100 people in 2 groups with a person covariate EM; 12 post scores missing", "R package lme4 seeds"),
            ["id", "group"], [("time", ["pre", "post"])]),
        new(new("insteval", "Lecture evaluations: 73421 ratings by 2972 students of 1128 lecturers in 14 departments", "ETH Zurich, R package lme4"),
            ["s", "d", "studage", "lectage", "service", "dept"], []),
    ];

    private static readonly ConcurrentDictionary<string, Table> Cache = new(StringComparer.Ordinal);

    /// <summary>The embedded data sets.</summary>
    public static IReadOnlyList<DatasetInfo> All { get; } = Array.ConvertAll(Specs, s => s.Info);

    /// <summary>True when an embedded data set has this name.</summary>
    public static bool Exists(string name) => Array.Exists(Specs, s => s.Info.Name == name);

    /// <summary>Loads an embedded data set by name; an error lists the names when there is none.</summary>
    public static Table Load(string name)
    {
        var spec = Array.Find(Specs, s => s.Info.Name == name)
            ?? throw new DataException($"there is no embedded data set '{name}'. Embedded data sets: {string.Join(", ", All.Select(d => d.Name))}");
        return Cache.GetOrAdd(name, _ => Read(spec));
    }

    private static Table Read(Spec spec)
    {
        var asm = typeof(Datasets).Assembly;
        using var stream = asm.GetManifestResourceStream($"MixedModels.Datasets.{spec.Info.Name}.csv.gz")
            ?? throw new InvalidOperationException($"embedded resource for '{spec.Info.Name}' is missing");
        using var gz = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gz);
        var table = Table.ReadCsv(reader);
        foreach (string f in spec.Factors) table = table.AsFactor(f);
        foreach (var (column, levels) in spec.Ordered) table = table.AsFactor(column, levels, ordered: true);
        return table;
    }
}

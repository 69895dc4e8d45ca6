using System.Text.Json;
using MixedModels.Data;
using MixedModels.Design;
using MixedModels.Estimation;
using MixedModels.Results;

namespace MixedModels.Tests.Reference;

/// <summary>
/// One lme4 reference fit as stored in Reference/*/*.json (layout of ../shared/reference/fits, documented in
/// Reference/README-lme4-reference.md). R's jsonlite writes length-1 vectors as scalars, so every array reader
/// accepts a scalar too.
/// </summary>
public sealed class ReferenceRecord
{
    private ReferenceRecord(string set, string id, JsonElement root) { Set = set; Id = id; Root = root; }

    public string Set { get; }
    public string Id { get; }
    public JsonElement Root { get; }

    public static string Directory(string set) => Path.Combine(AppContext.BaseDirectory, "Reference", set);

    public static ReferenceRecord Load(string set, string id)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory(set), id + ".json"))).RootElement;
        return new ReferenceRecord(set, id, root);
    }

    public static bool Exists(string set, string id) => File.Exists(Path.Combine(Directory(set), id + ".json"));

    /// <summary>The ids of the records of a set that are model fits (they have θ).</summary>
    public static IEnumerable<string> FitIds(string set) =>
        System.IO.Directory.GetFiles(Directory(set), "*.json").Select(Path.GetFileNameWithoutExtension).Order()
            .Where(id => JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory(set), id + ".json"))).RootElement.TryGetProperty("theta", out _))!;

    public string Formula => Root.GetProperty("formula").GetString()!;
    public string DataName => Root.GetProperty("data").GetString()!.Replace(".csv", "");
    public bool Reml => Root.GetProperty("reml").GetBoolean();
    public double Number(string name) => Root.GetProperty(name).GetDouble();

    public static double[] Numbers(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? double.NaN : x.GetDouble()).ToArray() : [e.GetDouble()];

    public static string[] Strings(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.GetString()!).ToArray() : [e.GetString()!];

    public double[] Numbers(string name) => Numbers(Root.GetProperty(name));

    public DesignOptions DesignOptions()
    {
        var contrasts = new Dictionary<string, ContrastKind>();
        if (Root.TryGetProperty("contrasts", out var c) && c.ValueKind == JsonValueKind.Object)
            foreach (var p in c.EnumerateObject())
                contrasts[p.Name] = p.Value.GetString() switch
                {
                    "contr.sum" => ContrastKind.Sum,
                    "contr.helmert" => ContrastKind.Helmert,
                    "contr.poly" => ContrastKind.Polynomial,
                    _ => ContrastKind.Treatment,
                };
        return new DesignOptions { Contrasts = contrasts };
    }

    /// <summary>Fits the record's model to the embedded data set of the same name.</summary>
    public LinearMixedModel Fit() =>
        LinearMixedModel.Fit(Formula, Datasets.Load(DataName), new FitOptions { Reml = Reml }, DesignOptions(), DataName);
}

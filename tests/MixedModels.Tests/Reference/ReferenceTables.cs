using System.Text.Json;
using MixedModels.Data;

namespace MixedModels.Tests.Reference;

/// <summary>The data of a reference fit made by a tools/ script: the embedded data set its "data" names, with the factor levels its "factors" lists.</summary>
internal static class ReferenceTables
{
    public static Table Load(JsonElement json)
    {
        var table = Datasets.Load(Path.GetFileNameWithoutExtension(json.GetProperty("data").GetString()!));
        foreach (var f in json.GetProperty("factors").EnumerateObject())
            table = table.AsFactor(f.Name, f.Value.GetProperty("levels").EnumerateArray().Select(e => e.GetString()!).ToArray());
        return table;
    }
}

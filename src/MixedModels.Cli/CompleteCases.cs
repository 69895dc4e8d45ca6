using MixedModels.Data;
using MixedModels.Results;

namespace MixedModels.Cli;

/// <summary>
/// --complete-cases: models with different missing values are fitted to different rows and cannot be compared; this
/// keeps the rows every model can use (R's <c>na.omit</c> of the union of the models' variables) and refits them there.
/// </summary>
internal static class CompleteCases
{
    /// <summary>
    /// The data restricted to the rows that every model keeps, told to <paramref name="notes"/>; the data unchanged when
    /// the models keep the same rows already.
    /// </summary>
    public static (Table Table, string Name) Restrict((Table Table, string Name) data, IReadOnlyList<IMixedModel> fitted, TextWriter notes)
    {
        var common = new HashSet<int>(fitted[0].Design.Frame.KeptRows);
        foreach (var m in fitted.Skip(1)) common.IntersectWith(m.Design.Frame.KeptRows);
        if (fitted.All(m => m.Design.Frame.KeptRows.Count == common.Count)) return data;
        var rows = common.Order().ToArray();
        notes.WriteLine($"complete cases: {rows.Length} of {data.Table.RowCount} rows have every model's variables; all models are fitted to those rows");
        if (rows.Length == 0) throw new MixedModelsDataException("complete cases: no row has a value for every variable of every model");
        return (data.Table.Select(rows), data.Name);
    }
}

using MixedModels.Data;

namespace MixedModels.Pushdown;

/// <summary>
/// Adds up the results of one aggregate query run on each part of a source (the partitions of a table, perhaps on
/// other servers): sums and counts are associative, so the parts' totals add, and the parts' cells add by key.
/// </summary>
internal static class PartialSums
{
    /// <summary>The one-row results added column by column (a missing sum, over no rows, counts 0).</summary>
    public static Table Totals(IReadOnlyList<Table> parts)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        var columns = new List<Column>();
        for (int j = 0; j < first.Columns.Count; j++)
        {
            double sum = 0;
            bool any = false;
            foreach (var t in parts)
            {
                var c = (NumericColumn)t.Columns[j];
                if (c.IsMissing(0)) continue;
                sum += c[0];
                any = true;
            }
            columns.Add(new NumericColumn(first.Columns[j].Name, [any ? sum : double.NaN]));
        }
        return new Table(columns);
    }

    /// <summary>
    /// The parts' cells merged: rows with the same values of the <paramref name="keys"/> leading columns become one,
    /// their numeric columns added; the trailing key-text columns are kept from the first part that has the cell.
    /// </summary>
    public static Table Cells(IReadOnlyList<Table> parts, int keys)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        int width = first.Columns.Count, sums = width - 2 * keys;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyValues = new List<object?[]>();
        var keyText = new List<string?[]>();
        var totals = new List<double[]>();
        foreach (var t in parts)
            for (int r = 0; r < t.RowCount; r++)
            {
                var text = new string?[keys];
                for (int k = 0; k < keys; k++) text[k] = ((CategoricalColumn)t.Columns[width - keys + k])[r];
                string key = string.Join("\u001f", text);
                if (!index.TryGetValue(key, out int cell))
                {
                    index[key] = cell = totals.Count;
                    keyText.Add(text);
                    keyValues.Add(Enumerable.Range(0, keys).Select(k => t.Columns[k] switch
                    {
                        NumericColumn n => (object)n[r],
                        CategoricalColumn c => c[r],
                        _ => null,
                    }).ToArray());
                    totals.Add(new double[sums]);
                }
                for (int j = 0; j < sums; j++) totals[cell][j] += ((NumericColumn)t.Columns[keys + j])[r];
            }
        var columns = new List<Column>();
        for (int k = 0; k < keys; k++)
        {
            var name = first.Columns[k].Name;
            var values = keyValues.Select(v => v[k]).ToArray();
            columns.Add(first.Columns[k] is NumericColumn
                ? new NumericColumn(name, values.Select(v => v is double d ? d : double.NaN).ToArray())
                : CategoricalColumn.FromStrings(name, values.Select(v => v as string).ToArray()));
        }
        for (int j = 0; j < sums; j++) columns.Add(new NumericColumn(first.Columns[keys + j].Name, totals.Select(v => v[j]).ToArray()));
        for (int k = 0; k < keys; k++) columns.Add(CategoricalColumn.FromStrings(first.Columns[width - keys + k].Name, keyText.Select(v => v[k]).ToArray()));
        return new Table(columns);
    }
}

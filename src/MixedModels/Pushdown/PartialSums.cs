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
    /// their numeric columns added; categorical columns after the keys (a key's text) are kept from the first part
    /// that has the cell.
    /// </summary>
    public static Table Cells(IReadOnlyList<Table> parts, int keys)
    {
        if (parts.Count == 1) return parts[0];
        var first = parts[0];
        int width = first.Columns.Count;
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var rows = new List<(int Part, int Row)>();
        var totals = new List<double[]>();
        var key = new System.Text.StringBuilder();
        for (int part = 0; part < parts.Count; part++)
        {
            var t = parts[part];
            for (int r = 0; r < t.RowCount; r++)
            {
                key.Clear();
                for (int k = 0; k < keys; k++)
                    key.Append(t.Columns[k] is NumericColumn n ? BitConverter.DoubleToInt64Bits(n[r]).ToString(System.Globalization.CultureInfo.InvariantCulture) : ((CategoricalColumn)t.Columns[k])[r]).Append('\u001f');
                if (!index.TryGetValue(key.ToString(), out int cell))
                {
                    index[key.ToString()] = cell = totals.Count;
                    rows.Add((part, r));
                    totals.Add(new double[width]);
                }
                for (int j = keys; j < width; j++)
                    if (t.Columns[j] is NumericColumn n) totals[cell][j] += n[r];
            }
        }
        var columns = new List<Column>();
        for (int j = 0; j < width; j++)
        {
            var name = first.Columns[j].Name;
            if (first.Columns[j] is NumericColumn)
                columns.Add(new NumericColumn(name, j < keys
                    ? rows.Select(x => ((NumericColumn)parts[x.Part].Columns[j])[x.Row]).ToArray()
                    : totals.Select(v => v[j]).ToArray()));
            else
                columns.Add(CategoricalColumn.FromStrings(name, rows.Select(x => ((CategoricalColumn)parts[x.Part].Columns[j])[x.Row]).ToArray()));
        }
        return new Table(columns);
    }
}

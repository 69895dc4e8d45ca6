using System.Data;

namespace MixedModels.Data;

/// <summary>Reads every row of an ADO.NET <see cref="IDataReader"/> into a <see cref="Table"/>.</summary>
internal static class DataReaderLoader
{
    private enum Kind { Number, Boolean, Text, DateTime }

    public static Table Load(IDataReader reader, IProgress<long>? rowsRead = null)
    {
        var (builders, kinds) = Columns(reader);
        long row = 0;
        while (reader.Read()) AddRow(reader, builders, kinds, ++row, rowsRead);
        rowsRead?.Report(row);
        return new Table(builders.Select(b => b.Build()));
    }

    public static async Task<Table> LoadAsync(System.Data.Common.DbDataReader reader, IProgress<long>? rowsRead, CancellationToken cancellation)
    {
        var (builders, kinds) = Columns(reader);
        long row = 0;
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false)) AddRow(reader, builders, kinds, ++row, rowsRead);
        rowsRead?.Report(row);
        return new Table(builders.Select(b => b.Build()));
    }

    private static (ColumnBuilder[] Builders, Kind[] Kinds) Columns(IDataReader reader)
    {
        int n = reader.FieldCount;
        if (n == 0) throw new MixedModelsDataException("the query returned no columns");
        var builders = new ColumnBuilder[n];
        var kinds = new Kind[n];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string name = reader.GetName(i);
            if (string.IsNullOrEmpty(name)) throw new MixedModelsDataException($"column {i + 1} of the query result has no name; give it one with AS");
            if (!seen.Add(name)) throw new MixedModelsDataException($"the query result names column '{name}' twice; give the columns distinct names with AS", column: name);
            builders[i] = new ColumnBuilder(name);
            kinds[i] = KindOf(reader.GetFieldType(i), name);
        }
        return (builders, kinds);
    }

    private static void AddRow(IDataReader reader, ColumnBuilder[] builders, Kind[] kinds, long row, IProgress<long>? rowsRead)
    {
        if (row % 10_000 == 0) rowsRead?.Report(row);
        for (int i = 0; i < builders.Length; i++)
        {
            if (reader.IsDBNull(i)) { builders[i].AddMissing(); continue; }
            switch (kinds[i])
            {
                case Kind.Number:
                    builders[i].AddNumber(Number(reader, i, row, builders[i].Name));
                    break;
                case Kind.Boolean:
                    builders[i].AddCategory(reader.GetBoolean(i) ? "TRUE" : "FALSE");
                    break;
                case Kind.DateTime:
                    builders[i].AddCategory(ValueTypes.DateTimeText(reader.GetValue(i)));
                    break;
                default:
                    builders[i].AddCategory(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                    break;
            }
        }
    }

    /// <summary>
    /// A numeric field as a double. A provider's decimal type cannot hold every database number: PostgreSQL's numeric
    /// NaN and Infinity, or a value beyond decimal's ±7.9e28, cannot be read; that is refused naming the column and row,
    /// with the cast that reads it (double precision) instead of an internal error.
    /// </summary>
    private static double Number(IDataReader reader, int i, long row, string name)
    {
        try
        {
            return reader.GetValue(i) switch
            {
                System.Numerics.BigInteger b => (double)b,
                Int128 l => (double)l,
                UInt128 u => (double)u,
                Half h => (double)h,
                var v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            throw new MixedModelsDataException(
                $"row {row} of the query: column '{name}' ({reader.GetDataTypeName(i)}) holds NaN, an infinity or a number beyond the decimal range, which cannot be read as it is; cast it to double precision in the query (e.g. {name}::float8)",
                column: name);
        }
    }

    private static Kind KindOf(Type t, string name)
    {
        if (ValueTypes.IsNumber(t)) return Kind.Number;
        if (t == typeof(bool)) return Kind.Boolean;
        if (ValueTypes.IsText(t)) return Kind.Text;
        if (ValueTypes.IsDateTime(t)) return Kind.DateTime;
        throw new MixedModelsDataException($"column '{name}' has the type {t.Name}, which cannot be used in a model (a list, structure or binary value); cast it to a number or text in the query",
            column: name);
    }
}

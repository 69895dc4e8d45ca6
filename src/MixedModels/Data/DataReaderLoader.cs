using System.Data;

namespace MixedModels.Data;

/// <summary>Reads every row of an ADO.NET <see cref="IDataReader"/> into a <see cref="Table"/>.</summary>
internal static class DataReaderLoader
{
    private enum Kind { Number, Boolean, Text }

    public static Table Load(IDataReader reader, IProgress<long>? rowsRead = null)
    {
        int n = reader.FieldCount;
        if (n == 0) throw new DataException("the query returned no columns");
        var builders = new ColumnBuilder[n];
        var kinds = new Kind[n];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string name = reader.GetName(i);
            if (string.IsNullOrEmpty(name)) throw new DataException($"column {i + 1} of the query result has no name; give it one with AS");
            if (!seen.Add(name)) throw new DataException($"the query result names column '{name}' twice; give the columns distinct names with AS", column: name);
            builders[i] = new ColumnBuilder(name);
            kinds[i] = KindOf(reader.GetFieldType(i), name);
        }
        long row = 0;
        while (reader.Read())
        {
            if (++row % 10_000 == 0) rowsRead?.Report(row);
            for (int i = 0; i < n; i++)
            {
                if (reader.IsDBNull(i)) { builders[i].AddMissing(); continue; }
                switch (kinds[i])
                {
                    case Kind.Number:
                        builders[i].AddNumber(Convert.ToDouble(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case Kind.Boolean:
                        builders[i].AddCategory(reader.GetBoolean(i) ? "TRUE" : "FALSE");
                        break;
                    default:
                        builders[i].AddCategory(Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
                        break;
                }
            }
        }
        rowsRead?.Report(row);
        return new Table(builders.Select(b => b.Build()));
    }

    private static Kind KindOf(Type t, string name)
    {
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(int) || t == typeof(long)
            || t == typeof(short) || t == typeof(byte) || t == typeof(sbyte) || t == typeof(uint) || t == typeof(ulong)
            || t == typeof(ushort)) return Kind.Number;
        if (t == typeof(bool)) return Kind.Boolean;
        if (t == typeof(string) || t == typeof(char) || t == typeof(Guid)) return Kind.Text;
        throw new DataException($"column '{name}' has the database type {t.Name}, which cannot be used in a model; cast it to a number or text in the query",
            column: name);
    }
}

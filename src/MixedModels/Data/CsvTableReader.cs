namespace MixedModels.Data;

/// <summary>Reads CSV into a <see cref="Table"/> in one streaming pass, inferring column types.</summary>
internal static class CsvTableReader
{
    public static Table ReadFile(string path, CsvOptions options)
    {
        if (Directory.Exists(path)) throw new DataException($"cannot read '{path}': it is a directory, not a file");
        if (!File.Exists(path)) throw new DataException($"cannot read '{path}': there is no such file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
            return Read(reader, options);
        }
        catch (IOException e) { throw new DataException($"cannot read '{path}': {e.Message}"); }
        catch (UnauthorizedAccessException) { throw new DataException($"cannot read '{path}': permission denied"); }
    }

    public static Table Read(TextReader reader, CsvOptions options)
    {
        var parser = new CsvRecordParser(reader, options.Separator);
        bool any;
        do any = parser.ReadRecord(); while (any && parser.IsBlank);
        if (!any) throw new DataException("the data is empty: there is no header row");
        var builders = new ColumnBuilder[parser.FieldCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < builders.Length; i++)
        {
            string name = parser.Field(i).ToString().Trim();
            if (i == 0) name = name.TrimStart('\uFEFF');
            if (name.Length == 0) throw new DataException($"column {i + 1} of the header has no name", parser.RecordLine);
            if (seen.TryGetValue(name, out int first))
                throw new DataException($"the header names column '{name}' twice (columns {first + 1} and {i + 1}); column names must be distinct",
                    parser.RecordLine, name);
            seen.Add(name, i);
            builders[i] = new ColumnBuilder(name);
        }
        var missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        var lookup = missing.GetAlternateLookup<ReadOnlySpan<char>>();
        while (parser.ReadRecord())
        {
            if (parser.IsBlank) continue;
            if (parser.FieldCount != builders.Length)
                throw new DataException(
                    $"this row has {parser.FieldCount} field{(parser.FieldCount == 1 ? "" : "s")} but the header has {builders.Length}",
                    parser.RecordLine);
            for (int i = 0; i < builders.Length; i++)
            {
                var field = parser.Field(i);
                if (lookup.Contains(field) || (!parser.IsQuoted(i) && field.Trim().IsEmpty)) builders[i].AddMissing();
                else builders[i].AddText(field);
            }
        }
        return new Table(builders.Select(b => b.Build()));
    }
}

namespace MixedModels.Data;

/// <summary>Reads CSV into a <see cref="Table"/> in one streaming pass, inferring column types.</summary>
internal static class CsvTableReader
{
    /// <summary>NUL, and U+FFFD, which the UTF-8 decoder puts where the bytes are not valid UTF-8.</summary>
    private static readonly System.Buffers.SearchValues<char> NotText = System.Buffers.SearchValues.Create("\0\uFFFD");

    public static Table ReadFile(string path, CsvOptions options, IProgress<long>? bytesRead = null)
    {
        if (Directory.Exists(path)) throw new DataException($"cannot read '{path}': it is a directory, not a file");
        if (!File.Exists(path)) throw new DataException($"cannot read '{path}': there is no such file");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            return ReadStream(stream, path, options, bytesRead);
        }
        catch (IOException e) { throw new DataException($"cannot read '{path}': {e.Message}"); }
        catch (UnauthorizedAccessException) { throw new DataException($"cannot read '{path}': permission denied"); }
    }

    /// <summary>
    /// CSV from a stream that need not seek (standard input, a pipe, a process substitution): the first block is read
    /// once for the text check and then given back to the reader in front of the rest.
    /// </summary>
    public static Table ReadStream(Stream stream, string name, CsvOptions options, IProgress<long>? bytesRead = null)
    {
        var head = new byte[4096];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        CheckText(head.AsSpan(0, n), name);
        using Stream whole = new PrefixStream(head.AsMemory(0, n), stream);
        using Stream source = bytesRead is null ? whole : new ProgressStream(whole, bytesRead);
        using var reader = new StreamReader(source, detectEncodingFromByteOrderMarks: true);
        return Read(reader, options);
    }

    /// <summary>Refuses a file that is not text (a spreadsheet, a zip or gzip archive, other binary data) from its first bytes.</summary>
    private static void CheckText(ReadOnlySpan<byte> head, string path)
    {
        int n = head.Length;
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
            throw new DataException($"'{path}' is not a CSV file: it is a zip archive, such as an Excel workbook (.xlsx); save the sheet as CSV and read that");
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
            throw new DataException($"'{path}' is gzip-compressed; decompress it (gunzip) and read the CSV inside");
        if (n >= 8 && head[..8].SequenceEqual(new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }))
            throw new DataException($"'{path}' is not a CSV file: it is an old-style Excel workbook (.xls); save the sheet as CSV and read that");
        bool utf16 = n >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF));
        if (!utf16 && head.Contains((byte)0))
            throw new DataException($"'{path}' is not a text file (it contains binary data); give a CSV file");
    }

    public static Table Read(TextReader reader, CsvOptions options)
    {
        var parser = new CsvRecordParser(reader, options.Separator);
        if (options.DetectSeparator) parser.DetectSeparator();
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
        // A semicolon-separated file is the European convention (R's read.csv2): "1,5" is the number 1.5.
        bool decimalComma = parser.Separator == ';';
        Span<char> decimalBuffer = stackalloc char[64];
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
                else if (field.IndexOfAny(NotText) >= 0)
                    throw new DataException(
                        $"field {i + 1} ('{builders[i].Name}') contains {(field.Contains('\0') ? "a NUL character" : "bytes that are not valid UTF-8")}: the file is not plain UTF-8 text here (save it as UTF-8 CSV)",
                        parser.RecordLine, builders[i].Name);
                else if (decimalComma) builders[i].AddDecimalCommaText(field, decimalBuffer);
                else builders[i].AddText(field);
            }
        }
        return new Table(builders.Select(b => b.Build()));
    }
}

using nietras.SeparatedValues;

namespace MixedModels.Data;

/// <summary>
/// What the fields of CSV records mean, one record at a time: the first non-blank record is the header; a field
/// may be quoted (RFC 4180: separators, line breaks and doubled quotes inside; spaces around the quotes ignored);
/// a quote elsewhere, text after a closing quote and a quote never closed are refused with the line; blank lines
/// are skipped; NUL or invalid UTF-8 is refused; the configured texts are missing values; numbers are parsed as they
/// arrive and a column becomes categorical at its first non-number (see <see cref="ColumnBuilder"/>).
/// </summary>
internal sealed class CsvRecordSink
{
    /// <summary>NUL, and U+FFFD, which the UTF-8 decoder puts where the bytes are not valid UTF-8.</summary>
    private static readonly System.Buffers.SearchValues<char> NotText = System.Buffers.SearchValues.Create("\0\uFFFD");

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _missing;
    private readonly int _longestMissing;
    private readonly bool _decimalComma;
    private ColumnBuilder[]? _builders;
    private char[] _unquoted = new char[256];
    private readonly char[] _decimalBuffer = new char[64];

    public CsvRecordSink(CsvOptions options, char separator)
    {
        Separator = separator;
        var missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        _missing = missing.GetAlternateLookup<ReadOnlySpan<char>>();
        _longestMissing = missing.Count == 0 ? -1 : missing.Max(m => m.Length);
        // A semicolon-separated file is the European convention (R's read.csv2): "1,5" is the number 1.5.
        _decimalComma = separator == ';';
    }

    /// <summary>The field separator in use.</summary>
    public char Separator { get; }

    public void Accept(SepReader.Row row)
    {
        int n = row.ColCount;
        if (n == 1 && row[0].Span.IsEmpty) return;  // a blank line
        long line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;   // Sep 0.17 gives the first row LineNumberFrom 2
        if (_builders is null) { Header(row, line); return; }
        var builders = _builders;
        if (n != builders.Length)
        {
            // A stray or unclosed quote makes Sep join fields; say so rather than miscount them.
            for (int i = 0; i < n; i++) if (row[i].Span.Contains('"')) Unquote(row[i].Span, line);
            throw new MixedModelsDataException($"this row has {n} field{(n == 1 ? "" : "s")} but the header has {builders.Length}", line);
        }
        for (int i = 0; i < n; i++)
        {
            var col = row[i];
            var field = col.Span;
            var builder = builders[i];
            bool quoted = field.Contains('"');
            if (quoted) field = Unquote(field, line);
            else if (!_decimalComma && !builder.IsText && field.Length > _longestMissing && col.TryParse<double>() is { } fast && double.IsFinite(fast))
            {
                builder.AddNumber(fast);   // the common case: an unquoted number (Sep's fast parser; anything else takes the path below)
                continue;
            }
            if ((field.Length <= _longestMissing && _missing.Contains(field)) || (!quoted && field.Trim().IsEmpty)) builder.AddMissing();
            else if (field.IndexOfAny(NotText) >= 0)
                throw new MixedModelsDataException(
                    $"field {i + 1} ('{builder.Name}') contains {(field.Contains('\0') ? "a NUL character" : "bytes that are not valid UTF-8")}: the file is not plain UTF-8 text here (save it as UTF-8 CSV)",
                    line, builder.Name);
            else if (_decimalComma) builder.AddDecimalCommaText(field, _decimalBuffer);
            else builder.AddText(field);
        }
    }

    private void Header(SepReader.Row row, long line)
    {
        var builders = new ColumnBuilder[row.ColCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < builders.Length; i++)
        {
            var field = row[i].Span;
            if (field.Contains('"')) field = Unquote(field, line);
            string name = field.ToString().Trim();
            if (i == 0) name = name.TrimStart('\uFEFF');
            if (name.Length == 0) throw new MixedModelsDataException($"column {i + 1} of the header has no name", line);
            if (seen.TryGetValue(name, out int first))
                throw new MixedModelsDataException($"the header names column '{name}' twice (columns {first + 1} and {i + 1}); column names must be distinct",
                    line, name);
            seen.Add(name, i);
            builders[i] = new ColumnBuilder(name);
        }
        _builders = builders;
    }

    /// <summary>
    /// The text of a field that holds a quote: spaces or tabs, a quoted part with doubled quotes for quotes, spaces or
    /// tabs. Anything else is refused as the hand-written parser before Sep refused it.
    /// </summary>
    private ReadOnlySpan<char> Unquote(ReadOnlySpan<char> field, long line)
    {
        int open = field.IndexOf('"');
        if (!field[..open].Trim(" \t").IsEmpty)
            throw new MixedModelsDataException("a quote character inside an unquoted field; quote the whole field and double any quote inside it", line);
        if (_unquoted.Length < field.Length) _unquoted = new char[Math.Max(field.Length, 2 * _unquoted.Length)];
        int length = 0, i = open + 1;
        while (true)
        {
            int q = field[i..].IndexOf('"');
            if (q < 0) throw new MixedModelsDataException("a quoted field that starts on this line is never closed", line);
            field.Slice(i, q).CopyTo(_unquoted.AsSpan(length));
            length += q;
            i += q + 1;
            if (i < field.Length && field[i] == '"') { _unquoted[length++] = '"'; i++; continue; }
            break;
        }
        var after = field[i..].TrimStart(" \t");
        if (!after.IsEmpty) throw new MixedModelsDataException($"unexpected character '{after[0]}' after the closing quote of a field", line);
        return _unquoted.AsSpan(0, length);
    }

    public Table Build()
    {
        if (_builders is null) throw new MixedModelsDataException("the data is empty: there is no header row");
        return new Table(_builders.Select(b => b.Build()));
    }
}

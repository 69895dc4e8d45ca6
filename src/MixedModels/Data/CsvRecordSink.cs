using nietras.SeparatedValues;

namespace MixedModels.Data;

/// <summary>
/// The records Sep splits, one at a time: the first non-blank record is the header, blank lines are skipped, every
/// other record must have the header's number of fields, whose values each column's <see cref="CsvColumnConverter"/>
/// takes. A record is searched once for quotes and for non-text characters, so most fields need neither check.
/// </summary>
internal sealed class CsvRecordSink(CsvOptions options, char separator)
{
    private readonly CsvOptions _options = options;
    private readonly CsvFieldRules _rules = new(options, separator);
    private CsvColumnConverter[]? _columns;
    private char[] _headerBuffer = new char[256];

    /// <summary>The field separator in use.</summary>
    public char Separator => separator;

    /// <summary>The line after the last record accepted (where the next record starts).</summary>
    public long NextLine { get; private set; } = 1;

    public void Accept(SepReader.Row row)
    {
        int n = row.ColCount;
        long line = row.RowIndex == 0 ? 1 : row.LineNumberFrom;   // Sep 0.17 gives the first row LineNumberFrom 2
        NextLine = row.LineNumberToExcl;
        if (n == 1 && row[0].Span.IsEmpty) return;  // a blank line
        var columns = _columns;
        if (columns is null) { Header(row, line); return; }
        var text = row.Span;
        bool quote = text.Contains('"');
        if (n != columns.Length)
        {
            // A stray or unclosed quote makes Sep join fields; say so rather than miscount them.
            if (quote) for (int i = 0; i < n; i++) if (row[i].Span.Contains('"')) CsvQuotes.Unquote(row[i].Span, line, ref _headerBuffer);
            throw new MixedModelsDataException($"this row has {n} field{(n == 1 ? "" : "s")} but the header has {columns.Length}", line);
        }
        bool notText = text.IndexOfAny(CsvColumnConverter.NotText) >= 0;
        for (int i = 0; i < columns.Length; i++) columns[i].Add(row[i].Span, line, quote, notText);
    }

    private void Header(SepReader.Row row, long line)
    {
        var columns = new CsvColumnConverter[row.ColCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < columns.Length; i++)
        {
            var field = row[i].Span;
            if (field.Contains('"')) field = CsvQuotes.Unquote(field, line, ref _headerBuffer);
            string name = field.ToString().Trim();
            if (i == 0) name = name.TrimStart('\uFEFF');
            if (name.Length == 0) throw new MixedModelsDataException($"column {i + 1} of the header has no name", line);
            if (seen.TryGetValue(name, out int first))
                throw new MixedModelsDataException($"the header names column '{name}' twice (columns {first + 1} and {i + 1}); column names must be distinct",
                    line, name);
            seen.Add(name, i);
            var rules = _options.ColumnMissingValues.TryGetValue(name, out var own) ? new CsvFieldRules(_options, separator, own) : _rules;
            columns[i] = new CsvColumnConverter(new ColumnBuilder(name), i, rules);
        }
        foreach (string named in _options.ColumnMissingValues.Keys)
            if (!seen.ContainsKey(named))
                throw new MixedModelsDataException($"missing-value codes are given for column '{named}', which the file does not have; its columns are {string.Join(", ", seen.Keys)}",
                    line, named);
        _columns = columns;
    }

    public Table Build()
    {
        if (_columns is null) throw new MixedModelsDataException("the data is empty: there is no header row");
        return new Table(_columns.Select(c => c.Builder.Build(_options.Collation)));
    }
}

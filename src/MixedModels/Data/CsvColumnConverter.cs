namespace MixedModels.Data;

/// <summary>
/// Turns one column's fields into values: a field with a quote is unquoted (<see cref="CsvQuotes"/>); the configured
/// texts are missing; NUL or invalid UTF-8 is refused; numbers are parsed (csFastFloat for the common case, the
/// invariant-culture parser for anything else) until the column's first non-number makes it categorical
/// (<see cref="ColumnBuilder"/>).
/// </summary>
internal sealed class CsvColumnConverter(ColumnBuilder builder, int index, CsvFieldRules rules)
{
    /// <summary>NUL, and U+FFFD, which the UTF-8 decoder puts where the bytes are not valid UTF-8.</summary>
    public static readonly System.Buffers.SearchValues<char> NotText = System.Buffers.SearchValues.Create("\0\uFFFD");

    private char[] _unquoted = new char[256];
    private readonly char[] _decimalBuffer = new char[64];
    private readonly bool _fastNumbers = !rules.DecimalComma;

    public ColumnBuilder Builder => builder;

    /// <summary>
    /// Adds a field. <paramref name="mayHaveQuote"/> and <paramref name="mayNotBeText"/> say whether the record holds
    /// a quote or a non-text character at all (one search per record), so most fields skip those checks.
    /// </summary>
    public void Add(ReadOnlySpan<char> field, long line, bool mayHaveQuote, bool mayNotBeText)
    {
        // The common case first: an unquoted finite number in a numeric column (a field short enough to be a
        // missing-value text is looked up first, so "88" can mean missing).
        if (_fastNumbers && field.Length > rules.LongestMissing && !builder.IsText
            && csFastFloat.FastDoubleParser.TryParseDouble(field, out int used, out double fast) && used == field.Length && double.IsFinite(fast))
        {
            builder.AddNumber(fast);
            return;
        }
        bool quoted = mayHaveQuote && field.Contains('"');
        if (quoted) field = CsvQuotes.Unquote(field, line, ref _unquoted);
        if ((field.Length <= rules.LongestMissing && rules.IsMissing(field)) || (!quoted && field.Trim().IsEmpty)) builder.AddMissing();
        else if (mayNotBeText && field.IndexOfAny(NotText) >= 0)
            throw new MixedModelsDataException(
                $"field {index + 1} ('{builder.Name}') contains {(field.Contains('\0') ? "a NUL character" : "bytes that are not valid UTF-8")}: the file is not plain UTF-8 text here (save it as UTF-8 CSV)",
                line, builder.Name);
        else if (rules.DecimalComma) builder.AddDecimalCommaText(field, _decimalBuffer);
        else builder.AddText(field);
    }
}

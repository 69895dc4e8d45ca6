namespace MixedModels.Data;

/// <summary>What the options say about fields: the missing-value texts and the decimal comma.</summary>
internal sealed class CsvFieldRules
{
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _missing;

    public CsvFieldRules(CsvOptions options, char separator, IEnumerable<string>? columnMissing = null)
    {
        var missing = new HashSet<string>(options.MissingValues, StringComparer.Ordinal);
        if (columnMissing is not null) missing.UnionWith(columnMissing);
        _missing = missing.GetAlternateLookup<ReadOnlySpan<char>>();
        LongestMissing = missing.Count == 0 ? -1 : missing.Max(m => m.Length);
        // A semicolon-separated file is the European convention (R's read.csv2): "1,5" is the number 1.5.
        DecimalComma = separator == ';';
    }

    /// <summary>The length of the longest missing-value text (a longer field is never missing).</summary>
    public int LongestMissing { get; }

    public bool DecimalComma { get; }

    public bool IsMissing(ReadOnlySpan<char> field) => _missing.Contains(field);
}

namespace MixedModels.Data;

/// <summary>
/// How CSV text is read. The first record is the header. Fields may be quoted with <c>"</c> (a doubled quote
/// inside is a quote) and may then hold separators and line breaks. Numbers are read in the invariant culture;
/// a column whose every non-missing value is a number is numeric, any other column is categorical.
/// </summary>
public sealed record CsvOptions
{
    /// <summary>The field separator (default comma).</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// When the separator is the default comma and the header line holds no comma but semicolons or tabs (a
    /// European-style or tab-separated export), use that separator instead. Default true.
    /// </summary>
    public bool DetectSeparator { get; init; } = true;

    /// <summary>Field texts that mean a missing value (default: empty, <c>NA</c>, <c>NaN</c>).</summary>
    public IReadOnlyCollection<string> MissingValues { get; init; } = ["", "NA", "NaN"];

    /// <summary>
    /// More missing-value texts for single columns, besides <see cref="MissingValues"/> (<c>na_if</c>, or a survey's
    /// 88 "don't know" in one question): column name to texts. A name that is not a column of the file is an error.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> ColumnMissingValues { get; init; } =
        new Dictionary<string, IReadOnlyCollection<string>>();

    /// <summary>How text levels are ordered (default <see cref="Collation.Ordinal"/>; <see cref="Collation.Locale"/> for R's English-locale order).</summary>
    public Collation Collation { get; init; } = Collation.Ordinal;
}

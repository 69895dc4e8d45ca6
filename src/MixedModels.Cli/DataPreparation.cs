namespace MixedModels.Cli;

/// <summary>
/// What a command does to the data before using it, in R's order: missing-value codes (--na, as read.csv's
/// na.strings), column types (--factor, --levels, --ordered), then the rows kept (--subset, as lmer's subset =).
/// </summary>
internal sealed record DataPreparation(string[] Factors, string[] Levels, string[] Ordered, string[] Na, string? Subset,
    Data.Collation Collation = Data.Collation.Ordinal)
{
    /// <summary>
    /// The --na values: <c>88</c>, <c>88,99</c> or <c>.</c> for every column, <c>COL=88,99</c> for one column.
    /// </summary>
    public (string[] All, Dictionary<string, IReadOnlyCollection<string>> PerColumn) MissingCodes()
    {
        var all = new List<string>();
        var perColumn = new Dictionary<string, IReadOnlyCollection<string>>(StringComparer.Ordinal);
        foreach (string spec in Na)
        {
            int eq = spec.IndexOf('=');
            if (eq <= 0) { all.AddRange(Codes(spec)); continue; }
            string column = spec[..eq].Trim();
            var codes = Codes(spec[(eq + 1)..]);
            if (codes.Length == 0) throw new UsageException($"--na {spec}: give the codes after '=', e.g. --na {column}=88,99");
            perColumn[column] = perColumn.TryGetValue(column, out var old) ? [.. old, .. codes] : codes;
        }
        return ([.. all], perColumn);
    }

    private static string[] Codes(string list) => list.Split(',').Select(c => c.Trim()).Where(c => c.Length > 0).ToArray();
}

namespace MixedModels.Data;

/// <summary>
/// A categorical column (an R factor): a list of level names and, per row, the 0-based code of its level,
/// with -1 for a missing value. An ordered factor gets polynomial contrasts in a model.
/// </summary>
public sealed class CategoricalColumn : Column
{
    private readonly int[] _codes;
    private readonly string[] _levels;

    /// <summary>Creates a categorical column from codes (copied) and level names. A code of -1 is missing.</summary>
    public CategoricalColumn(string name, ReadOnlySpan<int> codes, IReadOnlyList<string> levels, bool ordered = false)
        : this(name, codes.ToArray(), levels.ToArray(), ordered, validate: true) { }

    private CategoricalColumn(string name, int[] codes, string[] levels, bool ordered, bool validate) : base(name)
    {
        if (validate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string l in levels)
                if (!seen.Add(l)) throw new MixedModelsDataException($"column '{name}': level '{l}' is given twice");
            foreach (int c in codes)
                if (c < -1 || c >= levels.Length)
                    throw new MixedModelsDataException($"column '{name}': code {c} is outside the {levels.Length} levels");
        }
        _codes = codes;
        _levels = levels;
        Ordered = ordered;
    }

    internal static CategoricalColumn Wrap(string name, int[] codes, string[] levels, bool ordered) =>
        new(name, codes, levels, ordered, validate: false);

    /// <summary>
    /// Creates a factor from text values. Levels are sorted by ordinal string comparison unless
    /// <paramref name="levels"/> gives them; a value that is not among given levels is an error.
    /// </summary>
    public static CategoricalColumn FromStrings(string name, IReadOnlyList<string?> values, IReadOnlyList<string>? levels = null,
        bool ordered = false, bool treatEmptyAsMissing = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(values);
        string[] lv;
        if (levels is null)
        {
            var set = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string? v in values)
                if (v is not null && !(treatEmptyAsMissing && v.Length == 0)) set.Add(v);
            lv = [.. set];
        }
        else lv = [.. levels];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < lv.Length; i++)
            if (!index.TryAdd(lv[i], i)) throw new MixedModelsDataException($"column '{name}': level '{lv[i]}' is given twice");
        var codes = new int[values.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            string? v = values[i];
            if (v is null || (treatEmptyAsMissing && v.Length == 0)) { codes[i] = -1; continue; }
            if (!index.TryGetValue(v, out codes[i]))
                throw new MixedModelsDataException(
                    $"column '{name}' has the value '{v}', which is not among the levels given ({string.Join(", ", lv)})",
                    column: name);
        }
        return new CategoricalColumn(name, codes, lv, ordered, validate: false);
    }

    /// <summary>The level code of each row (0-based; -1 = missing).</summary>
    public ReadOnlySpan<int> Codes => _codes;

    /// <summary>The level names, in level order.</summary>
    public IReadOnlyList<string> Levels => _levels.AsReadOnly();

    /// <summary>True for an ordered factor (polynomial contrasts).</summary>
    public bool Ordered { get; }

    /// <summary>The level name of a row, or null when missing.</summary>
    public string? this[int row] => _codes[row] < 0 ? null : _levels[_codes[row]];

    /// <inheritdoc />
    public override int Count => _codes.Length;

    /// <inheritdoc />
    public override bool IsMissing(int row) => _codes[row] < 0;

    /// <inheritdoc />
    public override Column Rename(string name) => new CategoricalColumn(name, _codes, _levels, Ordered, validate: false);

    /// <inheritdoc />
    public override Column Select(ReadOnlySpan<int> rows)
    {
        var c = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) c[i] = _codes[rows[i]];
        return new CategoricalColumn(Name, c, _levels, Ordered, validate: false);
    }

    /// <inheritdoc />
    public override string FormatValue(int row) => this[row] ?? "";

    /// <summary>
    /// The same values with new level order (and ordered flag). Every level that occurs must be among
    /// <paramref name="levels"/>; levels that do not occur are allowed.
    /// </summary>
    public CategoricalColumn WithLevels(IReadOnlyList<string> levels, bool ordered)
    {
        var values = new string?[_codes.Length];
        for (int i = 0; i < values.Length; i++) values[i] = this[i];
        return FromStrings(Name, values, levels, ordered, treatEmptyAsMissing: false);
    }

    /// <summary>The same values with the levels that do not occur removed (R's <c>droplevels</c>).</summary>
    public CategoricalColumn DropUnusedLevels()
    {
        var (codes, levels) = FactorLevels.DropUnused(_codes, _levels);
        return ReferenceEquals(codes, _codes) ? this : new CategoricalColumn(Name, codes, levels, Ordered, validate: false);
    }

    /// <summary>The row indices at each level, in row order (missing rows in none).</summary>
    internal int[][] RowsByLevel()
    {
        var rows = new List<int>[_levels.Length];
        for (int k = 0; k < rows.Length; k++) rows[k] = [];
        for (int i = 0; i < _codes.Length; i++) if (_codes[i] >= 0) rows[_codes[i]].Add(i);
        return Array.ConvertAll(rows, r => r.ToArray());
    }

    /// <summary>A column as a factor: itself, or a numeric column's distinct values as levels in numeric order.</summary>
    internal static CategoricalColumn Of(Column column) => column as CategoricalColumn ?? ((NumericColumn)column).ToCategorical();

    /// <summary>Number of rows at each level.</summary>
    public int[] LevelCounts()
    {
        var counts = new int[_levels.Length];
        foreach (int c in _codes) if (c >= 0) counts[c]++;
        return counts;
    }
}

/// <summary>Level bookkeeping shared by data columns and model variables.</summary>
internal static class FactorLevels
{
    /// <summary>The codes and levels without the levels that no code uses (the same arrays when all are used).</summary>
    public static (int[] Codes, string[] Levels) DropUnused(int[] codes, string[] levels)
    {
        var used = new bool[levels.Length];
        foreach (int c in codes) if (c >= 0) used[c] = true;
        if (Array.TrueForAll(used, u => u)) return (codes, levels);
        var map = new int[levels.Length];
        var kept = new List<string>();
        for (int l = 0; l < levels.Length; l++)
        {
            map[l] = used[l] ? kept.Count : -1;
            if (used[l]) kept.Add(levels[l]);
        }
        var result = new int[codes.Length];
        for (int i = 0; i < codes.Length; i++) result[i] = codes[i] < 0 ? -1 : map[codes[i]];
        return (result, [.. kept]);
    }
}

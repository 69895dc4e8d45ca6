namespace MixedModels.Data;

/// <summary>A named column of a <see cref="Table"/>: numeric or categorical. Columns are immutable.</summary>
public abstract class Column
{
    private protected Column(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new MixedModelsDataException("a column needs a non-empty name");
        Name = name;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>True when row <paramref name="row"/> holds a missing value.</summary>
    public abstract bool IsMissing(int row);

    /// <summary>The number of missing values.</summary>
    public int MissingCount()
    {
        int m = 0;
        for (int i = 0; i < Count; i++) if (IsMissing(i)) m++;
        return m;
    }

    /// <summary>A copy of this column under another name.</summary>
    public abstract Column Rename(string name);

    /// <summary>The rows at the given indices, in that order.</summary>
    public abstract Column Select(ReadOnlySpan<int> rows);

    /// <summary>The value of row <paramref name="row"/> as text (empty for missing).</summary>
    public abstract string FormatValue(int row);
}

namespace MixedModels.Design;

/// <summary>
/// The fixed-effects model matrix X (n × p, full column rank): R's column names and order, the term each column
/// belongs to, and the names of columns dropped because they were linearly dependent on earlier ones.
/// </summary>
public sealed class FixedEffectsMatrix
{
    private readonly double[] _data;
    private readonly string[] _names;
    private readonly int[] _assign;

    internal FixedEffectsMatrix(double[] data, int rows, string[] names, int[] assign, string[] termLabels, string[] dropped)
    {
        _data = data;
        Rows = rows;
        _names = names;
        _assign = assign;
        TermLabels = Array.AsReadOnly(termLabels);
        DroppedColumns = Array.AsReadOnly(dropped);
    }

    /// <summary>The number of rows (observations).</summary>
    public int Rows { get; }

    /// <summary>The number of columns p.</summary>
    public int Columns => _names.Length;

    /// <summary>Column names as R makes them (<c>(Intercept)</c>, <c>SexMale</c>, <c>SES:SectorPublic</c>).</summary>
    public IReadOnlyList<string> ColumnNames => _names.AsReadOnly();

    /// <summary>For each column, the index into <see cref="TermLabels"/> of the term it codes (0 = intercept).</summary>
    public IReadOnlyList<int> Assign => _assign.AsReadOnly();

    /// <summary>The labels of the terms: <c>(Intercept)</c> then R's term labels.</summary>
    public IReadOnlyList<string> TermLabels { get; }

    /// <summary>Names of columns removed because the matrix was rank deficient.</summary>
    public IReadOnlyList<string> DroppedColumns { get; }

    /// <summary>One element.</summary>
    public double this[int row, int column] => _data[column * Rows + row];

    /// <summary>One column.</summary>
    public ReadOnlySpan<double> Column(int j) => _data.AsSpan(j * Rows, Rows);

    internal double[] Data => _data;
}

namespace MixedModels.Design;

/// <summary>The value of one model variable over the rows of a frame: numeric (one or more columns) or a factor.</summary>
internal abstract class VariableValue
{
    public abstract int Length { get; }

    public abstract bool IsMissing(int row);

    /// <summary>Sets missing[i] for every row i where this variable is missing (leaves the others as they are).</summary>
    public abstract void MarkMissing(bool[] missing);

    public abstract VariableValue Select(ReadOnlySpan<int> rows);
}

/// <summary>A numeric variable: <see cref="Columns"/> columns of <see cref="Length"/> values, column-major.</summary>
internal sealed class NumericValue : VariableValue
{
    public NumericValue(double[] data, int columns = 1, string[]? suffixes = null)
    {
        Data = data;
        Columns = columns;
        Suffixes = suffixes;
    }

    public double[] Data { get; }

    public int Columns { get; }

    /// <summary>Column name suffixes for a matrix (poly: "1", "2"), null for a single column.</summary>
    public string[]? Suffixes { get; }

    public override int Length => Data.Length / Columns;

    public ReadOnlySpan<double> Column(int j) => Data.AsSpan(j * Length, Length);

    public override bool IsMissing(int row)
    {
        int n = Length;
        for (int j = 0; j < Columns; j++) if (double.IsNaN(Data[j * n + row])) return true;
        return false;
    }

    public override void MarkMissing(bool[] missing)
    {
        int n = Length;
        for (int j = 0; j < Columns; j++)
        {
            var column = Data.AsSpan(j * n, n);
            for (int i = 0; i < n; i++) if (double.IsNaN(column[i])) missing[i] = true;
        }
    }

    public override VariableValue Select(ReadOnlySpan<int> rows)
    {
        int n = Length;
        var d = new double[rows.Length * Columns];
        for (int j = 0; j < Columns; j++)
            for (int i = 0; i < rows.Length; i++) d[j * rows.Length + i] = Data[j * n + rows[i]];
        return new NumericValue(d, Columns, Suffixes);
    }
}

/// <summary>A factor variable: level codes (-1 = missing) and level names.</summary>
internal sealed class FactorValue(int[] codes, string[] levels, bool ordered) : VariableValue
{
    public int[] Codes { get; } = codes;

    public string[] Levels { get; } = levels;

    public bool Ordered { get; } = ordered;

    public override int Length => Codes.Length;

    public override bool IsMissing(int row) => Codes[row] < 0;

    public override void MarkMissing(bool[] missing)
    {
        var codes = Codes;
        for (int i = 0; i < codes.Length; i++) if (codes[i] < 0) missing[i] = true;
    }

    public override VariableValue Select(ReadOnlySpan<int> rows)
    {
        var c = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) c[i] = Codes[rows[i]];
        return new FactorValue(c, Levels, Ordered);
    }

    /// <summary>The same factor without the levels that do not occur.</summary>
    public FactorValue DropUnusedLevels()
    {
        var (codes, levels) = Data.FactorLevels.DropUnused(Codes, Levels);
        return ReferenceEquals(codes, Codes) ? this : new FactorValue(codes, levels, Ordered);
    }
}

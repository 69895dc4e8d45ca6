namespace MixedModels.LinearAlgebra;

/// <summary>
/// One block of the blocked matrices A = [Z X y]'[Z X y] and its Cholesky factor L. Each block keeps the structure it
/// has: uniform block-diagonal (diagonal when the blocks are 1 × 1), block-sparse, or dense.
/// </summary>
internal abstract class Block
{
    public abstract int Rows { get; }

    public abstract int Cols { get; }

    /// <summary>The number of doubles stored.</summary>
    public abstract long StoredValues { get; }

    /// <summary>A zero block of the same structure.</summary>
    public abstract Block CloneEmpty();

    /// <summary>A copy with the same structure and values.</summary>
    public abstract Block Clone();

    /// <summary>Element (i, j) (for tests and diagnostics; not for inner loops).</summary>
    public abstract double Get(int i, int j);

    /// <summary>The block as a dense row-major array (for tests).</summary>
    public double[,] ToDense()
    {
        var m = new double[Rows, Cols];
        for (int i = 0; i < Rows; i++)
            for (int j = 0; j < Cols; j++) m[i, j] = Get(i, j);
        return m;
    }
}

/// <summary>
/// A square block made of <see cref="Count"/> dense <see cref="Size"/> × <see cref="Size"/> blocks on its diagonal
/// (column-major each, stored one after another). Size 1 is a diagonal matrix.
/// </summary>
internal sealed class BlockDiagonalBlock(int count, int size) : Block
{
    public int Count { get; } = count;

    public int Size { get; } = size;

    public double[] Data { get; } = new double[(long)count * size * size];

    public override int Rows => Count * Size;

    public override int Cols => Count * Size;

    public override long StoredValues => Data.LongLength;

    public Span<double> Sub(int level) => Data.AsSpan(level * Size * Size, Size * Size);

    public override Block CloneEmpty() => new BlockDiagonalBlock(Count, Size);

    public override Block Clone()
    {
        var b = new BlockDiagonalBlock(Count, Size);
        Data.CopyTo(b.Data, 0);
        return b;
    }

    public override double Get(int i, int j)
    {
        int li = i / Size, lj = j / Size;
        if (li != lj) return 0;
        return Data[li * Size * Size + (j % Size) * Size + (i % Size)];
    }
}

/// <summary>
/// A block-sparse matrix: rows grouped into <see cref="RowLevels"/> groups of <see cref="RowDim"/>, columns into
/// <see cref="ColLevels"/> groups of <see cref="ColDim"/>; stored by column group (compressed sparse column over groups)
/// with a dense RowDim × ColDim sub-block (column-major) per stored (row group, column group) pair.
/// </summary>
internal sealed class SparseBlock : Block
{
    public SparseBlock(int rowLevels, int colLevels, int rowDim, int colDim, int[] colStart, int[] rowLevel)
        : this(rowLevels, colLevels, rowDim, colDim, colStart, rowLevel, null)
    {
    }

    private SparseBlock(int rowLevels, int colLevels, int rowDim, int colDim, int[] colStart, int[] rowLevel, RowIndex? rows)
    {
        RowLevels = rowLevels;
        ColLevels = colLevels;
        RowDim = rowDim;
        ColDim = colDim;
        ColStart = colStart;
        RowLevel = rowLevel;
        Values = new double[(long)rowLevel.Length * rowDim * colDim];
        Rows_ = rows ?? (rowDim == 1 && colDim == 1 ? BuildRowIndex() : null);
    }

    /// <summary>
    /// The entries by row (the transpose's structure), for scalar blocks: row r's entries are
    /// <c>Entries[Start[r] .. Start[r+1])</c> with their columns in <c>Column</c>; <c>Split</c> is the row that halves
    /// the work of a rank update C −= A A' done row by row (entry e of column c pairs with the entries after it).
    /// </summary>
    internal sealed record RowIndex(int[] Start, int[] Entries, int[] Column, int Split);

    internal RowIndex? Rows_ { get; }

    private RowIndex BuildRowIndex()
    {
        int nnz = RowLevel.Length;
        var start = new int[RowLevels + 1];
        foreach (int r in RowLevel) start[r + 1]++;
        for (int r = 0; r < RowLevels; r++) start[r + 1] += start[r];
        var fill = (int[])start.Clone();
        var entries = new int[nnz];
        var column = new int[nnz];
        var work = new long[RowLevels];
        for (int c = 0; c < ColLevels; c++)
            for (int e = ColStart[c]; e < ColStart[c + 1]; e++)
            {
                int r = RowLevel[e];
                entries[fill[r]] = e;
                column[fill[r]++] = c;
                work[r] += ColStart[c + 1] - e;
            }
        long total = work.Sum(), acc = 0;
        int split = RowLevels;
        for (int r = 0; r < RowLevels; r++)
        {
            acc += work[r];
            if (2 * acc >= total) { split = r + 1; break; }
        }
        return new RowIndex(start, entries, column, split);
    }

    public int RowLevels { get; }

    public int ColLevels { get; }

    public int RowDim { get; }

    public int ColDim { get; }

    /// <summary>Start of each column group's entries; length ColLevels + 1.</summary>
    public int[] ColStart { get; }

    /// <summary>Row group of each entry, increasing within a column group.</summary>
    public int[] RowLevel { get; }

    public double[] Values { get; }

    public int SubSize => RowDim * ColDim;

    public int NonZeroBlocks => RowLevel.Length;

    public override int Rows => RowLevels * RowDim;

    public override int Cols => ColLevels * ColDim;

    public override long StoredValues => Values.LongLength;

    public Span<double> Sub(int entry) => Values.AsSpan(entry * SubSize, SubSize);

    private (SparseBlock A, SparseBlock B, int[] Targets)[] _products = [];

    /// <summary>
    /// For C -= A B' into this block: the entry of each product A[ea] B[eb]', in the order the columns of A and B
    /// pair them up. Found by searching the first time and kept (the structures never change).
    /// </summary>
    public int[] ProductTargets(SparseBlock a, SparseBlock b)
    {
        foreach (var p in _products)
            if (ReferenceEquals(p.A, a) && ReferenceEquals(p.B, b)) return p.Targets;
        var targets = new List<int>();
        for (int col = 0; col < a.ColLevels; col++)
            for (int ea = a.ColStart[col]; ea < a.ColStart[col + 1]; ea++)
                for (int eb = b.ColStart[col]; eb < b.ColStart[col + 1]; eb++)
                    targets.Add(Find(b.RowLevel[eb], a.RowLevel[ea]));
        var result = targets.ToArray();
        _products = [.. _products, (a, b, result)];
        return result;
    }

    /// <summary>The entry index of (row group, column group), or -1.</summary>
    public int Find(int colLevel, int rowLevel)
    {
        int idx = Array.BinarySearch(RowLevel, ColStart[colLevel], ColStart[colLevel + 1] - ColStart[colLevel], rowLevel);
        return idx >= 0 ? idx : -1;
    }

    public override Block CloneEmpty() => new SparseBlock(RowLevels, ColLevels, RowDim, ColDim, ColStart, RowLevel, Rows_);

    public override Block Clone()
    {
        var b = (SparseBlock)CloneEmpty();
        Values.CopyTo(b.Values, 0);
        return b;
    }

    public override double Get(int i, int j)
    {
        int e = Find(j / ColDim, i / RowDim);
        return e < 0 ? 0 : Values[e * SubSize + (j % ColDim) * RowDim + (i % RowDim)];
    }
}

/// <summary>A dense block, column-major.</summary>
internal sealed class DenseBlock(int rows, int cols) : Block
{
    public override int Rows { get; } = rows;

    public override int Cols { get; } = cols;

    public double[] Data { get; } = new double[(long)rows * cols];

    public override long StoredValues => Data.LongLength;

    public Span<double> Column(int j) => Data.AsSpan(j * Rows, Rows);

    public override Block CloneEmpty() => new DenseBlock(Rows, Cols);

    public override Block Clone()
    {
        var b = new DenseBlock(Rows, Cols);
        Data.CopyTo(b.Data, 0);
        return b;
    }

    public override double Get(int i, int j) => Data[j * Rows + i];
}

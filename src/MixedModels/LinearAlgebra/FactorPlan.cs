namespace MixedModels.LinearAlgebra;

/// <summary>
/// The symbolic analysis of the blocked Cholesky factor L: which blocks stay block-diagonal, which stay sparse (and
/// with what fill-in), which must be dense; and where each stored entry of A lands in L. Decided once per model from
/// the sparsity pattern of A, so that every evaluation of the objective runs on fixed storage.
/// </summary>
internal sealed class FactorPlan
{
    /// <summary>A sparse block this full (fraction of stored level pairs) is stored dense instead.</summary>
    private const double DenseFraction = 0.1;

    /// <summary>A block with at most this many elements is stored dense.</summary>
    private const long SmallBlock = 1024;

    /// <summary>A dense block larger than this (elements) is refused.</summary>
    private const long MaxDense = 1L << 28;

    private FactorPlan(Block[][] l, int[]?[][] scatter) { L = l; Scatter = scatter; }

    /// <summary>The blocks of L, lower triangle: L[i][j] for j ≤ i; the last block row and column are [X y].</summary>
    public Block[][] L { get; }

    /// <summary>For sparse RE × RE blocks of L: the L entry of each A entry (null when L is dense or equal in pattern).</summary>
    public int[]?[][] Scatter { get; }

    /// <summary>Plans L for the blocks of A (RE diagonal blocks block-diagonal, RE off-diagonal blocks sparse).</summary>
    public static FactorPlan Create(Block[][] a, int[] levels, int[] dims, int xyRows)
    {
        int k = levels.Length;
        var l = new Block[k + 1][];
        var scatter = new int[]?[k + 1][];
        var patterns = new List<int>[]?[k][];
        for (int i = 0; i <= k; i++) { l[i] = new Block[i + 1]; scatter[i] = new int[]?[i + 1]; }
        for (int i = 0; i < k; i++) patterns[i] = new List<int>[]?[i + 1];

        for (int j = 0; j < k; j++)
        {
            bool denseDiagonal = false;
            for (int m = 0; m < j && !denseDiagonal; m++)
                denseDiagonal = l[j][m] is DenseBlock || patterns[j][m]!.Any(col => col.Count > 1);
            long qj = (long)levels[j] * dims[j];
            if (denseDiagonal)
            {
                CheckDenseSize(qj, qj);
                l[j][j] = new DenseBlock((int)qj, (int)qj);
            }
            else l[j][j] = new BlockDiagonalBlock(levels[j], dims[j]);

            for (int i = j + 1; i < k; i++)
            {
                long qi = (long)levels[i] * dims[i];
                var sa = (SparseBlock)a[i][j];
                bool dense = l[j][j] is DenseBlock || qi * qj <= SmallBlock;
                List<int>[]? pattern = null;
                if (!dense)
                {
                    pattern = PatternOf(sa);
                    long count = sa.NonZeroBlocks;
                    long limit = (long)(DenseFraction * levels[i] * levels[j]);
                    for (int m = 0; m < j && !dense; m++)
                    {
                        if (l[i][m] is DenseBlock || l[j][m] is DenseBlock) { dense = true; break; }
                        var pim = patterns[i][m]!;
                        var pjm = patterns[j][m]!;
                        for (int c = 0; c < pim.Length && !dense; c++)
                            foreach (int ri in pim[c])
                                foreach (int rj in pjm[c])
                                    if (InsertSorted(pattern[rj], ri) && ++count > limit) { dense = true; break; }
                    }
                    if (count > limit) dense = true;
                }
                if (dense)
                {
                    CheckDenseSize(qi, qj);
                    l[i][j] = new DenseBlock((int)qi, (int)qj);
                    continue;
                }
                var colStart = new int[levels[j] + 1];
                for (int c = 0; c < levels[j]; c++) colStart[c + 1] = colStart[c] + pattern![c].Count;
                var rows = new int[colStart[^1]];
                for (int c = 0; c < levels[j]; c++) pattern![c].CopyTo(rows, colStart[c]);
                var sl = new SparseBlock(levels[i], levels[j], dims[i], dims[j], colStart, rows);
                l[i][j] = sl;
                patterns[i][j] = pattern;
                var map = new int[sa.NonZeroBlocks];
                for (int c = 0; c < sa.ColLevels; c++)
                    for (int e = sa.ColStart[c]; e < sa.ColStart[c + 1]; e++) map[e] = sl.Find(c, sa.RowLevel[e]);
                scatter[i][j] = map;
            }
            l[k][j] = new DenseBlock(xyRows, (int)qj);
        }
        l[k][k] = new DenseBlock(xyRows, xyRows);
        return new FactorPlan(l, scatter);
    }

    private static void CheckDenseSize(long rows, long cols)
    {
        if (rows * cols > MaxDense)
            throw new ModelException(
                $"the crossed random effects need a dense {rows} × {cols} block in the Cholesky factor, which is too large; " +
                "consider fewer levels or a nested design");
    }

    private static List<int>[] PatternOf(SparseBlock s)
    {
        var p = new List<int>[s.ColLevels];
        for (int c = 0; c < s.ColLevels; c++)
        {
            p[c] = new List<int>(s.ColStart[c + 1] - s.ColStart[c]);
            for (int e = s.ColStart[c]; e < s.ColStart[c + 1]; e++) p[c].Add(s.RowLevel[e]);
        }
        return p;
    }

    private static bool InsertSorted(List<int> list, int value)
    {
        int idx = list.BinarySearch(value);
        if (idx >= 0) return false;
        list.Insert(~idx, value);
        return true;
    }
}

using MixedModels.Data;

namespace MixedModels.Pushdown;

/// <summary>
/// The aggregated rows of all cells: for each cell, the rows <see cref="CellRows.Factor"/> makes from its sums of
/// products (the values of the centred products and of the centred response on each row), and the cell each row
/// belongs to. Counted in a first pass so that the rows are written once into arrays of their final size.
/// </summary>
internal sealed class CellRowSet
{
    private CellRowSet(int[] cell, double[] values, int width, double responseSquares)
    {
        Cell = cell;
        Values = values;
        Width = width;
        ResponseSquares = responseSquares;
    }

    /// <summary>The cell of each row.</summary>
    public int[] Cell { get; }

    /// <summary>Row-major values, <see cref="Width"/> per row: the centred products, then the centred response.</summary>
    public double[] Values { get; }

    public int Width { get; }

    /// <summary>The number of rows.</summary>
    public int Count => Cell.Length;

    /// <summary>Σ over the observations of the centred response squared (0: a constant response).</summary>
    public double ResponseSquares { get; }

    /// <summary>The rows of <paramref name="cells"/> cells whose sums of products (upper triangle, row by row) are <paramref name="sums"/>.</summary>
    public static CellRowSet Factor(NumericColumn[] sums, int cells, int width)
    {
        int s = width;
        var g = new double[s * s];
        var rows = new double[s * s];
        var rank = new int[cells];
        int total = 0;
        double yss = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            var cellOf = pass == 0 ? [] : new int[total];
            var values = pass == 0 ? [] : new double[total * s];
            int at = 0;
            for (int cell = 0; cell < cells; cell++)
            {
                int idx = 0;
                for (int a = 0; a < s; a++)
                    for (int b = a; b < s; b++) { double v = sums[idx++][cell]; g[a * s + b] = v; g[b * s + a] = v; }
                if (pass == 0)
                {
                    yss += g[s * s - 1];
                    total += rank[cell] = CellRows.Factor(g, s, rows);
                    continue;
                }
                int r = CellRows.Factor(g, s, rows);
                if (r != rank[cell]) throw new InvalidOperationException("a cell's factorization is not reproducible");
                for (int k = 0; k < r; k++, at++)
                {
                    cellOf[at] = cell;
                    Array.Copy(rows, k * s, values, at * s, s);
                }
            }
            if (pass == 1) return new CellRowSet(cellOf, values, s, yss);
        }
        throw new InvalidOperationException();
    }

    /// <summary>Column <paramref name="index"/> of the values (a centred product, or the centred response last).</summary>
    public double[] Column(int index)
    {
        var v = new double[Count];
        for (int r = 0; r < v.Length; r++) v[r] = Values[r * Width + index];
        return v;
    }

    /// <summary>A monomial on every row: Σ coefficient × centred product.</summary>
    public double[] Monomial((int Product, double Coefficient)[] combination)
    {
        var v = new double[Count];
        foreach (var (p, coefficient) in combination)
            for (int r = 0; r < v.Length; r++) v[r] += coefficient * Values[r * Width + p];
        return v;
    }
}

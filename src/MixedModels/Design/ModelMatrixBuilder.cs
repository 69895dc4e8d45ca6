using MixedModels.Formulas;
using MixedModels.LinearAlgebra;

namespace MixedModels.Design;

/// <summary>
/// Builds a model matrix from expanded terms as R's <c>model.matrix</c> does: <c>(Intercept)</c> first, then each
/// term's columns; a factor is coded by contrasts or by indicators per <see cref="TermSet.Coding"/> (with R's rule
/// for a model without intercept); in an interaction the first variable varies fastest; names join with <c>:</c>.
/// </summary>
internal static class ModelMatrixBuilder
{
    /// <summary>
    /// One column-major matrix with its column names, per column the index of its term (0 = intercept), and per column
    /// the numeric variables it multiplies (index among the term set's variables, and which of a matrix variable's
    /// columns, as poly(x, 2)'s second).
    /// </summary>
    public sealed record Result(double[] Data, int Rows, string[] Names, int[] Assign, (int Variable, int Column)[][] Numeric)
    {
        public int Columns => Names.Length;
    }

    /// <summary>One column of a term's product: its values (empty for the product's unit start), name and numeric sources.</summary>
    private readonly record struct Piece(ReadOnlyMemory<double> Values, string Name, (int Variable, int Column)[] Numeric);

    public static Result Build(TermSet terms, Func<Expr, VariableValue> lookup, int n,
        IReadOnlyDictionary<string, ContrastKind> contrasts, string formula)
    {
        int first = terms.HasResponse ? 1 : 0;
        var values = new VariableValue?[terms.Variables.Count];
        for (int v = first; v < values.Length; v++)
            if (!terms.Offsets.Contains(v)) values[v] = lookup(terms.Variables[v]);

        var coding = new int[terms.Count, terms.Variables.Count];
        for (int t = 0; t < terms.Count; t++)
            foreach (int v in terms.VariableIndices(t)) coding[t, v] = terms.Coding(t, v);
        if (!terms.Intercept)
        {
            bool done = false;
            for (int t = 0; t < terms.Count && !done; t++)
                foreach (int v in terms.VariableIndices(t))
                    if (values[v] is FactorValue { Levels.Length: > 1 } && coding[t, v] > 0) { coding[t, v] = 2; done = true; break; }
        }

        var columns = new List<ReadOnlyMemory<double>>();
        var names = new List<string>();
        var assign = new List<int>();
        var numeric = new List<(int, int)[]>();
        if (terms.Intercept)
        {
            var one = new double[n];
            Array.Fill(one, 1.0);
            columns.Add(one);
            names.Add("(Intercept)");
            assign.Add(0);
            numeric.Add([]);
        }
        for (int t = 0; t < terms.Count; t++)
        {
            List<Piece> product = [new(ReadOnlyMemory<double>.Empty, "", [])];
            foreach (int v in terms.VariableIndices(t))
            {
                var pieces = Pieces(v, terms.Variables[v], values[v]!, coding[t, v], contrasts, formula, n);
                var next = new List<Piece>(product.Count * pieces.Count);
                foreach (var p in pieces)
                    foreach (var q in product)
                    {
                        if (q.Name.Length == 0) { next.Add(p); continue; }
                        var both = new double[n];
                        DenseKernels.Multiply(q.Values.Span, p.Values.Span, both);
                        next.Add(new(both, q.Name + ":" + p.Name, [.. q.Numeric, .. p.Numeric]));
                    }
                product = next;
            }
            foreach (var p in product)
            {
                columns.Add(p.Values);
                names.Add(p.Name);
                assign.Add(t + 1);
                numeric.Add(p.Numeric);
            }
        }
        var data = new double[n * columns.Count];
        for (int j = 0; j < columns.Count; j++) columns[j].Span.CopyTo(data.AsSpan(j * n, n));
        return new Result(data, n, [.. names], [.. assign], [.. numeric]);
    }

    /// <summary>The columns one variable contributes to a term (numeric columns as they are, factor codings filled in).</summary>
    private static List<Piece> Pieces(int index, Expr variable, VariableValue value, int coding,
        IReadOnlyDictionary<string, ContrastKind> contrasts, string formula, int n)
    {
        string name = variable.ToString();
        switch (value)
        {
            case NumericValue num when num.Columns == 1:
                return [new(num.Data.AsMemory(0, n), name, [(index, 0)])];
            case NumericValue num:
            {
                var list = new List<Piece>();
                int len = num.Length;
                for (int j = 0; j < num.Columns; j++)
                {
                    list.Add(new(num.Data.AsMemory(j * len, n), name + num.Suffixes![j], [(index, j)]));
                }
                return list;
            }
            case FactorValue f when coding == 2:
                return f.Levels.Select((level, l) => new Piece(Indicator(f.Codes, l, n), name + level, [])).ToList();
            case FactorValue f:
            {
                if (f.Levels.Length < 2)
                    throw new FormulaException(formula, variable.Start,
                        $"the factor '{name}' has only one level ('{f.Levels.FirstOrDefault()}') among the rows used, so it has no contrasts; remove it from the model");
                var kind = contrasts.TryGetValue(name, out var k) ? k : ContrastKind.Default;
                var (m, suffix) = Contrasts.Make(kind, f.Levels, f.Ordered);
                var list = new List<Piece>();
                for (int j = 0; j < suffix.Length; j++)
                {
                    var col = new double[n];
                    for (int i = 0; i < n; i++) col[i] = m[f.Codes[i], j];
                    list.Add(new(col, name + suffix[j], []));
                }
                return list;
            }
            default: throw new InvalidOperationException();
        }
    }

    private static double[] Indicator(int[] codes, int level, int n)
    {
        var col = new double[n];
        for (int i = 0; i < n; i++) col[i] = codes[i] == level ? 1.0 : 0.0;
        return col;
    }
}

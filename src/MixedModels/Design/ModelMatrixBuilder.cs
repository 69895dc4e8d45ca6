using MixedModels.Formulas;

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

    private readonly record struct Piece(Func<int, double> Value, string Name, (int Variable, int Column)[] Numeric);

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

        var columns = new List<double[]>();
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
            List<Piece> product = [new(_ => 1.0, "", [])];
            foreach (int v in terms.VariableIndices(t))
            {
                var pieces = Pieces(v, terms.Variables[v], values[v]!, coding[t, v], contrasts, formula);
                var next = new List<Piece>(product.Count * pieces.Count);
                foreach (var p in pieces)
                    foreach (var q in product)
                    {
                        var (fq, fp) = (q.Value, p.Value);
                        next.Add(new(q.Name.Length == 0 ? fp : i => fq(i) * fp(i), q.Name.Length == 0 ? p.Name : q.Name + ":" + p.Name, [.. q.Numeric, .. p.Numeric]));
                    }
                product = next;
            }
            foreach (var p in product)
            {
                var col = new double[n];
                for (int i = 0; i < n; i++) col[i] = p.Value(i);
                columns.Add(col);
                names.Add(p.Name);
                assign.Add(t + 1);
                numeric.Add(p.Numeric);
            }
        }
        var data = new double[n * columns.Count];
        for (int j = 0; j < columns.Count; j++) columns[j].CopyTo(data, j * n);
        return new Result(data, n, [.. names], [.. assign], [.. numeric]);
    }

    private static List<Piece> Pieces(int index, Expr variable, VariableValue value, int coding,
        IReadOnlyDictionary<string, ContrastKind> contrasts, string formula)
    {
        string name = variable.ToString();
        switch (value)
        {
            case NumericValue num when num.Columns == 1:
                return [new(i => num.Data[i], name, [(index, 0)])];
            case NumericValue num:
            {
                var list = new List<Piece>();
                int len = num.Length;
                for (int j = 0; j < num.Columns; j++)
                {
                    int offset = j * len;
                    int column = j;
                    list.Add(new(i => num.Data[offset + i], name + num.Suffixes![j], [(index, column)]));
                }
                return list;
            }
            case FactorValue f when coding == 2:
                return f.Levels.Select((level, l) => new Piece(i => f.Codes[i] == l ? 1.0 : 0.0, name + level, [])).ToList();
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
                    int jj = j;
                    list.Add(new(i => m[f.Codes[i], jj], name + suffix[j], []));
                }
                return list;
            }
            default: throw new InvalidOperationException();
        }
    }
}

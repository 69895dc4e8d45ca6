using System.Globalization;
using MixedModels.Design;
using MixedModels.Formulas;

namespace MixedModels.Pushdown;

/// <summary>
/// The constants of the data-dependent functions of a formula — <c>scale(x)</c>'s centre and scale, <c>poly(x, d)</c>'s
/// orthogonal basis (R's alpha and norm2) — computed by the engine over every row where x is a number (as R evaluates
/// them before incomplete rows are removed), in passes of sums that add up over a partitioned source; and the SQL of
/// the transformed values. The constants are seeded into the frame's transform state, so predict() on new data uses them.
/// </summary>
internal sealed class TransformConstants
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _argument = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Degree, bool Raw)> _poly = new(StringComparer.Ordinal);

    /// <summary>The constants by call text, as a frame's transform state holds them.</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>The number of columns a variable has: a poly() call its degree, anything else 1.</summary>
    public int Columns(Expr e) => e is CallExpr c && _poly.TryGetValue(c.ToString(), out var p) ? p.Degree : 1;

    /// <summary>The SQL of a scale() call; a poly() call inside another expression is refused; null for any other call.</summary>
    public string? Translate(CallExpr c)
    {
        string key = c.ToString();
        if (c.Function == "scale" && _values.TryGetValue(key, out var v) && v is double[] k)
            return $"(({_argument[key]}) - {NumericSql.Number(k[0])}) / {NumericSql.Number(k[1])}";
        if (c.Function == "poly") throw new ModelException($"{c} inside another expression is not computed inside the engine; write it as a term of its own");
        return null;
    }

    /// <summary>Column <paramref name="column"/> (0-based) of a poly() call as SQL.</summary>
    public string PolyColumn(CallExpr c, int column)
    {
        string key = c.ToString(), x = _argument[key];
        if (_poly[key].Raw) return $"power({x}, {column + 1})";
        var basis = (OrthogonalPolynomial)_values[key];
        return $"({Z(x, basis.Alpha, basis.Norm2, column + 1)}) / {NumericSql.Number(Math.Sqrt(basis.Norm2[column + 2]))}";
    }

    /// <summary>z_j of the three-term recurrence as SQL: z₀ = 1, z₁ = x − α₀, z_{k+1} = (x − α_k) z_k − (norm2_{k+1}/norm2_k) z_{k−1}.</summary>
    private static string Z(string x, IReadOnlyList<double> alpha, IReadOnlyList<double> norm2, int j)
    {
        string previous = "1", current = j == 0 ? "1" : $"({x} - {NumericSql.Number(alpha[0])})";
        for (int k = 1; k < j; k++)
        {
            string next = $"(({x} - {NumericSql.Number(alpha[k])}) * {current} - {NumericSql.Number(norm2[k + 1] / norm2[k])} * {previous})";
            previous = current;
            current = next;
        }
        return current;
    }

    /// <summary>Finds the scale() and poly() calls among <paramref name="numeric"/> and computes their constants inside <paramref name="engine"/>.</summary>
    public static TransformConstants Compute(IEnumerable<Expr> numeric, Formula formula, Func<NameExpr, string> column, AggregateEngine engine)
    {
        var result = new TransformConstants();
        var calls = numeric.SelectMany(Calls).Where(c => c.Function is "scale" or "poly").DistinctBy(c => c.ToString()).ToList();
        if (calls.Count == 0) return result;
        var xs = new List<(CallExpr Call, string X, string Ok)>();
        foreach (var c in calls)
        {
            if (c.Arguments.Count == 0) throw new FormulaException(formula.Text, c.Start, $"{c.Function}() needs an argument");
            string x = $"CAST({NumericSql.Translate(c.Arguments[0].Value, formula.Text, column, engine.Description)} AS DOUBLE PRECISION)";
            result._argument[c.ToString()] = x;
            xs.Add((c, x, $"{x} IS NOT NULL AND {engine.IsNumber(x)}"));
            if (c.Function == "poly") result._poly[c.ToString()] = PolyArguments(c, formula.Text);
        }
        result.Scale(xs.Where(x => x.Call.Function == "scale").ToList(), formula, engine);
        result.Poly(xs.Where(x => x.Call.Function == "poly").ToList(), engine);
        return result;
    }

    private void Scale(List<(CallExpr Call, string X, string Ok)> xs, Formula formula, AggregateEngine engine)
    {
        if (xs.Count == 0) return;
        var flags = xs.Select(x => ScaleArguments(x.Call, formula.Text)).ToList();
        // Two passes of sums: the means, then the sums of squares about them.
        var first = engine.Totals(source => "SELECT " + string.Join(", ", xs.Select((x, i) => $"COUNT(*) FILTER (WHERE {x.Ok}) AS n{i}, SUM({x.X}) FILTER (WHERE {x.Ok}) AS s{i}")) + " FROM " + source);
        var count = xs.Select((_, i) => Number(first, "n" + i)).ToArray();
        var centre = xs.Select((_, i) => flags[i].Center ? Number(first, "s" + i) / count[i] : 0).ToArray();
        var second = engine.Totals(source => "SELECT " + string.Join(", ", xs.Select((x, i) =>
        {
            string m = NumericSql.Number(double.IsFinite(centre[i]) ? centre[i] : 0);
            return $"SUM(({x.X} - {m}) * ({x.X} - {m})) FILTER (WHERE {x.Ok}) AS q{i}";
        })) + " FROM " + source);
        for (int i = 0; i < xs.Count; i++)
        {
            double s = flags[i].Scale ? Math.Sqrt(Number(second, "q" + i) / Math.Max(1, count[i] - 1)) : 1;
            if (!(s > 0) || !double.IsFinite(centre[i])) throw new FormulaException(formula.Text, xs[i].Call.Start, $"{xs[i].Call}: the values are constant and cannot be scaled");
            _values[xs[i].Call.ToString()] = new[] { centre[i], s };
        }
    }

    private void Poly(List<(CallExpr Call, string X, string Ok)> xs, AggregateEngine engine)
    {
        if (xs.Count == 0) return;
        // R's check: the degree must be less than the number of distinct values (at most degree + 1 read per part).
        foreach (var (call, x, ok) in xs)
        {
            int degree = _poly[call.ToString()].Degree;
            var distinct = new HashSet<double>();
            foreach (var t in engine.QueryEach(source => $"SELECT DISTINCT {x} AS x FROM {source} WHERE {ok} LIMIT {Whole(degree + 1)}"))
                foreach (double v in ((Data.NumericColumn)t.Columns[0]).Values) distinct.Add(v);
            if (degree >= distinct.Count)
                throw new ModelException($"poly(): 'degree' ({degree}) must be less than the number of unique points ({distinct.Count})");
        }
        var fitted = xs.Where(x => !_poly[x.Call.ToString()].Raw).ToList();
        foreach (var x in xs.Where(x => _poly[x.Call.ToString()].Raw)) _values[x.Call.ToString()] = "raw basis: degree checked";
        if (fitted.Count == 0) return;
        var alpha = fitted.Select(x => new double[_poly[x.Call.ToString()].Degree]).ToArray();
        var norm2 = fitted.Select(x => { var n = new double[_poly[x.Call.ToString()].Degree + 2]; n[0] = 1; return n; }).ToArray();
        int maxDegree = fitted.Max(x => _poly[x.Call.ToString()].Degree);
        // Pass j: Σ z_j² and Σ x z_j² give α_j and norm2_{j+1}, z_j from the constants of the passes before.
        for (int j = 0; j <= maxDegree; j++)
        {
            var active = Enumerable.Range(0, fitted.Count).Where(i => j <= alpha[i].Length).ToArray();
            var sums = engine.Totals(source => "SELECT " + string.Join(", ", active.Select(i =>
            {
                string z = Z(fitted[i].X, alpha[i], norm2[i], j);
                return $"SUM({z} * {z}) FILTER (WHERE {fitted[i].Ok}) AS zz{i}, SUM({fitted[i].X} * {z} * {z}) FILTER (WHERE {fitted[i].Ok}) AS xzz{i}";
            })) + " FROM " + source);
            foreach (int i in active)
            {
                double zz = Number(sums, "zz" + i);
                norm2[i][j + 1] = zz;
                if (j < alpha[i].Length) alpha[i][j] = Number(sums, "xzz" + i) / zz;
            }
        }
        for (int i = 0; i < fitted.Count; i++) _values[fitted[i].Call.ToString()] = OrthogonalPolynomial.FromConstants(alpha[i], norm2[i]);
    }

    private static double Number(Data.Table t, string column) => ((Data.NumericColumn)t[column])[0];

    private static (bool Center, bool Scale) ScaleArguments(CallExpr c, string formula)
    {
        bool center = true, scale = true;
        foreach (var a in c.Arguments.Skip(1))
        {
            bool value = Logical(a.Value, formula, "scale() takes center = TRUE/FALSE and scale = TRUE/FALSE");
            if (a.Name == "center") center = value; else if (a.Name == "scale") scale = value;
            else throw new FormulaException(formula, a.Value.Start, "scale() takes the arguments center = TRUE/FALSE and scale = TRUE/FALSE");
        }
        return (center, scale);
    }

    private static (int Degree, bool Raw) PolyArguments(CallExpr c, string formula)
    {
        int degree = 1;
        bool raw = false;
        for (int i = 1; i < c.Arguments.Count; i++)
        {
            var a = c.Arguments[i];
            if (a.Name is null or "degree" && a.Value is NumberExpr { Value: var d })
            {
                if (d != Math.Floor(d) || d < 1 || d > 50)
                    throw new FormulaException(formula, a.Value.Start, $"the degree of poly() must be a whole number of at least 1, not {a.Value}");
                degree = (int)d;
            }
            else if (a.Name == "raw" || (a.Name is null && i == 2)) raw = Logical(a.Value, formula, "poly()'s raw is TRUE or FALSE");
            else throw new FormulaException(formula, a.Value.Start, "poly() takes a variable, a degree, and optionally raw = TRUE");
        }
        return (degree, raw);
    }

    private static bool Logical(Expr e, string formula, string message) => e switch
    {
        NameExpr { Name: "TRUE" or "T" } => true,
        NameExpr { Name: "FALSE" or "F" } => false,
        _ => throw new FormulaException(formula, e.Start, message),
    };

    private static IEnumerable<CallExpr> Calls(Expr e) => e switch
    {
        CallExpr c => c.Arguments.SelectMany(a => Calls(a.Value)).Prepend(c),
        BinaryExpr b => Calls(b.Left).Concat(Calls(b.Right)),
        ParenExpr p => Calls(p.Inner),
        UnaryExpr u => Calls(u.Operand),
        _ => [],
    };

    /// <summary>The invariant text of a whole number (for LIMIT).</summary>
    private static string Whole(int v) => v.ToString(CultureInfo.InvariantCulture);
}

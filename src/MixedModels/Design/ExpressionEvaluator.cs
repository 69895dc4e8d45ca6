using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Design;

/// <summary>
/// Evaluates model variables (a column name or a call such as <c>log(x)</c>, <c>I(x^2)</c>, <c>poly(x, 2)</c>,
/// <c>factor(g)</c>, <c>scale(x)</c>) on the rows of a table. Data-dependent transformations (the centre and scale
/// of <c>scale()</c>, the basis of <c>poly()</c>, factor levels, <c>mean()</c>) are learned from the training data
/// and kept in <see cref="TransformState"/> so that new data are transformed the same way.
/// </summary>
internal sealed partial class ExpressionEvaluator(Table table, string formula, TransformState state)
{
    private int Rows => table.RowCount;
    private readonly Dictionary<string, (int Count, int FirstRow)> _nans = new(StringComparer.Ordinal);

    /// <summary>
    /// Expressions that produced NaN from non-missing values (R's warning "NaNs produced", as for <c>log(-1)</c>), with
    /// how many rows and the first (0-based): the model frame drops these rows as missing and says so.
    /// </summary>
    public IReadOnlyDictionary<string, (int Count, int FirstRow)> NaNsProduced => _nans;

    private void CountNaNsProduced(Expr e, double[] a, double[] b, double[] result)
    {
        int count = 0, first = -1;
        for (int i = 0; i < result.Length; i++)
            if (double.IsNaN(result[i]) && !double.IsNaN(a[i]) && !double.IsNaN(b[i]))
            {
                if (count++ == 0) first = i;
            }
        if (count == 0) return;
        string key = e.ToString();
        _nans[key] = _nans.TryGetValue(key, out var known) ? (Math.Max(known.Count, count), known.FirstRow) : (count, first);
    }

    /// <summary>A variable of the model (numeric, numeric matrix or factor).</summary>
    public VariableValue Evaluate(Expr e) => e switch
    {
        NameExpr n => Column(n),
        ParenExpr p => Evaluate(p.Inner),
        CallExpr c => Call(c),
        _ => new NumericValue(Numeric(e)),
    };

    private VariableValue Column(NameExpr n)
    {
        if (!table.TryGetColumn(n.Name, out var col))
        {
            // R's constant pi, as in sin(2 * pi * Time), when the data have no column of that name.
            if (n.Name == "pi") { var r = new double[Rows]; Array.Fill(r, Math.PI); return new NumericValue(r); }
            string? near = Text.NearestName(n.Name, table.ColumnNames);
            throw new FormulaException(formula, n.Start,
                $"there is no column '{n.Name}' in the data" + (near is null ? "" : $"; did you mean '{near}'?")
                + $" Columns: {string.Join(", ", table.ColumnNames)}");
        }
        return col switch
        {
            NumericColumn nc => new NumericValue(nc.Values.ToArray()),
            CategoricalColumn cc => new FactorValue(cc.Codes.ToArray(), [.. cc.Levels], cc.Ordered),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>Evaluates an arithmetic expression to one numeric vector.</summary>
    public double[] Numeric(Expr e)
    {
        switch (e)
        {
            case NumberExpr num: { var r = new double[Rows]; Array.Fill(r, num.Value); return r; }
            case ParenExpr p: return Numeric(p.Inner);
            case NameExpr n:
                return Column(n) switch
                {
                    NumericValue v => v.Data,
                    _ => throw new FormulaException(formula, n.Start,
                        $"'{n.Name}' is categorical and cannot be used in arithmetic; use it as a term on its own"),
                };
            case UnaryExpr u:
            {
                var v = Numeric(u.Operand);
                if (u.Op == "-") { var r = new double[v.Length]; for (int i = 0; i < r.Length; i++) r[i] = -v[i]; return r; }
                return v;
            }
            case BinaryExpr b:
            {
                Func<double, double, double> op = b.Op switch
                {
                    "+" => (x, y) => x + y,
                    "-" => (x, y) => x - y,
                    "*" => (x, y) => x * y,
                    "/" => (x, y) => x / y,
                    "^" => Math.Pow,
                    _ => throw new FormulaException(formula, b.OpPosition, $"'{b.Op}' is not an arithmetic operator; inside I() use + - * / ^"),
                };
                var l = Numeric(b.Left);
                var rgt = Numeric(b.Right);
                var r = new double[l.Length];
                for (int i = 0; i < r.Length; i++) r[i] = op(l[i], rgt[i]);
                CountNaNsProduced(b, l, rgt, r);
                return r;
            }
            case CallExpr c:
                return Call(c) switch
                {
                    NumericValue { Columns: 1 } v => v.Data,
                    NumericValue => throw new FormulaException(formula, c.Start, $"{c} has several columns and cannot be used in arithmetic"),
                    _ => throw new FormulaException(formula, c.Start, $"{c} is categorical and cannot be used in arithmetic"),
                };
            default: throw new FormulaException(formula, e.Start, $"cannot evaluate '{e}'");
        }
    }

    /// <summary>Evaluates an expression as a factor: a factor column or call, or a numeric one converted (levels in numeric order).</summary>
    public FactorValue Factor(Expr e)
    {
        string key = "factor:" + e;
        var v = Evaluate(e);
        if (v is FactorValue f) return f;
        var nv = (NumericValue)v;
        if (nv.Columns != 1) throw new FormulaException(formula, e.Start, $"{e} has several columns and cannot be a factor");
        var col = NumericColumn.Wrap(e.ToString(), nv.Data);
        IReadOnlyList<string>? levels = state.TryGet(key, out string[]? known) ? known : null;
        var cat = col.ToCategorical(levels is null ? null : NewLevelsTolerant(col, levels), false);
        if (levels is null) state.Set(key, cat.Levels.ToArray());
        return new FactorValue(cat.Codes.ToArray(), [.. cat.Levels], false);
    }

    /// <summary>Known levels extended by nothing: values not among them become missing for prediction.</summary>
    private static IReadOnlyList<string> NewLevelsTolerant(NumericColumn col, IReadOnlyList<string> levels)
    {
        var all = new List<string>(levels);
        var set = new HashSet<string>(levels, StringComparer.Ordinal);
        foreach (double v in col.Values)
            if (!double.IsNaN(v) && set.Add(NumericColumn.FormatNumber(v))) all.Add(NumericColumn.FormatNumber(v));
        return all;
    }
}

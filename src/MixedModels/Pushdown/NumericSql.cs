using System.Globalization;
using MixedModels.Formulas;

namespace MixedModels.Pushdown;

/// <summary>
/// A numeric model variable (<c>Days</c>, <c>log(dose)</c>, <c>I(age^2)</c>) as a SQL expression the engine computes
/// on each row: arithmetic, powers and R's elementwise functions. What has no SQL form here (<c>poly()</c>,
/// <c>scale()</c>, a factor used as a number) is refused at its position in the formula.
/// </summary>
internal static class NumericSql
{
    private static readonly Dictionary<string, string> Functions = new(StringComparer.Ordinal)
    {
        ["log"] = "ln", ["log10"] = "log10", ["log2"] = "log2", ["exp"] = "exp", ["sqrt"] = "sqrt", ["abs"] = "abs",
        ["sin"] = "sin", ["cos"] = "cos", ["tan"] = "tan", ["atan"] = "atan", ["floor"] = "floor", ["ceiling"] = "ceil",
        ["trunc"] = "trunc", ["as.numeric"] = "", ["I"] = "",
    };

    /// <summary>The SQL of <paramref name="e"/>; <paramref name="column"/> quotes a numeric column or throws for one that is not.</summary>
    public static string Translate(Expr e, string formula, Func<NameExpr, string> column, string engine, Func<CallExpr, string?>? special = null) => e switch
    {
        CallExpr c when special?.Invoke(c) is { } known => known,
        NameExpr n => column(n),
        NumberExpr num => Number(num.Value),
        ParenExpr p => "(" + Translate(p.Inner, formula, column, engine, special) + ")",
        UnaryExpr { Op: "-" } u => "(-" + Translate(u.Operand, formula, column, engine, special) + ")",
        UnaryExpr { Op: "+" } u => Translate(u.Operand, formula, column, engine, special),
        BinaryExpr { Op: "+" or "-" or "*" or "/" } b =>
            "(" + Translate(b.Left, formula, column, engine, special) + " " + b.Op + " " + Translate(b.Right, formula, column, engine, special) + ")",
        BinaryExpr { Op: "^" } b =>
            "power(" + Translate(b.Left, formula, column, engine, special) + ", " + Translate(b.Right, formula, column, engine, special) + ")",
        CallExpr c when Functions.TryGetValue(c.Function, out var f) && c.Arguments.Count == 1 && c.Arguments[0].Name is null =>
            (f.Length == 0 ? "(" : f + "(") + Translate(c.Arguments[0].Value, formula, column, engine, special) + ")",
        CallExpr c when c.Function == "log1p" && c.Arguments.Count == 1 => "ln(1 + " + Translate(c.Arguments[0].Value, formula, column, engine, special) + ")",
        CallExpr c when c.Function == "expm1" && c.Arguments.Count == 1 => "(exp(" + Translate(c.Arguments[0].Value, formula, column, engine, special) + ") - 1)",
        CallExpr c => throw new FormulaException(formula, c.Start,
            $"{c.Function}() is not computed inside {engine} yet; load the rows (--engine memory) to fit this model"),
        _ => throw new FormulaException(formula, e.Start, $"'{e}' cannot be computed inside {engine}; load the rows (--engine memory) to fit this model"),
    };

    /// <summary>A double as a SQL literal that reads back to the same value.</summary>
    public static string Number(double v) =>
        double.IsFinite(v) ? "CAST(" + v.ToString("R", CultureInfo.InvariantCulture) + " AS DOUBLE PRECISION)" : throw new ArgumentOutOfRangeException(nameof(v));

    /// <summary>The column names an expression refers to (the names of its variables, not of its functions).</summary>
    public static IEnumerable<NameExpr> Names(Expr e)
    {
        switch (e)
        {
            case NameExpr n: yield return n; break;
            case ParenExpr p: foreach (var x in Names(p.Inner)) yield return x; break;
            case UnaryExpr u: foreach (var x in Names(u.Operand)) yield return x; break;
            case BinaryExpr b:
                foreach (var x in Names(b.Left)) yield return x;
                foreach (var x in Names(b.Right)) yield return x;
                break;
            case CallExpr c:
                // Options are not columns: named arguments (raw = TRUE), and everything after scale()'s and poly()'s variable.
                foreach (var a in c.Function is "scale" or "poly" ? c.Arguments.Take(1) : c.Arguments.Where(a => a.Name is null))
                    foreach (var x in Names(a.Value)) yield return x;
                break;
        }
    }
}

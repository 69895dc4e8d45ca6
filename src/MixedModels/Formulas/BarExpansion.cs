namespace MixedModels.Formulas;

/// <summary>
/// Separates the random-effects terms <c>(expr | group)</c> from the fixed part of a right-hand side (lme4's
/// <c>findbars</c>/<c>nobars</c>) and expands them: <c>(x || g)</c> becomes <c>(1 | g) + (0 + x | g)</c>, and
/// <c>(x | a/b)</c> becomes <c>(x | b:a) + (x | a)</c>.
/// </summary>
internal static class BarExpansion
{
    private sealed record Bar(Expr Model, Expr Group, bool Uncorrelated, int Position);

    /// <summary>Splits <paramref name="rhs"/> into its fixed part (null when nothing is left) and its random terms.</summary>
    public static (Expr? Fixed, List<RandomTermSpec> Random) Split(string formula, Expr rhs)
    {
        var bars = new List<Bar>();
        var fixedPart = Strip(formula, rhs, bars, inParens: false);
        var result = new List<RandomTermSpec>();
        foreach (var bar in bars)
            foreach (var b in ExpandDoubleBar(formula, bar))
                foreach (var g in ExpandSlash(formula, b.Group))
                    result.Add(new RandomTermSpec(b.Model, g, b.Position));
        return (fixedPart, result);
    }

    /// <summary>Removes bar terms from sums, collecting them; an error for a bar anywhere else.</summary>
    private static Expr? Strip(string formula, Expr e, List<Bar> bars, bool inParens)
    {
        switch (e)
        {
            case ParenExpr { Inner: BinaryExpr { Op: "|" or "||" } bar } p:
                CheckBar(formula, bar);
                bars.Add(new Bar(bar.Left, bar.Right, bar.Op == "||", p.Start));
                return null;
            case ParenExpr p when ContainsBar(p.Inner):
            {
                var inner = Strip(formula, p.Inner, bars, inParens: true);
                return inner is null ? null : p with { Inner = inner };
            }
            case BinaryExpr { Op: "|" or "||" } bar:
                throw new FormulaException(formula, bar.OpPosition,
                    $"'{bar.Op}' outside parentheses: write a random-effects term as ({bar.Left} {bar.Op} {bar.Right})");
            case BinaryExpr { Op: "+" or "-" } b when ContainsBar(b):
            {
                var left = Strip(formula, b.Left, bars, inParens);
                var right = Strip(formula, b.Right, bars, inParens);
                if (right is null) return left;
                if (left is null) return b.Op == "-" ? new UnaryExpr("-", right, b.Start, b.End) : right;
                return b with { Left = left, Right = right };
            }
            case UnaryExpr { Op: "+" } u when ContainsBar(u):
                return Strip(formula, u.Operand, bars, inParens);
            default:
                if (FindBar(e) is { } nested)
                    throw new FormulaException(formula, nested.OpPosition,
                        "a random-effects term (expr | group) can only be added to the model with '+', not combined with other operators");
                return e;
        }
    }

    private static void CheckBar(string formula, BinaryExpr bar)
    {
        if (FindBar(bar.Left) is { } l) throw new FormulaException(formula, l.OpPosition, "a random-effects term cannot contain another '|'");
        if (FindBar(bar.Right) is { } r) throw new FormulaException(formula, r.OpPosition, "a random-effects term cannot contain another '|'");
    }

    private static bool ContainsBar(Expr e) => FindBar(e) is not null;

    private static BinaryExpr? FindBar(Expr e) => e switch
    {
        BinaryExpr { Op: "|" or "||" } b => b,
        BinaryExpr b => FindBar(b.Left) ?? FindBar(b.Right),
        ParenExpr p => FindBar(p.Inner),
        UnaryExpr u => FindBar(u.Operand),
        CallExpr c => c.Arguments.Select(a => FindBar(a.Value)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    /// <summary>lme4's <c>expandDoubleVerts</c>: one uncorrelated term per model term, and one for the intercept.</summary>
    private static IEnumerable<Bar> ExpandDoubleBar(string formula, Bar bar)
    {
        if (!bar.Uncorrelated) { yield return bar; yield break; }
        var terms = TermAlgebra.Expand(formula, null, bar.Model);
        int pos = bar.Model.Start;
        if (terms.Intercept) yield return bar with { Model = new NumberExpr(1, pos, pos), Uncorrelated = false };
        for (int t = 0; t < terms.Count; t++)
        {
            Expr term = terms.VariableIndices(t).Select(i => terms.Variables[i])
                .Aggregate((a, b) => new BinaryExpr(":", a, b, a.Start, b.End, a.End));
            yield return bar with { Model = new BinaryExpr("+", new NumberExpr(0, pos, pos), term, pos, term.End, pos), Uncorrelated = false };
        }
    }

    /// <summary>lme4's <c>expandSlash</c>: <c>a/b/c</c> gives <c>c:(b:a)</c>, <c>b:a</c>, <c>a</c> (lme4's names).</summary>
    private static List<Expr> ExpandSlash(string formula, Expr group)
    {
        while (group is ParenExpr p) group = p.Inner;
        if (group is not BinaryExpr { Op: "/" } slash) return [group];
        var outer = ExpandSlash(formula, slash.Left);
        var inner = slash.Right;
        while (inner is ParenExpr q) inner = q.Inner;
        if (inner is BinaryExpr { Op: "/" })
            throw new FormulaException(formula, inner.Start, "nested grouping must be written left to right, as a/b/c");
        var first = outer[0];
        // R deparses the nested interaction with its parentheses: x:(cask:batch).
        if (first is BinaryExpr) first = new ParenExpr(first, first.Start, first.End);
        var combined = new BinaryExpr(":", inner, first, inner.Start, first.End, inner.End);
        return [combined, .. outer];
    }
}

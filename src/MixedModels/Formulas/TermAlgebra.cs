using System.Numerics;

namespace MixedModels.Formulas;

/// <summary>
/// R's model-formula algebra (<c>terms.formula</c>): <c>a + b</c> joins, <c>a:b</c> interacts, <c>a*b</c> is
/// <c>a + b + a:b</c>, <c>a/b</c> is <c>a + a:b</c>, <c>a %in% b</c> is <c>a:b</c>, <c>(a+b)^2</c> is all interactions
/// up to order 2, <c>-</c> removes terms, <c>0</c>/<c>-1</c> remove the intercept.
/// </summary>
internal sealed class TermAlgebra
{
    private readonly string _formula;
    private readonly List<Expr> _variables = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private bool _intercept = true;
    private bool _parity = true;

    private TermAlgebra(string formula) => _formula = formula;

    /// <summary>Expands <paramref name="rhs"/> (null = intercept only) with <paramref name="response"/> as variable 0 if given.</summary>
    public static TermSet Expand(string formula, Expr? response, Expr? rhs)
    {
        var a = new TermAlgebra(formula);
        if (response is not null) a.Install(response);
        if (rhs is not null) a.ExtractVariables(rhs, checkOnly: false);
        var terms = rhs is null ? [] : a.Encode(rhs);
        // Offsets are variables but not terms.
        var offsets = new List<int>();
        for (int i = 0; i < a._variables.Count; i++)
            if (a._variables[i] is CallExpr { Function: "offset" }) offsets.Add(i);
        if (offsets.Count > 0)
            terms = terms.Where(t => !offsets.Any(o => !(t & (BigInteger.One << o)).IsZero)).ToList();
        if (response is not null && terms.Any(t => !(t & BigInteger.One).IsZero))
            throw new FormulaException(formula, response.Start, $"the response '{response}' also appears among the terms on the right-hand side");
        var sorted = terms.Select((t, i) => (t, i, order: PopCount(t))).OrderBy(x => x.order).ThenBy(x => x.i).Select(x => x.t).ToList();
        return new TermSet(a._variables, sorted, a._intercept, response is null ? 0 : 1, offsets);
    }

    private static int PopCount(BigInteger b)
    {
        int c = 0;
        while (!b.IsZero) { if (!b.IsEven) c++; b >>= 1; }
        return c;
    }

    private int Install(Expr e)
    {
        string key = e.ToString();
        if (_index.TryGetValue(key, out int i)) return i;
        _variables.Add(e);
        _index[key] = _variables.Count - 1;
        return _variables.Count - 1;
    }

    private static bool IsZeroOne(Expr e) => e is NumberExpr { Value: 0 or 1 };

    private void ExtractVariables(Expr e, bool checkOnly)
    {
        switch (e)
        {
            case NumberExpr n:
                if (n.Value is not (0 or 1))
                    throw new FormulaException(_formula, n.Start,
                        $"the number {n} cannot be a term of a model formula (only 0 and 1, for the intercept); use I(...) for arithmetic");
                return;
            case NameExpr:
                if (!checkOnly) Install(e);
                return;
            case ParenExpr p: ExtractVariables(p.Inner, checkOnly); return;
            case UnaryExpr { Op: "-" } u: ExtractVariables(u.Operand, true); return;
            case UnaryExpr u: ExtractVariables(u.Operand, checkOnly); return;
            case BinaryExpr { Op: "-" } b: ExtractVariables(b.Left, checkOnly); ExtractVariables(b.Right, true); return;
            case BinaryExpr { Op: "^" } b:
                if (b.Right is not NumberExpr)
                    throw new FormulaException(_formula, b.Right.Start, "the power in (terms)^k must be a whole number");
                ExtractVariables(b.Left, checkOnly);
                return;
            case BinaryExpr { Op: "+" or ":" or "*" or "/" or "%in%" } b:
                ExtractVariables(b.Left, checkOnly);
                ExtractVariables(b.Right, checkOnly);
                return;
            case BinaryExpr b:
                throw new FormulaException(_formula, b.OpPosition, $"'{b.Op}' cannot be used here");
            case CallExpr:
                Install(e);
                return;
        }
    }

    private List<BigInteger> Encode(Expr e)
    {
        switch (e)
        {
            case NumberExpr { Value: 1 }: _intercept = _parity; return [];
            case NumberExpr { Value: 0 }: _intercept = !_parity; return [];
            case NumberExpr n:
                throw new FormulaException(_formula, n.Start, $"the number {n} cannot be a term of a model formula; use I(...) for arithmetic");
            case NameExpr or CallExpr: return [BigInteger.One << Install(e)];
            case ParenExpr p: return Encode(p.Inner);
            case UnaryExpr { Op: "+" } u: return Encode(u.Operand);
            case UnaryExpr { Op: "-" } u: return Delete([], u.Operand);
            case BinaryExpr b:
                switch (b.Op)
                {
                    case "+": return Trim([.. Encode(b.Left), .. Encode(b.Right)]);
                    case ":": return Interact(Encode(b.Left), Encode(b.Right), b.OpPosition);
                    case "*":
                    {
                        var l = Encode(b.Left);
                        var r = Encode(b.Right);
                        return Trim([.. l, .. r, .. Interact(l, r, b.OpPosition)]);
                    }
                    case "%in%":
                    {
                        var l = Encode(b.Left);
                        var all = Encode(b.Right).Aggregate(BigInteger.Zero, (acc, t) => acc | t);
                        return Trim(l.Select(t => t | all).ToList());
                    }
                    case "/":
                    {
                        var l = Encode(b.Left);
                        var r = Encode(b.Right);
                        var all = l.Aggregate(BigInteger.Zero, (acc, t) => acc | t);
                        return Trim([.. l, .. r.Select(t => t | all)]);
                    }
                    case "^":
                    {
                        double p = ((NumberExpr)b.Right).Value;
                        if (p != Math.Floor(p) || p < 2 || p > int.MaxValue)
                            throw new FormulaException(_formula, b.Right.Start, "invalid power in formula: the power in (terms)^k must be a whole number from 2 to 2147483647");
                        var left = Encode(b.Left);
                        var right = left;
                        // Interactions saturate: once a power adds no new term, higher ones add none either.
                        for (int i = 1; i < (int)p; i++)
                        {
                            int before = right.Count;
                            right = Interact(left, right, b.OpPosition);
                            if (right.Count == before) break;
                        }
                        return right;
                    }
                    case "-": return Delete(Encode(b.Left), b.Right);
                    case "|" or "||":
                        throw new FormulaException(_formula, b.OpPosition,
                            $"'{b.Op}' is only allowed inside a parenthesized random-effects term such as (1 {b.Op} group)");
                    default:
                        throw new FormulaException(_formula, b.OpPosition, $"'{b.Op}' cannot be used here");
                }
            default: throw new InvalidOperationException("unknown expression node");
        }
    }

    private List<BigInteger> Delete(List<BigInteger> left, Expr rightExpr)
    {
        _parity = !_parity;
        var right = Encode(rightExpr);
        _parity = !_parity;
        foreach (var t in right)
        {
            if (t.IsZero) _intercept = false;
            left = left.Where(l => l != t).ToList();
        }
        return left;
    }

    /// <summary>The most terms a formula may expand to (R has no bound, but a model with more cannot be fitted here).</summary>
    public const int MaxTerms = 10_000;

    /// <summary>All products of a left and a right term, without repeats; refused as soon as there are more than <see cref="MaxTerms"/>.</summary>
    private List<BigInteger> Interact(List<BigInteger> left, List<BigInteger> right, int position)
    {
        var seen = new HashSet<BigInteger>();
        var result = new List<BigInteger>();
        foreach (var l in left)
            foreach (var r in right)
            {
                var t = l | r;
                if (t.IsZero || !seen.Add(t)) continue;
                result.Add(t);
                if (result.Count > MaxTerms)
                    throw new FormulaException(_formula, position, $"the formula expands to more than {MaxTerms} terms; use fewer variables or a lower power");
            }
        return result;
    }

    private static List<BigInteger> Trim(List<BigInteger> terms)
    {
        var seen = new HashSet<BigInteger>();
        var result = new List<BigInteger>(terms.Count);
        foreach (var t in terms) if (!t.IsZero && seen.Add(t)) result.Add(t);
        return result;
    }
}

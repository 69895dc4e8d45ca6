namespace MixedModels.Formulas;

/// <summary>
/// A parsed lme4 model formula: <c>response ~ fixed terms + (expr | group) + ...</c>. Parsing checks the syntax
/// and expands the fixed terms (R's rules) and the random-effects terms (lme4's rules); it does not look at data.
/// </summary>
public sealed class Formula
{
    private Formula(string text, Expr response, Expr rhs, Expr? fixedPart, IReadOnlyList<RandomTermSpec> random, TermSet fixedTerms)
    {
        Text = text;
        Response = response;
        RightHandSide = rhs;
        FixedPart = fixedPart;
        RandomTerms = random.ToList().AsReadOnly();
        FixedTerms = fixedTerms;
    }

    /// <summary>The formula text as given.</summary>
    public string Text { get; }

    /// <summary>The response expression (left of <c>~</c>).</summary>
    internal Expr Response { get; }

    /// <summary>Everything right of <c>~</c>.</summary>
    internal Expr RightHandSide { get; }

    /// <summary>The right-hand side without its random-effects terms, or null when nothing else is left (intercept only).</summary>
    internal Expr? FixedPart { get; }

    /// <summary>The random-effects terms, after expansion of <c>||</c> and <c>/</c>, in formula order.</summary>
    internal IReadOnlyList<RandomTermSpec> RandomTerms { get; }

    /// <summary>The expanded fixed-effects terms.</summary>
    public TermSet FixedTerms { get; }

    /// <summary>Parses a formula; a <see cref="FormulaException"/> names the position of any problem.</summary>
    public static Formula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var e = Parser.Parse(text);
        if (e is not BinaryExpr { Op: "~" } tilde)
            throw new FormulaException(text, e.Start, "the formula has no '~': write it as 'response ~ terms'");
        if (ContainsTilde(tilde.Left) || ContainsTilde(tilde.Right))
            throw new FormulaException(text, tilde.OpPosition, "the formula has more than one '~'");
        var (fixedPart, random) = BarExpansion.Split(text, tilde.Right);
        var terms = TermAlgebra.Expand(text, tilde.Left, fixedPart);
        return new Formula(text, tilde.Left, tilde.Right, fixedPart, random, terms);
    }

    /// <summary>The formula without its random-effects terms (lme4's <c>nobars</c>): the model of the fixed effects alone.</summary>
    public Formula WithoutRandomTerms()
    {
        string rhs = FixedPart?.ToString() ?? (FixedTerms.Intercept ? "1" : "0");
        return Parse($"{Response} ~ {rhs}");
    }

    private static bool ContainsTilde(Expr e) => e switch
    {
        BinaryExpr { Op: "~" } => true,
        BinaryExpr b => ContainsTilde(b.Left) || ContainsTilde(b.Right),
        ParenExpr p => ContainsTilde(p.Inner),
        UnaryExpr u => ContainsTilde(u.Operand),
        CallExpr c => c.Arguments.Any(a => ContainsTilde(a.Value)),
        _ => false,
    };

    /// <summary>The formula split into lines as R's <c>deparse</c> splits a long formula (continuation lines indented).</summary>
    public IReadOnlyList<string> DeparsedLines() =>
        Deparser.DeparseLines(new BinaryExpr("~", Response, RightHandSide, Response.Start, RightHandSide.End, Response.End)).AsReadOnly();

    /// <summary>The formula as R's <c>deparse</c> writes it, e.g. <c>Reaction ~ Days + (Days | Subject)</c>.</summary>
    public override string ToString() => $"{Response} ~ {RightHandSide}";
}

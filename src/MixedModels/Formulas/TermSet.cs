using System.Numerics;

namespace MixedModels.Formulas;

/// <summary>
/// The model terms of one side of a formula, expanded as R's <c>terms()</c> does: a list of variables (expressions,
/// in order of first appearance, the response first when there is one) and a list of terms, each a set of those
/// variables, ordered by the number of variables (main effects first) and otherwise as written.
/// </summary>
public sealed class TermSet
{
    internal TermSet(IReadOnlyList<Expr> variables, IReadOnlyList<BigInteger> terms, bool intercept, int responseCount,
        IReadOnlyList<int> offsets)
    {
        Variables = variables.ToList().AsReadOnly();
        Bits = terms.ToList().AsReadOnly();
        Intercept = intercept;
        HasResponse = responseCount == 1;
        Offsets = offsets.ToList().AsReadOnly();
        var labels = new string[terms.Count];
        for (int t = 0; t < terms.Count; t++)
            labels[t] = string.Join(":", VariableIndices(t).Select(i => variables[i].ToString()));
        Labels = Array.AsReadOnly(labels);
    }

    /// <summary>The variables, as expressions (a column name, or a call such as <c>log(x)</c>).</summary>
    internal IReadOnlyList<Expr> Variables { get; }

    /// <summary>The names of the variables (R's deparsed text).</summary>
    public IEnumerable<string> VariableNames => Variables.Select(v => v.ToString());

    /// <summary>True when the model has an intercept.</summary>
    public bool Intercept { get; }

    /// <summary>True when variable 0 is the response.</summary>
    public bool HasResponse { get; }

    /// <summary>R's term labels, e.g. <c>SES</c>, <c>SES:Sector</c>.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The number of terms (not counting the intercept).</summary>
    public int Count => Bits.Count;

    /// <summary>Indices of the variables that are offsets (<c>offset(x)</c>); they belong to no term.</summary>
    public IReadOnlyList<int> Offsets { get; }

    internal IReadOnlyList<BigInteger> Bits { get; }

    /// <summary>The variable indices of term <paramref name="term"/>, increasing.</summary>
    public IEnumerable<int> VariableIndices(int term)
    {
        var bits = Bits[term];
        for (int i = 0; i < Variables.Count; i++) if (!(bits & (BigInteger.One << i)).IsZero) yield return i;
    }

    /// <summary>
    /// R's factor coding of variable <paramref name="variable"/> in term <paramref name="term"/>: 1 = by contrasts,
    /// 2 = by indicator columns for every level. A variable gets contrasts when the term without it is empty or is
    /// contained in an earlier term.
    /// </summary>
    public int Coding(int term, int variable)
    {
        var reduced = Bits[term] & ~(BigInteger.One << variable);
        if (reduced.IsZero) return 1;
        for (int t = 0; t < term; t++)
            if ((reduced & ~Bits[t]).IsZero) return 1;
        return 2;
    }
}

using MixedModels.Formulas;

namespace MixedModels.Results;

/// <summary>One grouping level of nlme's <c>random =</c>: its factor, its one-sided formula and its pdMat class.</summary>
/// <param name="Group">The grouping factor.</param>
/// <param name="Formula">The random-effects formula as given, with its tilde (<c>~ age</c>).</param>
/// <param name="Diagonal">True for <c>pdDiag</c>: independent effects with their own variances.</param>
public sealed record NlmeRandomLevel(string Group, string Formula, bool Diagonal);

/// <summary>
/// nlme's <c>random =</c> argument as lme4 random-effects terms: <c>~ x | g</c>, <c>~ x | a/b</c>, and the list form
/// <c>list(a = ~ 1, b = pdDiag(~ x))</c> (levels from the outermost in), each level's formula plain or in
/// <c>pdSymm</c>/<c>pdLogChol</c> (general, <c>(x | g)</c>), <c>pdDiag</c> (<c>(x || g)</c>), or <c>pdIdent</c>/<c>pdCompSymm</c>
/// of a single column (the same model). A nested level k is lme4's grouping of the factors' interaction (inner first,
/// as lme4 names <c>a/b</c>'s).
/// </summary>
internal static class NlmeRandomSpec
{
    /// <summary>The levels and the lme4 terms ("(x | g) + (1 | b:a)") of <paramref name="random"/> at <paramref name="position"/> in <paramref name="text"/>.</summary>
    public static (IReadOnlyList<NlmeRandomLevel> Levels, string Terms) Translate(string text, string random, int position)
    {
        string r = random.Trim();
        if (r.StartsWith('~'))
        {
            int bar = r.IndexOf('|');
            if (bar < 0)
                throw new FormulaException(text, position, $"random = {random}: give the grouping factor, ~ x | g, or a list: random = list(g = ~ x)");
            string lhs = r[..bar].Trim();
            var groups = r[(bar + 1)..].Split('/', StringSplitOptions.TrimEntries);
            if (groups.Any(g => g.Length == 0)) throw new FormulaException(text, position, $"random = {random}: a grouping factor is missing around '/'");
            return (groups.Select(g => new NlmeRandomLevel(g, lhs, false)).ToArray(), $"({r[1..].Trim()})");
        }
        RCall call;
        try
        {
            call = RCall.Parse(r);
        }
        catch (FormulaException e)
        {
            throw new FormulaException(text, position, $"random = {random}: {e.Message}");
        }
        if (call.Function != "list")
            throw new FormulaException(text, position, call.Function.StartsWith("pd", StringComparison.Ordinal)
                ? $"random = {random}: name the grouping factor, random = list(g = {r})"
                : $"random = {random}: give a one-sided formula ~ x | g or a list such as list(g = ~ x) or list(g = pdDiag(~ x))");
        if (call.Arguments.Count == 0) throw new FormulaException(text, position, "random = list(): give at least one grouping factor, list(g = ~ 1)");
        var levels = new List<NlmeRandomLevel>();
        var terms = new List<string>();
        foreach (var a in call.Arguments)
        {
            if (a.Name is null) throw new FormulaException(text, position, $"random = {random}: name each level's grouping factor, list(g = {a.Value.Trim()})");
            var (formula, diagonal) = Level(text, position, a);
            string lhs = formula.TrimStart('~').Trim();
            if (lhs.Contains('|')) throw new FormulaException(text, position, $"random = list({a.Name} = {a.Value.Trim()}): the grouping is the list's name; leave '|' out");
            levels.Add(new NlmeRandomLevel(a.Name, formula, diagonal));
            string grouping = string.Join(":", levels.Select(l => l.Group).Reverse());
            terms.Add($"({lhs} {(diagonal ? "||" : "|")} {grouping})");
        }
        return (levels, string.Join(" + ", terms));
    }

    private static (string Formula, bool Diagonal) Level(string text, int position, RArgument a)
    {
        string v = a.Value.Trim();
        if (v.StartsWith('~')) return (v, false);
        RCall pd;
        try
        {
            pd = RCall.Parse(v);
        }
        catch (FormulaException)
        {
            throw new FormulaException(text, position, $"random = list({a.Name} = {v}): give a one-sided formula such as ~ x, or pdDiag(~ x)");
        }
        if (pd.Arguments.Count != 1) throw new FormulaException(text, position, $"{pd.Function}({string.Join(", ", pd.Arguments.Select(x => x.Value))}): give one formula, {pd.Function}(~ x)");
        string f = pd.Arguments[0].Value.Trim();
        if (!f.StartsWith('~')) throw new FormulaException(text, position, $"{pd.Function}({f}): give a one-sided formula, {pd.Function}(~ {f})");
        switch (pd.Function)
        {
            case "pdSymm" or "pdLogChol" or "pdNatural":
                return (f, false);
            case "pdDiag":
                return (f, true);
            case "pdIdent" or "pdCompSymm":
                if (f.TrimStart('~').Trim() is "1") return (f, false);
                throw new FormulaException(text, position, $"{pd.Function}({f}): its variances (and correlations) tied across columns are not available here; a single column (~ 1) is, as are pdSymm and pdDiag");
            case "pdBlocked":
                throw new FormulaException(text, position, "pdBlocked(): block-diagonal random effects are not available here; give the blocks as separate levels or use pdDiag/pdSymm");
            default:
                throw new FormulaException(text, position, $"{pd.Function}(): unknown pdMat class; nlme's classes available here are pdSymm, pdLogChol, pdDiag and, for one column, pdIdent and pdCompSymm");
        }
    }
}

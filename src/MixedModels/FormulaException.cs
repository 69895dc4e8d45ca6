namespace MixedModels;

/// <summary>A formula that cannot be parsed or understood. <see cref="Display"/> shows the formula with a caret under the problem.</summary>
public sealed class FormulaException : MixedModelsException
{
    /// <summary>Creates a formula error at a position of the formula text.</summary>
    /// <param name="formula">The formula text.</param>
    /// <param name="position">0-based character position of the problem.</param>
    /// <param name="problem">What is wrong or what was expected.</param>
    public FormulaException(string formula, int position, string problem)
        : base(Compose(formula, position, problem))
    {
        Formula = formula;
        Position = Math.Clamp(position, 0, formula.Length);
        Problem = problem;
    }

    /// <summary>The formula text as given.</summary>
    public string Formula { get; }

    /// <summary>0-based character position of the problem in <see cref="Formula"/>.</summary>
    public int Position { get; }

    /// <summary>What is wrong, without the formula display.</summary>
    public string Problem { get; }

    /// <summary>The formula on one line and a caret under the problem on the next (a long formula shown around the problem).</summary>
    public string Display
    {
        get
        {
            var (text, caret) = Window(Formula, Position);
            return text + "\n" + new string(' ', caret) + "^";
        }
    }

    /// <summary>Characters of a long formula shown on each side of the problem.</summary>
    private const int Context = 60;

    /// <summary>The formula, or the part around the position with "..." for what is left out, and the caret's column in it.</summary>
    private static (string Text, int Caret) Window(string formula, int position)
    {
        int p = Math.Clamp(position, 0, formula.Length);
        if (formula.Length <= 2 * Context + 20) return (formula, p);
        int start = Math.Max(0, p - Context), end = Math.Min(formula.Length, p + Context);
        string head = start > 0 ? "..." : "", tail = end < formula.Length ? "..." : "";
        return (head + formula[start..end] + tail, p - start + head.Length);
    }

    private static string Compose(string formula, int position, string problem)
    {
        int p = Math.Clamp(position, 0, formula.Length);
        var (text, caret) = Window(formula, p);
        return $"{problem} (at position {p + 1} of the formula)\n  {text}\n  {new string(' ', caret)}^";
    }
}

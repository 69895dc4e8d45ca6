namespace MixedModels.Formulas;

/// <summary>One argument of an R call: its name (null when positional), its text as written and where it starts.</summary>
/// <param name="Name">The argument's name (<c>family</c> in <c>family = binomial</c>), or null.</param>
/// <param name="Value">The value's text, trimmed.</param>
/// <param name="Position">The 0-based position of the value in the call's text.</param>
public sealed record RArgument(string? Name, string Value, int Position);

/// <summary>
/// The syntax of an R function call as users paste it from their scripts — <c>glmer(cbind(s, f) ~ x + (1 | g),
/// family = binomial(link = "probit"), data = d)</c>: the function's name (a <c>pkg::</c> prefix dropped) and its
/// top-level arguments split at commas outside parentheses, brackets, braces and quotes. The values are kept as
/// text for the model's own parsers; errors name the position.
/// </summary>
public sealed class RCall
{
    private RCall(string text, string function, IReadOnlyList<RArgument> arguments)
    {
        Text = text;
        Function = function;
        Arguments = arguments;
    }

    /// <summary>The call as given.</summary>
    public string Text { get; }

    /// <summary>The function's name without a package prefix (<c>lmer</c> for <c>lmerTest::lmer</c>).</summary>
    public string Function { get; }

    /// <summary>The arguments in order.</summary>
    public IReadOnlyList<RArgument> Arguments { get; }

    /// <summary>Parses a call; a <see cref="FormulaException"/> names the position of a syntax problem.</summary>
    public static RCall Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        int nameStart = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '.' or '_' or ':')) i++;
        string name = text[nameStart..i];
        if (name.Length == 0) throw new FormulaException(text, nameStart, "expected an R call such as lmer(y ~ x + (1 | g), data = d)");
        int colons = name.LastIndexOf("::", StringComparison.Ordinal);
        if (colons >= 0) name = name[(colons + 2)..];
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        if (i >= text.Length || text[i] != '(') throw new FormulaException(text, i, $"expected '(' after {name}");
        int open = i;
        int close = Matching(text, open);
        for (int j = close + 1; j < text.Length; j++)
            if (!char.IsWhiteSpace(text[j])) throw new FormulaException(text, j, $"unexpected text after the closing ')' of {name}(");
        var args = new List<RArgument>();
        int start = open + 1;
        foreach (int end in TopLevelCommas(text, open + 1, close).Append(close))
        {
            string piece = text[start..end];
            if (piece.Trim().Length == 0)
            {
                if (end == close && args.Count == 0) break;
                throw new FormulaException(text, start, $"an empty argument in {name}(...)");
            }
            args.Add(Argument(text, start, piece));
            start = end + 1;
        }
        return new RCall(text, name, args.AsReadOnly());
    }

    /// <summary>The argument named <paramref name="name"/>, or null.</summary>
    public RArgument? Named(string name) => Arguments.FirstOrDefault(a => a.Name == name);

    private static RArgument Argument(string text, int start, string piece)
    {
        int lead = piece.Length - piece.TrimStart().Length;
        string t = piece.Trim();
        int pos = start + lead;
        int k = 0;
        if (k < t.Length && t[k] == '`')
        {
            int q = t.IndexOf('`', 1);
            if (q > 0) k = q + 1;
        }
        else while (k < t.Length && (char.IsLetterOrDigit(t[k]) || t[k] is '.' or '_')) k++;
        int e = k;
        while (e < t.Length && char.IsWhiteSpace(t[e])) e++;
        if (k > 0 && e < t.Length && t[e] == '=' && (e + 1 >= t.Length || t[e + 1] != '='))
        {
            string value = t[(e + 1)..];
            int valueLead = value.Length - value.TrimStart().Length;
            if (value.Trim().Length == 0) throw new FormulaException(text, pos + e, $"argument '{t[..k]}' has no value");
            return new RArgument(t[..k].Trim('`'), value.Trim(), pos + e + 1 + valueLead);
        }
        return new RArgument(null, t, pos);
    }

    /// <summary>The position of the bracket closing the one at <paramref name="open"/>, skipping strings and comments.</summary>
    private static int Matching(string text, int open)
    {
        var stack = new Stack<(char Close, int At)>();
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            switch (c)
            {
                case '"' or '\'' or '`': i = EndOfQuote(text, i); break;
                case '(': stack.Push((')', i)); break;
                case '[': stack.Push((']', i)); break;
                case '{': stack.Push(('}', i)); break;
                case ')' or ']' or '}':
                    if (stack.Count == 0 || stack.Peek().Close != c) throw new FormulaException(text, i, $"unbalanced '{c}'");
                    stack.Pop();
                    if (stack.Count == 0) return i;
                    break;
            }
        }
        var (expected, at) = stack.Peek();
        throw new FormulaException(text, at, $"unbalanced '{text[at]}': expected '{expected}'");
    }

    private static int EndOfQuote(string text, int start)
    {
        char q = text[start];
        for (int i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\' && q != '`') { i++; continue; }
            if (text[i] == q) return i;
        }
        throw new FormulaException(text, start, $"a string starting with {q} is not closed");
    }

    private static IEnumerable<int> TopLevelCommas(string text, int from, int to)
    {
        int depth = 0;
        for (int i = from; i < to; i++)
        {
            char c = text[i];
            if (c is '"' or '\'' or '`') { i = EndOfQuote(text, i); continue; }
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            else if (c == ',' && depth == 0) yield return i;
        }
    }

    /// <summary>The text of an R string literal without its quotes (and with \" and \\ unescaped), or null when <paramref name="value"/> is not one.</summary>
    public static string? StringLiteral(string value)
    {
        value = value.Trim();
        if (value.Length < 2 || value[0] is not ('"' or '\'') || value[^1] != value[0]) return null;
        return value[1..^1].Replace("\\\"", "\"").Replace("\\'", "'").Replace("\\\\", "\\");
    }
}

namespace MixedModels.Formulas;

/// <summary>
/// Parses formula text with R's operator precedence (loosest first): <c>~</c>; <c>| ||</c>; binary <c>+ -</c>;
/// <c>* /</c>; <c>%in%</c>; <c>:</c>; unary <c>+ -</c>; <c>^</c> (right-associative). Errors name the position.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _pos;
    private int _depth;

    /// <summary>
    /// The deepest formula accepted: nesting of parentheses, calls and unary signs, and the depth of the operator tree
    /// (a sum of n terms is n deep). Every later stage walks the tree recursively; the bound keeps that far from the
    /// stack's limit (a stack overflow would end the process, uncatchable).
    /// </summary>
    public const int MaxDepth = 1000;

    private Parser(string text)
    {
        _text = text;
        _tokens = Lexer.Tokenize(text);
    }

    public static Expr Parse(string text)
    {
        var p = new Parser(text);
        if (p.Peek.Kind == TokenKind.End) throw new FormulaException(text, 0, "the formula is empty");
        var e = p.ParseExpr(0);
        if (p.Peek.Kind != TokenKind.End)
        {
            var t = p.Peek;
            string what = t.Kind == TokenKind.RightParen ? "unbalanced ')': there is no '(' to close" : $"unexpected '{t.Text}'; expected an operator or the end of the formula";
            throw new FormulaException(text, t.Start, what);
        }
        CheckTreeDepth(text, e);
        return e;
    }

    /// <summary>The operator tree's depth, walked without recursion; deeper than <see cref="MaxDepth"/> is refused.</summary>
    private static void CheckTreeDepth(string text, Expr root)
    {
        var stack = new Stack<(Expr Node, int Depth)>();
        stack.Push((root, 1));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            if (depth > MaxDepth)
                throw new FormulaException(text, node.Start,
                    $"the formula is too deep to evaluate (more than {MaxDepth} nested operations, such as a sum of more than {MaxDepth} terms); simplify it or compute the variable in the data");
            switch (node)
            {
                case BinaryExpr b: stack.Push((b.Left, depth + 1)); stack.Push((b.Right, depth + 1)); break;
                case UnaryExpr u: stack.Push((u.Operand, depth + 1)); break;
                case ParenExpr q: stack.Push((q.Inner, depth + 1)); break;
                case CallExpr c: foreach (var a in c.Arguments) stack.Push((a.Value, depth + 1)); break;
            }
        }
    }

    private Token Peek => _tokens[_pos];

    private Token Take() => _tokens[_pos++];

    private static int InfixPower(Token t) => t.Kind != TokenKind.Operator ? -1 : t.Text switch
    {
        "~" => 10,
        "|" or "||" => 20,
        "+" or "-" => 30,
        "*" or "/" => 40,
        "%in%" => 50,
        ":" => 60,
        "^" => 80,
        _ => -1,
    };

    private const int UnaryPower = 70;

    private Expr ParseExpr(int minPower)
    {
        if (++_depth > MaxDepth)
            throw new FormulaException(_text, Peek.Start, $"the formula nests parentheses, calls or signs more than {MaxDepth} deep; simplify it");
        try { return ParseOperators(minPower); }
        finally { _depth--; }
    }

    private Expr ParseOperators(int minPower)
    {
        var left = ParsePrefix();
        while (true)
        {
            var op = Peek;
            int power = InfixPower(op);
            if (power <= minPower) break;
            Take();
            int rightMin = op.Text == "^" ? power - 1 : power;
            if (Peek.Kind == TokenKind.End || Peek.Kind == TokenKind.RightParen || Peek.Kind == TokenKind.Comma)
                throw new FormulaException(_text, Peek.Start, $"expected a term after '{op.Text}'");
            var right = ParseExpr(rightMin);
            left = new BinaryExpr(op.Text, left, right, left.Start, right.End, op.Start);
        }
        return left;
    }

    private Expr ParsePrefix()
    {
        var t = Take();
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new NumberExpr(t.Number, t.Start, t.End);
            case TokenKind.Name:
                if (Peek.Kind == TokenKind.LeftParen) return ParseCall(t);
                return new NameExpr(t.Text, t.Start, t.End);
            case TokenKind.LeftParen:
            {
                if (Peek.Kind == TokenKind.RightParen) throw new FormulaException(_text, Peek.Start, "empty parentheses '()'");
                if (Peek.Kind == TokenKind.Operator && Peek.Text is "|" or "||")
                    throw new FormulaException(_text, Peek.Start, $"a random-effects term needs an expression before '{Peek.Text}', e.g. (1 | group)");
                var inner = ParseExpr(0);
                if (Peek.Kind != TokenKind.RightParen)
                    throw new FormulaException(_text, Peek.Start,
                        Peek.Kind == TokenKind.End ? $"unbalanced '(' at position {t.Start + 1}: expected ')'" : $"expected ')' but found '{Peek.Text}'");
                var close = Take();
                return new ParenExpr(inner, t.Start, close.End);
            }
            case TokenKind.Operator when t.Text is "-" or "+":
            {
                if (Peek.Kind is TokenKind.End or TokenKind.RightParen)
                    throw new FormulaException(_text, Peek.Start, $"expected a term after '{t.Text}'");
                var operand = ParseExpr(UnaryPower);
                return new UnaryExpr(t.Text, operand, t.Start, operand.End);
            }
            case TokenKind.Operator when t.Text == "~":
                throw new FormulaException(_text, t.Start, "the formula has no response: write it as 'response ~ terms'");
            case TokenKind.End:
                throw new FormulaException(_text, t.Start, "the formula ends where a term was expected");
            case TokenKind.RightParen:
                throw new FormulaException(_text, t.Start, "unexpected ')': expected a term");
            default:
                throw new FormulaException(_text, t.Start, $"unexpected '{t.Text}': expected a term");
        }
    }

    private CallExpr ParseCall(Token name)
    {
        Take(); // (
        var args = new List<Argument>();
        if (Peek.Kind != TokenKind.RightParen)
        {
            while (true)
            {
                string? argName = null;
                if (Peek.Kind == TokenKind.Name && _tokens[_pos + 1].Kind == TokenKind.Equals)
                {
                    argName = Take().Text;
                    Take();
                }
                if (Peek.Kind is TokenKind.Comma or TokenKind.RightParen or TokenKind.End)
                    throw new FormulaException(_text, Peek.Start, $"expected an argument of {name.Text}()");
                args.Add(new Argument(argName, ParseExpr(0)));
                if (Peek.Kind == TokenKind.Comma) { Take(); continue; }
                break;
            }
        }
        if (Peek.Kind != TokenKind.RightParen)
            throw new FormulaException(_text, Peek.Start,
                Peek.Kind == TokenKind.End ? $"unbalanced '(' of {name.Text}(: expected ')'" : $"expected ',' or ')' in the arguments of {name.Text}() but found '{Peek.Text}'");
        var close = Take();
        return new CallExpr(name.Text, args, name.Start, close.End);
    }
}

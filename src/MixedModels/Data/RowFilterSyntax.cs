using System.Globalization;

namespace MixedModels.Data;

/// <summary>A node of an R row condition (<c>Days &gt;= 2 &amp; Subject != "309"</c>).</summary>
internal abstract record FilterNode(int Position);

internal sealed record FilterNumber(double Value, int Position) : FilterNode(Position);

internal sealed record FilterString(string Value, int Position) : FilterNode(Position);

/// <summary>TRUE, FALSE or NA.</summary>
internal sealed record FilterLogical(bool? Value, int Position) : FilterNode(Position);

internal sealed record FilterName(string Name, int Position) : FilterNode(Position);

internal sealed record FilterUnary(string Op, FilterNode Operand, int Position) : FilterNode(Position);

internal sealed record FilterBinary(string Op, FilterNode Left, FilterNode Right, int Position) : FilterNode(Position);

internal sealed record FilterCall(string Function, IReadOnlyList<FilterNode> Arguments, int Position) : FilterNode(Position);

/// <summary>
/// Parses the R expression of a row condition with R's operator precedence (<c>?Syntax</c>): <c>^</c>, unary minus,
/// <c>%in%</c>, <c>* /</c>, <c>+ -</c>, comparisons, <c>!</c>, <c>&amp; &amp;&amp;</c>, <c>| ||</c>. Names may be
/// backquoted, strings single- or double-quoted. Nesting is bounded, so a hostile expression cannot overflow the stack.
/// </summary>
internal sealed class RowFilterParser
{
    private const int MaxDepth = 200;

    private readonly string _text;
    private int _pos, _depth;

    private RowFilterParser(string text) => _text = text;

    public static FilterNode Parse(string text)
    {
        var p = new RowFilterParser(text);
        p.Space();
        if (p._pos == text.Length) throw p.Error("the condition is empty");
        var node = p.Expression(0);
        p.Space();
        if (p._pos < text.Length) throw p.Error($"unexpected '{text[p._pos]}'");
        return node;
    }

    public MixedModelsDataException Error(string problem, int? at = null) => RowFilter.Error(_text, at ?? _pos, problem);

    private static int Power(string op) => op switch
    {
        "|" or "||" => 1,
        "&" or "&&" => 2,
        "==" or "!=" or "<" or "<=" or ">" or ">=" => 4,
        "+" or "-" => 5,
        "*" or "/" => 6,
        "%in%" => 7,
        "^" => 9,
        _ => -1,
    };

    private FilterNode Expression(int minPower)
    {
        if (++_depth > MaxDepth) throw Error($"the condition nests more than {MaxDepth} deep");
        var left = Prefix();
        while (true)
        {
            Space();
            int at = _pos;
            string? op = PeekOperator();
            if (op is null) break;
            int power = Power(op);
            if (power < minPower || power < 0) break;
            _pos += op.Length;
            // ^ is right-associative; the rest associate to the left.
            var right = Expression(op == "^" ? power : power + 1);
            left = new FilterBinary(op, left, right, at);
        }
        _depth--;
        return left;
    }

    private FilterNode Prefix()
    {
        Space();
        if (_pos >= _text.Length) throw Error("the condition ends too early");
        int at = _pos;
        char c = _text[_pos];
        if (c == '!') { _pos++; return new FilterUnary("!", Expression(3), at); }
        if (c is '-' or '+') { _pos++; return new FilterUnary(c.ToString(), Expression(8), at); }
        if (c == '(')
        {
            _pos++;
            var inner = Expression(0);
            Space();
            if (_pos >= _text.Length || _text[_pos] != ')') throw Error("a '(' is not closed", at);
            _pos++;
            return inner;
        }
        if (c is '"' or '\'') return new FilterString(QuotedString(c), at);
        if (char.IsDigit(c) || (c == '.' && _pos + 1 < _text.Length && char.IsDigit(_text[_pos + 1]))) return Number();
        if (c == '`')
        {
            int close = _text.IndexOf('`', _pos + 1);
            if (close < 0) throw Error("a backquoted name is not closed with `");
            string name = _text[(_pos + 1)..close];
            _pos = close + 1;
            return new FilterName(name, at);
        }
        if (char.IsLetter(c) || c == '.')
        {
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '.' or '_')) _pos++;
            string name = _text[at.._pos];
            Space();
            if (_pos < _text.Length && _text[_pos] == '(') return Call(name, at);
            return name switch
            {
                "TRUE" or "T" => new FilterLogical(true, at),
                "FALSE" or "F" => new FilterLogical(false, at),
                "NA" => new FilterLogical(null, at),
                _ => new FilterName(name, at),
            };
        }
        throw Error($"unexpected '{c}'");
    }

    private FilterNode Call(string name, int at)
    {
        _pos++;  // (
        var args = new List<FilterNode>();
        Space();
        if (_pos < _text.Length && _text[_pos] == ')') { _pos++; return new FilterCall(name, args, at); }
        while (true)
        {
            args.Add(Expression(0));
            Space();
            if (_pos >= _text.Length) throw Error($"the call of {name}() is not closed with ')'", at);
            if (_text[_pos] == ',') { _pos++; continue; }
            if (_text[_pos] == ')') { _pos++; return new FilterCall(name, args, at); }
            throw Error($"expected ',' or ')' in the call of {name}()");
        }
    }

    private FilterNumber Number()
    {
        int at = _pos;
        while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] == '.')) _pos++;
        if (_pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            int save = _pos++;
            if (_pos < _text.Length && _text[_pos] is '+' or '-') _pos++;
            if (_pos < _text.Length && char.IsDigit(_text[_pos])) while (_pos < _text.Length && char.IsDigit(_text[_pos])) _pos++;
            else _pos = save;
        }
        string s = _text[at.._pos];
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) throw Error($"'{s}' is not a number", at);
        if (_pos < _text.Length && _text[_pos] == 'L') _pos++;
        return new FilterNumber(v, at);
    }

    private string QuotedString(char quote)
    {
        int at = _pos++;
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length) throw Error("a quoted string is not closed", at);
            char c = _text[_pos++];
            if (c == quote) return sb.ToString();
            if (c == '\\' && _pos < _text.Length) c = _text[_pos++];
            sb.Append(c);
        }
    }

    private string? PeekOperator()
    {
        if (_pos >= _text.Length) return null;
        var rest = _text.AsSpan(_pos);
        foreach (var op in (ReadOnlySpan<string>)["%in%", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "&", "|", "+", "-", "*", "/", "^"])
            if (rest.StartsWith(op, StringComparison.Ordinal)) return op;
        if (rest[0] == '%') throw Error("the only %...% operator a condition can use is %in%");
        if (rest[0] == '=') throw Error("'=' is not a comparison; use '=='");
        return null;
    }

    private void Space()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }
}

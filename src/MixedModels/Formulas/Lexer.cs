using System.Globalization;

namespace MixedModels.Formulas;

/// <summary>Splits formula text into tokens (names, numbers, the formula operators, parentheses, commas).</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            int start = i;
            if (char.IsLetter(c) || (c == '.' && !(i + 1 < text.Length && char.IsDigit(text[i + 1]))))
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '.' || text[i] == '_')) i++;
                tokens.Add(new(TokenKind.Name, text[start..i], start, i));
                continue;
            }
            if (c == '`')
            {
                int close = text.IndexOf('`', i + 1);
                if (close < 0) throw new FormulaException(text, i, "a backquoted name is not closed with `");
                if (close == i + 1) throw new FormulaException(text, i, "a backquoted name is empty");
                tokens.Add(new(TokenKind.Name, text[(i + 1)..close], start, close + 1));
                i = close + 1;
                continue;
            }
            if (char.IsDigit(c) || c == '.')
            {
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] == '.')) i++;
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    int save = i;
                    i++;
                    if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
                    if (i < text.Length && char.IsDigit(text[i])) { while (i < text.Length && char.IsDigit(text[i])) i++; }
                    else i = save;
                }
                string s = text[start..i];
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw new FormulaException(text, start, $"'{s}' is not a number");
                if (i < text.Length && text[i] == 'L') i++;
                tokens.Add(new(TokenKind.Number, s, start, i, v));
                continue;
            }
            switch (c)
            {
                case '(': tokens.Add(new(TokenKind.LeftParen, "(", start, ++i)); continue;
                case ')': tokens.Add(new(TokenKind.RightParen, ")", start, ++i)); continue;
                case ',': tokens.Add(new(TokenKind.Comma, ",", start, ++i)); continue;
                case '=':
                    if (i + 1 < text.Length && text[i + 1] == '=')
                        throw new FormulaException(text, i, "'==' cannot be used in a model formula; wrap comparisons in I(...) is not supported either");
                    tokens.Add(new(TokenKind.Equals, "=", start, ++i)); continue;
                case '~': case '+': case '-': case '/': case ':': case '^':
                    tokens.Add(new(TokenKind.Operator, c.ToString(), start, ++i)); continue;
                case '*':
                    if (i + 1 < text.Length && text[i + 1] == '*') { tokens.Add(new(TokenKind.Operator, "^", start, i += 2)); continue; }
                    tokens.Add(new(TokenKind.Operator, "*", start, ++i)); continue;
                case '|':
                    if (i + 1 < text.Length && text[i + 1] == '|') { tokens.Add(new(TokenKind.Operator, "||", start, i += 2)); continue; }
                    tokens.Add(new(TokenKind.Operator, "|", start, ++i)); continue;
                case '%':
                    int end = text.IndexOf('%', i + 1);
                    if (end < 0) throw new FormulaException(text, i, "an operator starting with % is not closed with %");
                    string op = text[i..(end + 1)];
                    if (op != "%in%") throw new FormulaException(text, i, $"unknown operator '{op}'; the formula operators are + - * / : ^ %in% | ||");
                    tokens.Add(new(TokenKind.Operator, op, start, i = end + 1)); continue;
                default:
                    throw new FormulaException(text, i,
                        $"unknown operator or character '{c}'; the formula operators are ~ + - * / : ^ %in% | || and parentheses");
            }
        }
        tokens.Add(new(TokenKind.End, "", text.Length, text.Length));
        return tokens;
    }
}

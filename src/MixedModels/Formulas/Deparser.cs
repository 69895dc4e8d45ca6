using MixedModels.Formatting;
using System.Text;

namespace MixedModels.Formulas;

/// <summary>
/// Writes an expression back as R's <c>deparse</c> does: spaces around <c>~ | || + - * %in%</c>, none around
/// <c>/ : ^</c>, numbers with up to 15 significant digits, non-syntactic names in backquotes. R builds variable and
/// column names from this text, so ours must match it.
/// </summary>
internal static class Deparser
{
    public static string Deparse(Expr e)
    {
        var sb = new StringBuilder();
        Write(e, sb);
        return sb.ToString();
    }

    /// <summary>
    /// The expression as R's <c>deparse(width.cutoff = 60)</c> splits it into lines: after an operator with spaces
    /// (<c>~ + - * | ||</c>) or a comma between arguments, once the line is longer than the cutoff, a new line
    /// starts, indented by 4 spaces per level.
    /// </summary>
    public static List<string> DeparseLines(Expr e, int cutoff = 60)
    {
        var w = new LineWriter(cutoff);
        w.Write(e);
        return w.Finish();
    }

    private sealed class LineWriter(int cutoff)
    {
        private readonly List<string> _lines = [];
        private readonly StringBuilder _line = new();
        private int _indent;

        public List<string> Finish()
        {
            _lines.Add(_line.ToString());
            return _lines;
        }

        private void LineBreak(ref bool broke)
        {
            if (_line.Length <= cutoff) return;
            if (!broke) { broke = true; _indent++; }
            _lines.Add(_line.ToString());
            _line.Clear();
            for (int i = 1; i <= _indent; i++) _line.Append(i <= 4 ? "    " : "  ");
        }

        public void Write(Expr e)
        {
            switch (e)
            {
                case BinaryExpr b when b.Op is not ("/" or ":" or "^"):
                {
                    bool broke = false;
                    Write(b.Left);
                    _line.Append(' ').Append(b.Op).Append(' ');
                    LineBreak(ref broke);
                    Write(b.Right);
                    if (broke) _indent--;
                    break;
                }
                case BinaryExpr b:
                    Write(b.Left);
                    _line.Append(b.Op);
                    Write(b.Right);
                    break;
                case ParenExpr p:
                    _line.Append('(');
                    Write(p.Inner);
                    _line.Append(')');
                    break;
                case UnaryExpr u:
                    _line.Append(u.Op);
                    Write(u.Operand);
                    break;
                case CallExpr c:
                {
                    bool broke = false;
                    _line.Append(QuoteName(c.Function)).Append('(');
                    for (int i = 0; i < c.Arguments.Count; i++)
                    {
                        if (c.Arguments[i].Name is { } an) _line.Append(QuoteName(an)).Append(" = ");
                        Write(c.Arguments[i].Value);
                        if (i < c.Arguments.Count - 1) { _line.Append(", "); LineBreak(ref broke); }
                    }
                    _line.Append(')');
                    if (broke) _indent--;
                    break;
                }
                default:
                    _line.Append(Deparse(e));
                    break;
            }
        }
    }

    private static void Write(Expr e, StringBuilder sb)
    {
        switch (e)
        {
            case NameExpr n: sb.Append(QuoteName(n.Name)); break;
            case NumberExpr num: sb.Append(RFormat.Format(num.Value, 15)); break;
            case ParenExpr p: sb.Append('('); Write(p.Inner, sb); sb.Append(')'); break;
            case UnaryExpr u: sb.Append(u.Op); Write(u.Operand, sb); break;
            case BinaryExpr b:
                Write(b.Left, sb);
                sb.Append(b.Op is "/" or ":" or "^" ? b.Op : " " + b.Op + " ");
                Write(b.Right, sb);
                break;
            case CallExpr c:
                sb.Append(QuoteName(c.Function)).Append('(');
                for (int i = 0; i < c.Arguments.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    if (c.Arguments[i].Name is { } an) sb.Append(QuoteName(an)).Append(" = ");
                    Write(c.Arguments[i].Value, sb);
                }
                sb.Append(')');
                break;
            default: throw new InvalidOperationException("unknown expression node");
        }
    }

    private static readonly HashSet<string> Reserved =
        ["if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA", "in"];

    /// <summary>True for a name R writes without backquotes.</summary>
    public static bool IsSyntactic(string name)
    {
        if (name.Length == 0 || Reserved.Contains(name)) return false;
        char c0 = name[0];
        if (!(char.IsLetter(c0) || c0 == '.')) return false;
        if (c0 == '.' && name.Length > 1 && char.IsDigit(name[1])) return false;
        foreach (char c in name) if (!(char.IsLetterOrDigit(c) || c == '.' || c == '_')) return false;
        return true;
    }

    public static string QuoteName(string name) => IsSyntactic(name) || name is "TRUE" or "FALSE" ? name : "`" + name + "`";
}

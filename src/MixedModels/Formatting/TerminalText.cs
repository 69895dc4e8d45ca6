using System.Text;

namespace MixedModels.Formatting;

/// <summary>
/// Text safe to show on a terminal: control characters (other than tab and line feed), DEL, C1 controls and the
/// bidirectional overrides are written as escapes (<c>\033</c> for ESC, as R prints it; <c>\u202e</c>), so a data value
/// or a formula can neither move the cursor, recolour the screen nor reorder what is shown.
/// </summary>
internal static class TerminalText
{
    /// <summary>The text with every such character escaped; the same string when there is none.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = FirstUnsafe(text);
        if (first < 0) return text;
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!IsUnsafe(c)) { sb.Append(c); continue; }
            sb.Append(c switch
            {
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\v' => "\\v",
                '\r' => "\\r",
                < '\u0080' => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
                _ => $"\\u{(int)c:x4}",
            });
        }
        return sb.ToString();
    }

    private static int FirstUnsafe(string text)
    {
        for (int i = 0; i < text.Length; i++) if (IsUnsafe(text[i])) return i;
        return -1;
    }

    private static bool IsUnsafe(char c) =>
        (c < ' ' && c != '\t' && c != '\n') || c == '\u007f' || (c >= '\u0080' && c <= '\u009f')
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
}

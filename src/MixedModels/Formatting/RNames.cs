using System.Text;

namespace MixedModels.Formatting;

/// <summary>R's rules for names: <c>make.names</c> and <c>make.unique</c>.</summary>
internal static class RNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "if", "else", "repeat", "while", "function", "for", "next", "break", "TRUE", "FALSE", "NULL", "Inf", "NaN", "NA",
        "NA_integer_", "NA_real_", "NA_character_", "NA_complex_", "in",
    };

    /// <summary>
    /// R's <c>make.names(name)</c>: every character that is not a letter, digit, '.' or '_' becomes '.', a name that does
    /// not start with a letter (or a '.' not followed by a digit) gets an "X" in front, a reserved word a '.' behind.
    /// </summary>
    public static string MakeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length + 1);
        foreach (char c in name) sb.Append(char.IsLetterOrDigit(c) || c is '.' or '_' ? c : '.');
        string s = sb.ToString();
        bool valid = s.Length > 0 && (char.IsLetter(s[0]) || (s[0] == '.' && !(s.Length > 1 && char.IsDigit(s[1]))));
        if (!valid) s = "X" + s;
        if (Reserved.Contains(s)) s += ".";
        return s;
    }

    /// <summary>R's <c>make.unique</c>: the second and later copies of a name get ".1", ".2", ... (avoiding names already present).</summary>
    public static string[] MakeUnique(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var present = new HashSet<string>(names, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new string[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            if (used.Add(name)) { result[i] = name; continue; }
            int k = counts.GetValueOrDefault(name);
            string candidate;
            do candidate = $"{name}.{++k}"; while (present.Contains(candidate) || used.Contains(candidate));
            counts[name] = k;
            used.Add(candidate);
            result[i] = candidate;
        }
        return result;
    }

    /// <summary>
    /// The group names lme4's VarCorr prints: as they are when they are distinct; otherwise
    /// <c>make.names(names, unique = TRUE)</c> of all of them (School:Sex becomes School.Sex, a repeated School School.1).
    /// </summary>
    public static string[] VarCorrGroupNames(IReadOnlyList<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Distinct(StringComparer.Ordinal).Count() == groups.Count) return [.. groups];
        return MakeUnique(groups.Select(MakeName).ToArray());
    }
}

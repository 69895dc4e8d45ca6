namespace MixedModels.Reporting;

/// <summary>
/// R's <c>abbreviate(names, minlength)</c>: shortens names by dropping, from the end, lower-case vowels that end a
/// word, then other lower-case vowels (not starting a word), then lower-case letters, then any letters, until the
/// name is short enough; duplicates are abbreviated again with a larger minimum length. lme4 labels the correlation
/// matrix of the fixed effects with these.
/// </summary>
internal static class Abbreviate
{
    /// <summary>Abbreviates each name (R's default method, <c>use.classes = TRUE</c>).</summary>
    public static string[] Names(IReadOnlyList<string> names, int minLength, bool strict = false)
    {
        var trimmed = names.Select(s => s.Trim(' ')).ToArray();
        var unique = trimmed.Distinct().ToArray();
        var result = new string[unique.Length];
        if (strict)
        {
            for (int i = 0; i < unique.Length; i++) result[i] = One(unique[i], minLength);
        }
        else
        {
            var redo = Enumerable.Repeat(true, unique.Length).ToArray();
            int ml = minLength;
            while (true)
            {
                for (int i = 0; i < unique.Length; i++) if (redo[i]) result[i] = One(unique[i], ml);
                var dup = Duplicated(result);
                if (!dup.Any(d => d)) break;
                ml++;
                var dupValues = new HashSet<string>(result.Where((_, i) => dup[i]), StringComparer.Ordinal);
                for (int i = 0; i < unique.Length; i++) redo[i] = dup[i] || dupValues.Contains(result[i]);
            }
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < unique.Length; i++) map[unique[i]] = result[i];
        return trimmed.Select(s => map[s]).ToArray();
    }

    private static bool[] Duplicated(string[] values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return values.Select(v => !seen.Add(v)).ToArray();
    }

    /// <summary>R's C routine <c>stripchars</c> for one name.</summary>
    internal static string One(string name, int minLength)
    {
        var b = new List<char>(name.TrimStart(' ', '\t'));
        if (b.Count < minLength) return Finish(b, minLength);
        int upper = b.Count - 1;

        char At(int i) => i < b.Count ? b[i] : '\0';
        bool IsSpace(char c) => c == ' ' || c == '\t';
        bool FirstChar(int i) => IsSpace(At(i - 1));
        bool LastChar(int i) => !IsSpace(At(i - 1)) && (At(i + 1) == '\0' || IsSpace(At(i + 1)));
        bool LowVowel(int i) => At(i) is 'a' or 'e' or 'i' or 'o' or 'u';
        bool Lower(int i) => char.IsAsciiLetterLower(At(i));
        int Spaces() => b.Count(IsSpace);
        bool Short() => b.Count - Spaces() <= minLength;
        void Remove(int i) { if (i < b.Count) b.RemoveAt(i); }

        // Trailing spaces are dropped; inner spaces are word boundaries, removed at the end.
        while (b.Count > 0 && IsSpace(b[^1])) b.RemoveAt(b.Count - 1);
        if (Short()) return Finish(b, minLength);
        upper = b.Count - 1;

        for (int i = upper; i > 0; i--)
        {
            if (LowVowel(i) && LastChar(i)) Remove(i);
            if (Short()) return Finish(b, minLength);
        }
        for (int i = upper; i > 0; i--)
        {
            if (LowVowel(i) && !FirstChar(i)) Remove(i);
            if (Short()) return Finish(b, minLength);
        }
        for (int i = upper; i > 0; i--)
        {
            if (Lower(i) && LastChar(i)) Remove(i);
            if (Short()) return Finish(b, minLength);
        }
        for (int i = upper; i > 0; i--)
        {
            if (Lower(i) && !FirstChar(i)) Remove(i);
            if (Short()) return Finish(b, minLength);
        }
        upper = b.Count - 1;
        for (int i = upper; i > 0; i--)
        {
            if (i < b.Count && !FirstChar(i) && !IsSpace(At(i))) Remove(i);
            if (Short()) return Finish(b, minLength);
        }
        return Finish(b, minLength);
    }

    private static string Finish(List<char> b, int minLength)
    {
        if (b.Count > minLength)
            for (int i = b.Count - 1; i > 0; i--)
                if (b[i] == ' ' || b[i] == '\t') b.RemoveAt(i);
        return new string([.. b]);
    }
}

namespace MixedModels.Data;

/// <summary>How the levels of a text column are ordered (the first level is a factor's reference level).</summary>
public enum Collation
{
    /// <summary>
    /// Ordinal (code point) order, as pandas, MixedModels.jl and R under <c>LC_COLLATE=C</c>: <c>Beta</c> before
    /// <c>alpha</c>, digits before letters. The default: the same on every machine.
    /// </summary>
    Ordinal,

    /// <summary>
    /// R's order in an English UTF-8 locale (glibc's en_US.UTF-8, as <c>sort()</c> and <c>factor()</c> give it there):
    /// punctuation before digits before letters, letters compared without case first (<c>alpha</c> before <c>Beta</c>),
    /// lower case before upper case when they tie (<c>beta</c> before <c>Beta</c>), then code points. An approximation
    /// of the locale's full rules (accents are not folded), checked against R 4 for ASCII labels.
    /// </summary>
    Locale,
}

/// <summary>The comparers of <see cref="Collation"/>.</summary>
internal static class LevelCollation
{
    public static IComparer<string> Comparer(Collation collation) => collation == Collation.Locale ? EnglishLocale.Instance : StringComparer.Ordinal;

    private sealed class EnglishLocale : IComparer<string>
    {
        public static readonly EnglishLocale Instance = new();

        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            int n = Math.Min(x.Length, y.Length);
            for (int i = 0; i < n; i++)
            {
                int c = Primary(x[i]).CompareTo(Primary(y[i]));
                if (c != 0) return c;
            }
            if (x.Length != y.Length) return x.Length.CompareTo(y.Length);
            for (int i = 0; i < n; i++)
            {
                if (x[i] == y[i]) continue;
                bool xl = char.IsLower(x[i]), yl = char.IsLower(y[i]);
                if (xl != yl) return xl ? -1 : 1;   // lower case first, as glibc's en_US
            }
            return string.CompareOrdinal(x, y);
        }

        /// <summary>Punctuation and spaces before digits, digits before letters, letters without case.</summary>
        private static int Primary(char c) =>
            char.IsLetter(c) ? (2 << 16) | char.ToLowerInvariant(c) : char.IsDigit(c) ? (1 << 16) | c : c;
    }
}

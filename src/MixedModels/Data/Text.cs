namespace MixedModels.Data;

/// <summary>Small text helpers shared by error messages.</summary>
internal static class Text
{
    /// <summary>The candidate closest to <paramref name="name"/> by edit distance (ignoring case), if reasonably close.</summary>
    public static string? NearestName(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string c in candidates)
        {
            int d = EditDistance(name.ToLowerInvariant(), c.ToLowerInvariant());
            if (d < bestDistance) { bestDistance = d; best = c; }
        }
        if (best is null) return null;
        int limit = Math.Max(2, Math.Max(name.Length, best.Length) / 2);
        return bestDistance <= limit ? best : null;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

/// <summary>Read-only views of arrays, so that results and designs cannot be changed through their public lists.</summary>
internal static class ReadOnlyViews
{
    /// <summary>A read-only wrapper of the array (no copy).</summary>
    public static System.Collections.ObjectModel.ReadOnlyCollection<T> AsReadOnly<T>(this T[] array) => Array.AsReadOnly(array);
}

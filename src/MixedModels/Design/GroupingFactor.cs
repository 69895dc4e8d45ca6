
namespace MixedModels.Design;

/// <summary>Builds a grouping factor from its component factors: one factor, or their interaction <c>a:b</c>.</summary>
internal static class GroupingFactor
{
    /// <summary>
    /// The interaction of the components: levels are the combinations that occur, ordered by the first component's
    /// level, then the second's (R's <c>a:b</c> for factors, unused combinations dropped), named <c>la:lb</c>.
    /// </summary>
    public static (string[] Levels, int[] Codes) Build(IReadOnlyList<FactorValue> components)
    {
        if (components.Count == 1) return (components[0].Levels, components[0].Codes);
        int n = components[0].Length;
        var keys = new long[n];
        var radix = new long[components.Count];
        long r = 1;
        for (int c = components.Count - 1; c >= 0; c--) { radix[c] = r; r *= components[c].Levels.Length; if (r > long.MaxValue / 1024) throw new ModelException("the grouping interaction has too many level combinations"); }
        for (int i = 0; i < n; i++)
        {
            long k = 0;
            for (int c = 0; c < components.Count; c++) k += components[c].Codes[i] * radix[c];
            keys[i] = k;
        }
        var distinct = keys.Distinct().Order().ToArray();
        var index = new Dictionary<long, int>(distinct.Length);
        var levels = new string[distinct.Length];
        for (int l = 0; l < distinct.Length; l++)
        {
            index[distinct[l]] = l;
            long k = distinct[l];
            var parts = new string[components.Count];
            for (int c = 0; c < components.Count; c++)
            {
                long code = k / radix[c];
                k -= code * radix[c];
                parts[c] = components[c].Levels[code];
            }
            levels[l] = string.Join(":", parts);
        }
        var codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = index[keys[i]];
        return (levels, codes);
    }
}

namespace MixedModels.Design;

/// <summary>Model-matrix column names as R makes them distinct.</summary>
internal static class ColumnNames
{
    /// <summary>
    /// R's <c>make.unique</c>: a repeated column name gets ".1", ".2", ... (a factor 'fac' with level B and a numeric
    /// column 'facB' both make "facB"; every table keyed by coefficient name needs them told apart).
    /// </summary>
    public static string[] MakeUnique(string[] names)
    {
        var seen = new HashSet<string>(names.Length, StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new string[names.Length];
        for (int i = 0; i < names.Length; i++) seen.Add(names[i]);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
        {
            string name = names[i];
            if (used.Add(name)) { result[i] = name; continue; }
            int k = counts.GetValueOrDefault(name);
            string candidate;
            do candidate = $"{name}.{++k}"; while (seen.Contains(candidate) || used.Contains(candidate));
            counts[name] = k;
            used.Add(candidate);
            result[i] = candidate;
        }
        return result;
    }
}

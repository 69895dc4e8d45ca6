namespace MixedModels.Reporting;

/// <summary>patsy's names and term order for the fixed effects, and statsmodels' names for the random effects.</summary>
internal static class PatsyNames
{
    /// <summary>
    /// The model's columns in patsy's order: terms without numeric variables first (the intercept, then factors), then
    /// the terms grouped by the set of numeric variables they contain, in order of first appearance; within a group by
    /// the number of factors (stable).
    /// </summary>
    public static IEnumerable<int> Order(Design.ModelDesign design)
    {
        var x = design.X;
        var groups = new List<string>();
        var keys = new (int Group, int Factors, int Index)[x.Columns];
        for (int j = 0; j < x.Columns; j++)
        {
            var vars = Variables(design, j);
            var numeric = string.Join(":", vars.Where(v => !design.Frame.IsFactor(v)));
            int factors = vars.Count(design.Frame.IsFactor);
            int g = numeric.Length == 0 ? -1 : groups.IndexOf(numeric);
            if (numeric.Length > 0 && g < 0) { groups.Add(numeric); g = groups.Count - 1; }
            keys[j] = (g, factors, j);
        }
        return keys.OrderBy(k => k.Group).ThenBy(k => k.Factors).ThenBy(k => k.Index).Select(k => k.Index);
    }

    private static string[] Variables(Design.ModelDesign design, int column)
    {
        int assign = design.X.Assign[column];   // an index into TermLabels, 0 for the intercept
        return assign <= 0 || assign >= design.X.TermLabels.Count ? [] : design.X.TermLabels[assign].Split(':');
    }

    /// <summary>patsy's name of a fixed-effect column: <c>Intercept</c>, <c>SES</c>, <c>Sector[T.Public]</c>, <c>Sector[T.Public]:SES</c>.</summary>
    public static string Fixed(Design.ModelDesign design, int column)
    {
        string name = design.X.ColumnNames[column];
        if (name == "(Intercept)") return "Intercept";
        var vars = Variables(design, column);
        var parts = name.Split(':');
        if (parts.Length != vars.Length) return name;
        for (int i = 0; i < parts.Length; i++)
            if (design.Frame.IsFactor(vars[i]) && parts[i].StartsWith(vars[i], StringComparison.Ordinal) && parts[i].Length > vars[i].Length)
                parts[i] = $"{vars[i]}[T.{parts[i][vars[i].Length..]}]";
        return string.Join(":", parts);
    }

    /// <summary>statsmodels' name of a random-effects column: the intercept is <c>Group</c>.</summary>
    public static string RandomColumn(string name) => name == "(Intercept)" ? "Group" : name;
}

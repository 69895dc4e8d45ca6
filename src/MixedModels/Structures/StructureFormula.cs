using MixedModels.Data;

namespace MixedModels.Structures;

/// <summary>
/// The <c>form =</c> of an nlme variance function or correlation structure: a one-sided formula
/// <c>~ covariate | group</c>, where the covariate is <c>1</c> (none: the position within the group), one or more
/// columns joined by <c>+</c> (spatial coordinates), or <c>fitted(.)</c> (the fitted values), and the optional group is a
/// column or columns joined by <c>/</c> (nested) or <c>*</c> (crossed strata). Immutable.
/// </summary>
public sealed record StructureFormula
{
    /// <summary>The covariate columns (empty for <c>~ 1</c> and for <c>fitted(.)</c>).</summary>
    public IReadOnlyList<string> Covariates { get; init; } = [];

    /// <summary>True for <c>~ fitted(.)</c>: the covariate is the model's fitted values.</summary>
    public bool Fitted { get; init; }

    /// <summary>The grouping (or stratifying) columns, outermost first; empty for none.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>The formula as nlme prints it (<c>~1 | Subject</c>, <c>~age</c>, <c>~fitted(.)</c>).</summary>
    public string Text { get; init; } = "~1";

    /// <summary>Parses <paramref name="text"/>; <paramref name="what"/> names the structure in messages.</summary>
    /// <exception cref="FormulaException">The text is not a one-sided formula of this form.</exception>
    public static StructureFormula Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (!t.StartsWith('~')) throw new FormulaException(text, 0, $"{what}: form = must be a one-sided formula such as ~ 1 | g or ~ t | g");
        string body = t[1..];
        int bar = body.IndexOf('|');
        string left = (bar < 0 ? body : body[..bar]).Trim();
        string right = bar < 0 ? "" : body[(bar + 1)..].Trim();
        if (bar >= 0 && right.Length == 0) throw new FormulaException(text, text.Length, $"{what}: a grouping factor is missing after '|'");
        bool fitted = false;
        var covariates = new List<string>();
        if (left.Length == 0) throw new FormulaException(text, 1, $"{what}: give a covariate or 1 before '|'");
        if (left.Replace(" ", "", StringComparison.Ordinal) is "fitted(.)") fitted = true;
        else if (left != "1")
        {
            foreach (string part in left.Split('+'))
            {
                string c = part.Trim();
                if (!IsName(c))
                    throw new FormulaException(text, Math.Max(0, text.IndexOf(c, StringComparison.Ordinal)),
                        $"{what}: the covariate '{c}' must be a column name (or 1, or fitted(.)); compute it as a column first");
                covariates.Add(Unquote(c));
            }
        }
        var groups = new List<string>();
        if (right.Length > 0)
            foreach (string part in right.Split('/', '*', ':'))
            {
                string g = part.Trim();
                if (!IsName(g))
                    throw new FormulaException(text, Math.Max(0, text.IndexOf(g, StringComparison.Ordinal)), $"{what}: the grouping '{g}' must be a column name");
                groups.Add(Unquote(g));
            }
        string printed = "~" + (fitted ? "fitted(.)" : covariates.Count == 0 ? "1" : string.Join(" + ", covariates));
        if (groups.Count > 0) printed += " | " + string.Join(right.Contains('*') ? " * " : "/", groups);
        return new StructureFormula { Covariates = covariates, Fitted = fitted, Groups = groups, Text = printed };
    }

    private static bool IsName(string s) =>
        s.Length > 0 && (s[0] == '`' && s[^1] == '`' && s.Length > 2 || (char.IsLetter(s[0]) || s[0] == '.') && s.All(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_'));

    private static string Unquote(string s) => s[0] == '`' ? s[1..^1] : s;

    /// <summary>
    /// The group of each used row (rows[i] indexes <paramref name="data"/>): codes 0.. in order of first appearance,
    /// and the groups' labels (levels joined by '/'). All rows are one group when the formula has none.
    /// </summary>
    internal (int[] Codes, string[] Labels) GroupCodes(Table data, IReadOnlyList<int> rows, string what) =>
        Keys(data, rows, Groups, what);

    /// <summary>Codes by first appearance of the combined values of <paramref name="columns"/> (one group when none).</summary>
    internal static (int[] Codes, string[] Labels) Keys(Table data, IReadOnlyList<int> rows, IReadOnlyList<string> columns, string what)
    {
        var codes = new int[rows.Count];
        if (columns.Count == 0) return (codes, ["all"]);
        var cols = columns.Select(c => Column(data, c, what)).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            string key = cols.Length == 1 ? Value(cols[0], r, what) : string.Join("/", cols.Select(c => Value(c, r, what)));
            if (!index.TryGetValue(key, out int code))
            {
                code = labels.Count;
                index[key] = code;
                labels.Add(key);
            }
            codes[i] = code;
        }
        return (codes, [.. labels]);
    }

    /// <summary>The numeric values of covariate <paramref name="column"/> on the used rows.</summary>
    internal static double[] Numeric(Table data, IReadOnlyList<int> rows, string column, string what)
    {
        var col = Column(data, column, what);
        if (col is not NumericColumn num) throw new ModelException($"{what}: the covariate '{column}' is categorical; it must be numeric");
        var v = new double[rows.Count];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = num[rows[i]];
            if (double.IsNaN(v[i])) throw new ModelException($"{what}: the covariate '{column}' is missing in row {rows[i] + 1} (nlme's na.action is na.fail: remove those rows first, e.g. with --subset \"!is.na({column})\")");
        }
        return v;
    }

    private static Column Column(Table data, string name, string what)
    {
        if (data.TryGetColumn(name, out var c)) return c;
        throw new ModelException($"{what}: no column '{name}' in the data (columns: {string.Join(", ", data.ColumnNames)})");
    }

    private static string Value(Column c, int row, string what)
    {
        if (c.IsMissing(row)) throw new ModelException($"{what}: the grouping '{c.Name}' is missing in row {row + 1} (nlme's na.action is na.fail: remove those rows first)");
        return c.FormatValue(row);
    }
}

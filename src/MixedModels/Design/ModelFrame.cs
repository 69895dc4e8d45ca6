using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Design;

/// <summary>
/// The variables of a model evaluated on the data, with the rows that have a missing value in any of them removed
/// (R's <c>model.frame</c> with <c>na.omit</c>, and unused factor levels dropped, as lme4 does). The second stage of
/// the pipeline: parse → frame → design → workspace → optimize → result.
/// </summary>
public sealed class ModelFrame
{
    private readonly Dictionary<string, VariableValue> _variables;
    private readonly int[] _keptRows;

    private ModelFrame(Formula formula, string dataName, Dictionary<string, VariableValue> variables, int[] keptRows,
        int sourceRows, TransformState transforms, IReadOnlyList<TermSet> randomModels, IReadOnlyList<Expr[]> groupComponents,
        double[]? weights, double[]? offset, int zeroWeightRows)
    {
        Weights = weights;
        ExtraOffset = offset;
        ZeroWeightRowCount = zeroWeightRows;
        Formula = formula;
        DataName = dataName;
        _variables = variables;
        _keptRows = keptRows;
        SourceRowCount = sourceRows;
        Transforms = transforms;
        RandomModelTerms = randomModels;
        GroupComponents = groupComponents;
    }

    /// <summary>The model formula.</summary>
    public Formula Formula { get; }

    /// <summary>
    /// Warnings about the evaluation, as R's "NaNs produced": an expression such as <c>log(x)</c> that gave NaN on
    /// rows where its inputs were not missing, with the count (those rows are dropped like missing ones).
    /// </summary>
    public IReadOnlyList<string> Messages { get; private init; } = [];

    private static string[] NaNMessages(ExpressionEvaluator eval) =>
        eval.NaNsProduced.Select(kv =>
            $"{kv.Key}: NaNs produced on {kv.Value.Count} row{(kv.Value.Count == 1 ? "" : "s")} (the first is data row {kv.Value.FirstRow + 1}); {(kv.Value.Count == 1 ? "it is" : "they are")} dropped like missing values")
        .ToArray();

    /// <summary>The name the data go by in output (lme4's <c>Data:</c> line).</summary>
    public string DataName { get; }

    /// <summary>The number of rows used.</summary>
    public int RowCount => _keptRows.Length;

    /// <summary>The number of rows in the data before rows with missing values were removed.</summary>
    public int SourceRowCount { get; }

    /// <summary>The number of rows removed because a variable of the model was missing (or, with prior weights, had weight 0).</summary>
    public int DroppedRowCount => SourceRowCount - RowCount;

    /// <summary>The number of rows removed because their prior weight was 0 (as lme4 drops them).</summary>
    public int ZeroWeightRowCount { get; }

    /// <summary>The prior weights of the rows used, or null when none were given.</summary>
    internal double[]? Weights { get; }

    /// <summary>The prior weights' expression as R deparses it (lme4's "Weights:" line), or null.</summary>
    public string? WeightsLabel { get; private init; }

    /// <summary>The offset given outside the formula (<see cref="FrameOptions.Offset"/>) on the rows used, or null.</summary>
    internal double[]? ExtraOffset { get; }

    /// <summary>The 0-based indices, in the source table, of the rows used.</summary>
    public IReadOnlyList<int> KeptRows => _keptRows.AsReadOnly();

    /// <summary>The names of the variables in the frame.</summary>
    public IEnumerable<string> VariableNames => _variables.Keys;

    internal TransformState Transforms { get; }

    internal IReadOnlyList<TermSet> RandomModelTerms { get; }

    internal IReadOnlyList<Expr[]> GroupComponents { get; }

    internal VariableValue Variable(Expr e) => _variables[e.ToString()];

    /// <summary>True when the model variable of this name (as written in a term label) is a factor.</summary>
    internal bool IsFactor(string name) => _variables.TryGetValue(name, out var v) && v is not NumericValue;

    /// <summary>The values (rows used) of a numeric variable of the model by its name as written (e.g. <c>SES</c>), or null.</summary>
    internal double[]? NumericVariable(string name) =>
        _variables.TryGetValue(name, out var v) && v is NumericValue { Columns: 1 } n ? n.Data : null;

    /// <summary>Evaluates the variables of <paramref name="formula"/> on <paramref name="data"/> and removes incomplete rows.</summary>
    public static ModelFrame Create(Formula formula, Table data, string? dataName = null) => Create(formula, data, dataName, null);

    /// <summary>
    /// Evaluates the variables of <paramref name="formula"/> and of <paramref name="options"/> (weights, offset) on
    /// <paramref name="data"/> and removes incomplete rows and rows of prior weight 0.
    /// </summary>
    public static ModelFrame Create(Formula formula, Table data, string? dataName, FrameOptions? options) =>
        Create(formula, data, dataName, options, new TransformState());

    /// <summary>
    /// The frame with a transform state that may already hold constants (<c>scale()</c>'s centre and scale computed
    /// where the data live): those are used instead of being computed from <paramref name="data"/>.
    /// </summary>
    internal static ModelFrame Create(Formula formula, Table data, string? dataName, FrameOptions? options, TransformState state)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(data);
        var eval = new ExpressionEvaluator(data, formula.Text, state);
        var values = new Dictionary<string, VariableValue>(StringComparer.Ordinal);
        var order = new List<Expr>();

        void Add(Expr e, Func<Expr, VariableValue> how)
        {
            string key = e.ToString();
            if (values.ContainsKey(key)) return;
            values[key] = how(e);
            order.Add(e);
        }

        VariableValue Checked(Expr e)
        {
            if (e is NameExpr name && data.TryGetColumn(name.Name, out var column) && column is CategoricalColumn c)
                CheckNotMistypedNumber(formula.Text, name, c);
            return eval.Evaluate(e);
        }

        Add(formula.Response, Checked);
        foreach (var v in formula.FixedTerms.Variables) Add(v, Checked);
        var randomModels = new List<TermSet>();
        var groups = new List<Expr[]>();
        foreach (var rt in formula.RandomTerms)
        {
            var ts = TermAlgebra.Expand(formula.Text, null, rt.Model);
            randomModels.Add(ts);
            foreach (var v in ts.Variables) Add(v, Checked);
            var comps = Components(rt.Group).ToArray();
            groups.Add(comps);
            foreach (var g in comps)
            {
                if (g is not (NameExpr or CallExpr))
                    throw new FormulaException(formula.Text, g.Start, $"'{g}' cannot be a grouping factor; use a variable or an interaction such as a:b");
                string key = "group:" + g;
                if (!values.ContainsKey(key)) { values[key] = eval.Factor(g); order.Add(g); }
            }
        }

        int n = data.RowCount;
        var weights = Extra(options?.Weights, "weights", data, state);
        var offset = Extra(options?.Offset, "offset", data, state);
        if (weights is not null) CheckWeights(weights, options!.Weights!);
        var kept = new List<int>(n);
        int zeroWeights = 0;
        var missing = new bool[n];
        foreach (var v in values.Values) v.MarkMissing(missing);
        for (int i = 0; i < n; i++)
        {
            bool ok = !missing[i];
            if (ok && offset is not null && double.IsNaN(offset[i])) ok = false;
            if (ok && weights is not null && weights[i] == 0) { ok = false; zeroWeights++; }
            if (ok) kept.Add(i);
        }
        if (kept.Count == 0)
        {
            var empty = values.Where(kv => Enumerable.Range(0, n).All(kv.Value.IsMissing)).Select(kv => kv.Key.Replace("group:", "")).Distinct().ToList();
            string detail = n == 0 ? "the data have no rows"
                : empty.Count > 0 ? $"{string.Join(", ", empty.Select(e => $"'{e}'"))} {(empty.Count == 1 ? "has" : "have")} no values (missing on every row)"
                : "every row has a missing value in at least one of: " + string.Join(", ", order.Select(e => e.ToString()).Distinct());
            var nans = NaNMessages(eval);
            if (nans.Length > 0) detail += "; " + string.Join("; ", nans);
            throw new ModelException($"no rows are left to fit the model: {detail}");
        }
        var rows = kept.ToArray();
        var subset = new Dictionary<string, VariableValue>(StringComparer.Ordinal);
        foreach (var (key, v) in values)
        {
            // The evaluated values are the frame's own arrays: with every row kept they need no second copy.
            var s = rows.Length == n ? v : v.Select(rows);
            if (s is FactorValue f) s = f.DropUnusedLevels();
            if (s is NumericValue nv) CheckFinite(key, nv, rows);
            subset[key] = s;
        }
        double[]? Pick(double[]? v) => v is null ? null : rows.Length == n ? v : Array.ConvertAll(rows, r => v[r]);
        return new ModelFrame(formula, dataName ?? "data", subset, rows, n, state.Freeze(), randomModels, groups,
            Pick(weights), Pick(offset), zeroWeights)
        {
            WeightsLabel = options?.Weights is { } wt ? Parser.Parse(wt).ToString() : null,
            Messages = NaNMessages(eval),
        };
    }

    /// <summary>A numeric expression given beside the formula (weights, offset), evaluated on every row; null when not given.</summary>
    private static double[]? Extra(string? text, string what, Table data, TransformState state)
    {
        if (text is null) return null;
        if (string.IsNullOrWhiteSpace(text)) throw new ModelException($"the {what} expression is empty");
        var e = Parser.Parse(text);
        var eval = new ExpressionEvaluator(data, text, state);
        var v = eval.Evaluate(e) as NumericValue;
        if (v is not { Columns: 1 })
            throw new ModelException($"{what} = {text}: the {what} must be one numeric column, not a categorical or multi-column value");
        for (int i = 0; i < v.Data.Length; i++)
            if (double.IsInfinity(v.Data[i])) throw new ModelException($"{what} = {text}: infinite value at data row {i + 1}");
        return v.Data;
    }

    private static void CheckWeights(double[] w, string text)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (double.IsNaN(w[i])) throw new ModelException($"weights = {text}: missing weight at data row {i + 1}; prior weights must be given for every row (remove the row or give it a weight)");
            if (w[i] < 0) throw new ModelException($"weights = {text}: negative weight {w[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} at data row {i + 1}; weights must be >= 0");
        }
    }

    /// <summary>
    /// A column read as categorical only because a few of its values are not numbers (a typo, "n/a", "?") would
    /// silently become a factor with a level per number; that is refused with the offending values and rows.
    /// </summary>
    private static void CheckNotMistypedNumber(string formula, NameExpr name, CategoricalColumn column)
    {
        var levels = column.Levels;
        var junk = new List<int>();
        for (int i = 0; i < levels.Count; i++)
            if (!Data.ColumnBuilder.TryParseNumber(levels[i], out _)) junk.Add(i);
        int numeric = levels.Count - junk.Count;
        if (junk.Count == 0 || numeric < 5 || junk.Count > Math.Max(2, levels.Count / 10)) return;
        var codes = column.Codes;
        int firstRow = -1;
        for (int r = 0; r < codes.Length && firstRow < 0; r++) if (codes[r] >= 0 && junk.Contains(codes[r])) firstRow = r;
        string values = string.Join(", ", junk.Take(3).Select(j => $"'{levels[j]}'"));
        throw new FormulaException(formula, name.Start,
            $"column '{column.Name}' looks numeric ({numeric} distinct numbers) but has non-numeric values {values} (first at data row {firstRow + 1}), " +
            "so it was read as categorical; correct those values, mark them as missing (NA or empty), or declare the column a factor (--factor) if that is intended");
    }

    private static void CheckFinite(string name, NumericValue v, int[] rows)
    {
        for (int i = 0; i < v.Data.Length; i++)
            if (double.IsInfinity(v.Data[i]))
                throw new ModelException(
                    $"'{name.Replace("group:", "")}' has an infinite value (data row {rows[i % v.Length] + 1}); remove or recode infinite values before fitting");
    }

    /// <summary>The variables of an interaction grouping factor <c>a:b</c> (one for a plain factor).</summary>
    internal static IEnumerable<Expr> Components(Expr group)
    {
        while (group is ParenExpr p) group = p.Inner;
        if (group is BinaryExpr { Op: ":" } b)
        {
            foreach (var c in Components(b.Left)) yield return c;
            foreach (var c in Components(b.Right)) yield return c;
        }
        else yield return group;
    }

    internal FactorValue GroupComponent(Expr e) => (FactorValue)_variables["group:" + e];
}

using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Design;

/// <summary>
/// A model's design evaluated on new data, for prediction: the fixed-effects rows (same columns, contrasts, centring
/// and polynomial bases as the fit), the offset, and per random-effects term its model rows and the fitted level of
/// each new row (−1 for a level the fit has not seen, which then contributes nothing: lme4's
/// <c>allow.new.levels = TRUE</c>). The response is not needed. A row with a missing predictor is marked incomplete.
/// </summary>
public sealed class NewDataDesign
{
    private readonly double[] _x;
    private readonly double[]? _offset;
    private readonly int[][] _codes;
    private readonly double[][] _z;
    private readonly bool[] _missing;

    private NewDataDesign(ModelDesign design, int rows, double[] x, double[]? offset, int[][] codes, double[][] z, bool[] missing)
    {
        Design = design;
        Rows = rows;
        _x = x;
        _offset = offset;
        _codes = codes;
        _z = z;
        _missing = missing;
    }

    /// <summary>The fitted design this was built for.</summary>
    public ModelDesign Design { get; }

    /// <summary>The number of new rows.</summary>
    public int Rows { get; }

    /// <summary>Element (row, column) of the fixed-effects matrix (the fit's columns).</summary>
    public double X(int row, int column) => _x[column * Rows + row];

    /// <summary>The offset of a row (0 without offset).</summary>
    public double Offset(int row) => _offset is null ? 0 : _offset[row];

    /// <summary>The fitted level of term <paramref name="term"/> (in the design's order) for a row, or −1 for an unseen level.</summary>
    public int Level(int term, int row) => _codes[term][row];

    /// <summary>The model row of term <paramref name="term"/> for a row (its d columns).</summary>
    public ReadOnlySpan<double> Z(int term, int row)
    {
        int d = Design.RandomTerms[term].Dimension;
        return _z[term].AsSpan(row * d, d);
    }

    /// <summary>False when a predictor of the row is missing (its prediction is NaN).</summary>
    public bool IsComplete(int row) => !_missing[row];

    /// <summary>Evaluates the design of <paramref name="design"/> on <paramref name="data"/>.</summary>
    /// <exception cref="FormulaException">A variable's column is missing from the new data.</exception>
    /// <exception cref="ModelException">A factor of the fixed effects has a level the fit has not seen, or a column has the wrong type.</exception>
    public static NewDataDesign Build(ModelDesign design, Table data) => Build(design, data, null);

    /// <summary>
    /// Evaluates the design on <paramref name="data"/>, looking up levels only for the terms of the named grouping
    /// factors (null: all); the others get level −1 without their grouping columns being needed (lme4's
    /// <c>re.form = NA</c> predicts from new data without the grouping columns).
    /// </summary>
    public static NewDataDesign Build(ModelDesign design, Table data, IReadOnlyCollection<string>? groups)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(data);
        var frame = design.Frame;
        var formula = design.Formula;
        int n = data.RowCount;
        var evaluator = new ExpressionEvaluator(data, formula.Text, frame.Transforms);
        var cache = new Dictionary<string, VariableValue>(StringComparer.Ordinal);
        var missing = new bool[n];

        VariableValue Lookup(Expr e)
        {
            string key = e.ToString();
            if (cache.TryGetValue(key, out var v)) return v;
            var trained = frame.Variable(e);
            v = Conform(evaluator.Evaluate(e), trained, key);
            v.MarkMissing(missing);
            cache[key] = v;
            return v;
        }

        var m = ModelMatrixBuilder.Build(formula.FixedTerms, Lookup, n, design.Options.Contrasts, formula.Text);
        int p = design.X.Columns;
        var x = new double[n * p];
        for (int j = 0; j < p; j++)
        {
            int source = Array.IndexOf(m.Names, design.X.ColumnNames[j]);
            Array.Copy(m.Data, source * n, x, j * n, n);
        }
        double[]? offset = null;
        foreach (int o in formula.FixedTerms.Offsets)
        {
            var v = (NumericValue)Lookup(formula.FixedTerms.Variables[o]);
            offset ??= new double[n];
            for (int i = 0; i < n; i++) offset[i] += v.Data[i];
        }

        var terms = design.RandomTerms;
        var codes = new int[terms.Count][];
        var z = new double[terms.Count][];
        for (int t = 0; t < terms.Count; t++)
        {
            var term = terms[t];
            var zm = ModelMatrixBuilder.Build(frame.RandomModelTerms[term.FormulaIndex], Lookup, n, design.Options.Contrasts, formula.Text);
            int d = term.Dimension;
            z[t] = new double[n * d];
            for (int j = 0; j < d; j++)
            {
                int source = Array.IndexOf(zm.Names, term.ColumnNames[j]);
                for (int i = 0; i < n; i++) z[t][i * d + j] = zm.Data[source * n + i];
            }
            if (term.Centring is { } centring)
                for (int i = 0; i < n; i++) centring.CentreRow(z[t].AsSpan(i * d, d));
            if (groups is null || groups.Contains(term.GroupName)) codes[t] = GroupLevels(frame, term, evaluator, n);
            else { codes[t] = new int[n]; Array.Fill(codes[t], -1); }
        }
        return new NewDataDesign(design, n, x, offset, codes, z, missing);
    }

    /// <summary>The new data's value of a variable made to match the fitted one: factors re-coded to the fitted levels.</summary>
    private static VariableValue Conform(VariableValue value, VariableValue trained, string name)
    {
        switch (trained, value)
        {
            case (FactorValue t, FactorValue f):
                return Recode(f.Levels, f.Codes, t, name);
            case (FactorValue t, NumericValue num) when num.Columns == 1:
            {
                // A numeric-looking column read as numbers: match its values to the fitted levels by their text.
                var col = NumericColumn.Wrap(name, num.Data).ToCategorical();
                return Recode([.. col.Levels], col.Codes.ToArray(), t, name);
            }
            case (NumericValue, FactorValue):
                throw new ModelException($"'{name}' is categorical in the new data but was numeric in the data the model was fitted to");
            default:
                return value;
        }
    }

    private static FactorValue Recode(IReadOnlyList<string> levels, int[] codes, FactorValue trained, string name)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int l = 0; l < trained.Levels.Length; l++) index[trained.Levels[l]] = l;
        var map = new int[levels.Count];
        for (int l = 0; l < levels.Count; l++)
            map[l] = index.TryGetValue(levels[l], out int k) ? k : -2;
        var result = new int[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            if (codes[i] < 0) { result[i] = -1; continue; }
            int k = map[codes[i]];
            if (k == -2)
                throw new ModelException(
                    $"the new data have level '{levels[codes[i]]}' of factor '{name}' (row {i + 1}), which the model was not fitted with; " +
                    $"its levels are: {string.Join(", ", trained.Levels)}");
            result[i] = k;
        }
        return new FactorValue(result, trained.Levels, trained.Ordered);
    }

    /// <summary>Each new row's fitted level of a term's grouping factor (−1 when unseen or missing).</summary>
    private static int[] GroupLevels(ModelFrame frame, RandomEffectsTerm term, ExpressionEvaluator evaluator, int n)
    {
        var components = frame.GroupComponents[term.FormulaIndex];
        var names = new string?[n];
        for (int c = 0; c < components.Length; c++)
        {
            var value = evaluator.Evaluate(components[c]);
            string[] labels = value switch
            {
                FactorValue f => f.Codes.Select(code => code < 0 ? "" : f.Levels[code]).ToArray(),
                NumericValue { Columns: 1 } num => num.Data.Select(v => double.IsNaN(v) ? "" : NumericColumn.FormatNumber(v)).ToArray(),
                _ => throw new ModelException($"the grouping factor '{components[c]}' has several columns in the new data"),
            };
            for (int i = 0; i < n; i++)
            {
                if (c > 0 && names[i] is null) continue;
                names[i] = labels[i].Length == 0 ? null : c == 0 ? labels[i] : names[i] + ":" + labels[i];
            }
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int l = 0; l < term.LevelCount; l++) index[term.Levels[l]] = l;
        var codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = names[i] is { } s && index.TryGetValue(s, out int l) ? l : -1;
        return codes;
    }
}

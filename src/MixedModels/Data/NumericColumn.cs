using System.Globalization;

namespace MixedModels.Data;

/// <summary>A column of real numbers; <see cref="double.NaN"/> marks a missing value.</summary>
public sealed class NumericColumn : Column
{
    private readonly double[] _values;

    /// <summary>Creates a numeric column from values (copied). NaN marks a missing value.</summary>
    public NumericColumn(string name, ReadOnlySpan<double> values) : base(name) => _values = values.ToArray();

    private NumericColumn(string name, double[] values, bool _) : base(name) => _values = values;

    internal static NumericColumn Wrap(string name, double[] values) => new(name, values, true);

    /// <summary>The values; NaN marks a missing value.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The value of one row (NaN when missing).</summary>
    public double this[int row] => _values[row];

    /// <inheritdoc />
    public override int Count => _values.Length;

    /// <inheritdoc />
    public override bool IsMissing(int row) => double.IsNaN(_values[row]);

    /// <inheritdoc />
    public override Column Rename(string name) => new NumericColumn(name, _values, true);

    /// <inheritdoc />
    public override Column Select(ReadOnlySpan<int> rows)
    {
        var v = new double[rows.Length];
        for (int i = 0; i < rows.Length; i++) v[i] = _values[rows[i]];
        return new NumericColumn(Name, v, true);
    }

    /// <inheritdoc />
    public override string FormatValue(int row) =>
        double.IsNaN(_values[row]) ? "" : _values[row].ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// This column as a factor. Levels are the distinct values in increasing numeric order (as R's
    /// <c>factor()</c> gives for a numeric vector) unless <paramref name="levels"/> gives them.
    /// </summary>
    public CategoricalColumn ToCategorical(IReadOnlyList<string>? levels = null, bool ordered = false)
    {
        var labels = new string[_values.Length];
        for (int i = 0; i < labels.Length; i++) labels[i] = double.IsNaN(_values[i]) ? "" : FormatNumber(_values[i]);
        if (levels is null)
        {
            var distinct = new SortedSet<double>();
            foreach (double v in _values) if (!double.IsNaN(v)) distinct.Add(v);
            var lv = new List<string>(distinct.Count);
            foreach (double v in distinct) lv.Add(FormatNumber(v));
            levels = lv;
        }
        return CategoricalColumn.FromStrings(Name, labels, levels, ordered, treatEmptyAsMissing: true);
    }

    /// <summary>A number as R's <c>as.character</c> writes it for ordinary values (shortest round-trip form, no exponent for integers).</summary>
    internal static string FormatNumber(double v)
    {
        if (v == 0) return "0"; // -0 too, as R's as.character(-0)
        if (v == Math.Floor(v) && Math.Abs(v) < 1e15) return v.ToString("0", CultureInfo.InvariantCulture);
        return v.ToString("R", CultureInfo.InvariantCulture);
    }
}

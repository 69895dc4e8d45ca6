using System.Collections;

namespace MixedModels.Inference;

/// <summary>
/// Confidence intervals as a model's <c>ConfidenceIntervals()</c> returns them: a read-only list of
/// <see cref="ConfidenceInterval"/>, by position or by lme4's parameter name, that prints as a table.
/// </summary>
public sealed class ConfidenceIntervalTable : IReadOnlyList<ConfidenceInterval>
{
    private readonly ConfidenceInterval[] _rows;

    internal ConfidenceIntervalTable(IEnumerable<ConfidenceInterval> rows) => _rows = [.. rows];

    /// <summary>The number of intervals.</summary>
    public int Count => _rows.Length;

    /// <summary>The interval at a position.</summary>
    public ConfidenceInterval this[int index] => _rows[index];

    /// <summary>The interval of a parameter by lme4's name (<c>sigma</c>, <c>Days</c>, <c>sd_(Intercept)|Subject</c>).</summary>
    /// <exception cref="KeyNotFoundException">No interval of that name; the message lists the names there are.</exception>
    public ConfidenceInterval this[string parameter] => _rows.FirstOrDefault(r => r.Parameter == parameter)
        ?? throw new KeyNotFoundException($"no interval for '{parameter}'; the intervals are for {string.Join(", ", _rows.Select(r => $"'{r.Parameter}'"))}");

    /// <summary>The table in a format (text, CSV, JSON, markdown).</summary>
    public string Format(Reporting.TableFormat format) => ConfidenceIntervals.Format(this, format);

    /// <summary>The table as text: parameter, estimate, lower, upper.</summary>
    public override string ToString() => Format(Reporting.TableFormat.Text);

    /// <inheritdoc/>
    public IEnumerator<ConfidenceInterval> GetEnumerator() => ((IEnumerable<ConfidenceInterval>)_rows).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

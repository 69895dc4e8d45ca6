using System.Text;
using MixedModels.Formatting;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>One fit in a <see cref="RobustComparison"/>: a classical lmer fit or a robust rlmer fit, with its column label.</summary>
public sealed class ComparedFit
{
    private ComparedFit(string label, IReadOnlyList<FixedEffect> fixedEffects, IReadOnlyList<VarianceComponent> components, double sigma,
        IReadOnlyList<(string Name, string Value)> extra, IReadOnlyList<(string Name, double Value)> numbers)
    {
        Label = label;
        FixedEffects = fixedEffects;
        Components = components;
        Sigma = sigma;
        Extra = extra;
        Numbers = numbers;
    }

    /// <summary>The column label.</summary>
    public string Label { get; }

    internal IReadOnlyList<FixedEffect> FixedEffects { get; }
    internal IReadOnlyList<VarianceComponent> Components { get; }
    internal double Sigma { get; }
    internal IReadOnlyList<(string Name, string Value)> Extra { get; }
    internal IReadOnlyList<(string Name, double Value)> Numbers { get; }

    /// <summary>A classical fit: its REML criterion (or ML deviance) is shown.</summary>
    public static ComparedFit Of(string label, LinearMixedModel fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new(label, fit.FixedEffects, fit.VarianceComponents, fit.Sigma, [], [(fit.Reml ? "REML" : "deviance", fit.Reml ? fit.Objective : fit.DevianceMl)]);
    }

    /// <summary>A robust fit: its ψ-functions are shown.</summary>
    public static ComparedFit Of(string label, RobustLinearMixedModel fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var extra = new List<(string, string)> { ("rho.e", fit.RhoE.ToString()), ("rho.sigma.e", fit.RhoSigmaE.ToString()) };
        for (int t = 0; t < fit.TermFunctions.Count; t++)
        {
            extra.Add(($"rho.b_{t + 1}", fit.TermFunctions[t].Effects.ToString()));
            extra.Add(($"rho.sigma.b_{t + 1}", fit.TermFunctions[t].Scale.ToString()));
        }
        return new(label, fit.FixedEffects, fit.VarianceComponents, fit.Sigma, extra, []);
    }
}

/// <summary>
/// robustlmm's <c>compare()</c>: classical and robust fits side by side, one column per fit — coefficients with
/// standard errors, the random-effects SDs ("(Intercept) | Subject") and correlations, σ, then the REML criterion
/// of classical fits and the ψ-functions of robust ones — formatted with 3 significant digits and printed as R
/// prints the character matrix.
/// </summary>
public sealed class RobustComparison
{
    private const int Digits = 3;
    private readonly List<string> _rows = [];
    private readonly List<string[]> _cells = [];

    private RobustComparison(IReadOnlyList<string> labels) => Labels = labels;

    /// <summary>The column labels.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The table's row names (empty for spacer rows).</summary>
    public IReadOnlyList<string> RowNames => _rows.AsReadOnly();

    /// <summary>The cell of row <paramref name="row"/> and fit <paramref name="fit"/> ("" where the fit has no such entry).</summary>
    public string Cell(int row, int fit) => _cells[row][fit];

    /// <summary>Compares the fits.</summary>
    public static RobustComparison Create(IReadOnlyList<ComparedFit> fits)
    {
        ArgumentNullException.ThrowIfNull(fits);
        if (fits.Count == 0) throw new ArgumentException("give at least one fit to compare", nameof(fits));
        var c = new RobustComparison(fits.Select(f => f.Label).ToArray());
        int k = fits.Count;
        c.Add("Coef", new string[k]);
        var coefNames = Union(fits.Select(f => f.FixedEffects.Select(e => e.Name)));
        var coefCells = new string[coefNames.Count, k];
        for (int j = 0; j < k; j++)
        {
            var fe = fits[j].FixedEffects;
            var est = RFormat.Format(fe.Select(e => e.Estimate).ToArray(), Digits);
            var se = RFormat.Format(fe.Select(e => e.StandardError).ToArray(), Digits);
            for (int i = 0; i < coefNames.Count; i++)
            {
                int at = fe.Select(e => e.Name).ToList().IndexOf(coefNames[i]);
                coefCells[i, j] = at < 0 ? "" : $"{est[at]} ({se[at]})";
            }
        }
        c.AddBlock(coefNames, coefCells);
        c.Add("", new string[k]);
        c.Add("VarComp", new string[k]);
        c.AddNumbers(fits, f => f.Components.SelectMany(v => v.Columns.Select((col, i) => ($"{col} | {v.Name}", v.StandardDeviations[i]))));
        var correlations = fits.Select(f => f.Components.SelectMany(v => CorrelationEntries(v)).ToList()).ToList();
        if (correlations.Any(l => l.Count > 0))
        {
            c.Add("", new string[k]);
            c.Add("Correlations", new string[k]);
            c.AddNumbers(fits, f => f.Components.SelectMany(CorrelationEntries));
        }
        c.Add("", new string[k]);
        c.AddNumbers(fits, f => [("sigma", f.Sigma)]);
        var numbers = Union(fits.Select(f => f.Numbers.Select(n => n.Name)));
        var extras = Union(fits.Select(f => f.Extra.Select(n => n.Name)));
        if (numbers.Count + extras.Count > 0) c.Add("", new string[k]);
        foreach (string name in numbers)
            c.AddNumbers(fits, f => f.Numbers.Where(n => n.Name == name));
        foreach (string name in extras)
            c.Add(name, fits.Select(f => f.Extra.FirstOrDefault(e => e.Name == name).Value ?? "").ToArray());
        return c;
    }

    /// <summary>The table as R prints it (left-justified, wrapped at 80 characters).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var cells = new string[_rows.Count, Labels.Count];
        for (int i = 0; i < _rows.Count; i++)
            for (int j = 0; j < Labels.Count; j++) cells[i, j] = _cells[i][j] ?? "";
        TextMatrix.Print(sb, _rows, Labels, cells, right: false);
        return sb.ToString();
    }

    /// <summary>The table in the given format (text as R prints it; CSV, JSON and Markdown with a "row" column).</summary>
    public string Format(TableFormat format)
    {
        if (format == TableFormat.Text) return ToString();
        var table = new ResultTable(["row", .. Labels]);
        for (int i = 0; i < _rows.Count; i++) table.Add([_rows[i], .. _cells[i].Select(x => (object?)(x ?? ""))]);
        return table.Write(format);
    }

    private static IEnumerable<(string Name, double Value)> CorrelationEntries(VarianceComponent v)
    {
        int d = v.Columns.Count;
        for (int b = 1; b < d; b++)
            for (int a = 0; a < b; a++) yield return ($"{v.Columns[a]} x {v.Columns[b]} | {v.Name}", v.Correlation(a, b));
    }

    private void Add(string row, string[] cells)
    {
        _rows.Add(row);
        _cells.Add(cells.Select(x => x ?? "").ToArray());
    }

    private void AddBlock(IReadOnlyList<string> names, string[,] cells)
    {
        for (int i = 0; i < names.Count; i++) Add(names[i], Enumerable.Range(0, cells.GetLength(1)).Select(j => cells[i, j]).ToArray());
    }

    /// <summary>Rows of numbers over all fits, formatted together (R formats the whole block as one matrix); missing entries blank.</summary>
    private void AddNumbers(IReadOnlyList<ComparedFit> fits, Func<ComparedFit, IEnumerable<(string Name, double Value)>> entries)
    {
        var perFit = fits.Select(f => entries(f).ToList()).ToList();
        var names = Union(perFit.Select(l => l.Select(e => e.Name)));
        var values = new List<double>();
        var at = new List<(int Row, int Fit)>();
        for (int i = 0; i < names.Count; i++)
            for (int j = 0; j < fits.Count; j++)
                foreach (var e in perFit[j].Where(e => e.Name == names[i]).Take(1))
                {
                    values.Add(e.Value);
                    at.Add((i, j));
                }
        var formatted = RFormat.Format(values.ToArray(), Digits);
        var cells = new string[names.Count, fits.Count];
        for (int v = 0; v < at.Count; v++) cells[at[v].Row, at[v].Fit] = formatted[v];
        for (int i = 0; i < names.Count; i++)
            Add(names[i], Enumerable.Range(0, fits.Count).Select(j => cells[i, j] ?? "").ToArray());
    }

    private static List<string> Union(IEnumerable<IEnumerable<string>> lists)
    {
        var result = new List<string>();
        foreach (var l in lists) foreach (string s in l) if (!result.Contains(s)) result.Add(s);
        return result;
    }
}

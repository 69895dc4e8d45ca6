using MixedModels.Data;
using MixedModels.Formulas;
using MixedModels.LinearAlgebra;

namespace MixedModels.Design;

/// <summary>
/// The immutable specification of a linear mixed model: response y, fixed-effects matrix X, random-effects terms
/// (ordered as lme4 orders them, by decreasing number of levels) and the θ parameterization. The third stage of the
/// pipeline: parse → frame → design → workspace → optimize → result.
/// </summary>
public sealed partial class ModelDesign
{
    private readonly double[] _y;
    private readonly double[]? _offset;
    private readonly double[]? _weights;
    private readonly double[]? _trials;
    private readonly RandomEffectsTerm[] _terms;
    private readonly List<string> _messages;
    private readonly AggregatedRows? _aggregated;

    private ModelDesign(ModelFrame frame, string responseName, double[] y, double[]? offset, FixedEffectsMatrix x,
        RandomEffectsTerm[] terms, List<string> messages, DesignOptions options, double[]? weights, double[]? trials,
        AggregatedRows? aggregated = null)
    {
        _aggregated = aggregated;
        _weights = weights;
        _trials = trials;
        Frame = frame;
        ResponseName = responseName;
        _y = y;
        _offset = offset;
        X = x;
        _terms = terms;
        _messages = messages;
        Options = options;
    }

    /// <summary>The model frame the design was built from.</summary>
    public ModelFrame Frame { get; }

    /// <summary>The formula.</summary>
    public Formula Formula => Frame.Formula;

    /// <summary>The options used.</summary>
    public DesignOptions Options { get; }

    /// <summary>The response's name (its deparsed expression).</summary>
    public string ResponseName { get; }

    /// <summary>The response y.</summary>
    public ReadOnlySpan<double> Response => _y;

    /// <summary>The offset (from <c>offset()</c> terms), or empty when there is none.</summary>
    public ReadOnlySpan<double> Offset => _offset;

    /// <summary>True when the model has an offset.</summary>
    public bool HasOffset => _offset is not null;

    /// <summary>The prior weights (for a binomial <c>cbind</c> response, times the numbers of trials), or empty when there are none.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>True when the model has prior weights.</summary>
    public bool HasWeights => _weights is not null;

    /// <summary>The numbers of binomial trials of a <c>cbind(successes, failures)</c> response, or empty.</summary>
    public ReadOnlySpan<double> Trials => _trials;

    /// <summary>The fixed-effects matrix.</summary>
    public FixedEffectsMatrix X { get; }

    /// <summary>The random-effects terms in lme4's order.</summary>
    public IReadOnlyList<RandomEffectsTerm> RandomTerms => _terms.AsReadOnly();

    /// <summary>The number of observations n.</summary>
    public int Observations => _aggregated?.Observations ?? _y.Length;

    /// <summary>
    /// True when the design's rows are aggregates computed where the data live (push-down), not observations: their
    /// cross-products equal the observations', so every quantity of A is exact, but there are no per-observation
    /// fitted values or residuals.
    /// </summary>
    public bool IsAggregated => _aggregated is not null;

    /// <summary>The number of rows of the design's arrays (<see cref="Observations"/> unless aggregated).</summary>
    internal int RowCount => _y.Length;

    /// <summary>
    /// Refuses what needs the observations themselves (<paramref name="what"/>) when the design's rows are aggregates:
    /// fitted values, residuals, simulation, deletion diagnostics are not made up from aggregates.
    /// </summary>
    internal void RequireRows(string what)
    {
        if (_aggregated is { } a)
            throw new ModelException($"{what} needs the observations, and this model was fitted from sums computed inside {a.Source} without reading its rows; load the rows (--engine memory) for it");
    }

    /// <summary>The aggregation of an aggregated design, or null.</summary>
    internal AggregatedRows? Aggregated => _aggregated;

    /// <summary>The number of source rows removed for missing values.</summary>
    public int DroppedRows => _aggregated?.DroppedRows ?? Frame.DroppedRowCount;

    /// <summary>Messages about the design that lme4 reports as fit warnings: columns dropped for rank deficiency, predictors on very different scales.</summary>
    public IReadOnlyList<string> Messages => _messages.AsReadOnly();

    /// <summary>The number of covariance parameters θ.</summary>
    public int ThetaLength => _terms.Sum(t => t.ThetaLength);

    /// <summary>The lower bounds of θ: 0 for diagonal elements of each T, −∞ for the others.</summary>
    public double[] LowerBounds()
    {
        var lb = new double[ThetaLength];
        int k = 0;
        foreach (var t in _terms)
            for (int j = 0; j < t.ThetaLength; j++) lb[k++] = t.IsDiagonal(j) ? 0 : double.NegativeInfinity;
        return lb;
    }

    /// <summary>lme4's starting value of θ: 1 on diagonal elements, 0 elsewhere.</summary>
    public double[] InitialTheta() => Array.ConvertAll(LowerBounds(), b => b == 0 ? 1.0 : 0.0);

    /// <summary>The distinct grouping factors in term order with their numbers of levels (lme4's <c>ngrps</c>).</summary>
    public IReadOnlyList<(string Name, int Levels)> GroupingFactors() =>
        _terms.Select(t => (t.GroupName, t.LevelCount)).DistinctBy(g => g.GroupName).ToList();

    internal double[] ResponseArray => _y;

    /// <summary>The terms as an array (no wrapper allocated: for objective evaluations).</summary>
    internal RandomEffectsTerm[] TermsArray => _terms;

    internal double[]? OffsetArray => _offset;

    internal double[]? WeightsArray => _weights;

    internal double[]? TrialsArray => _trials;

    /// <summary>The same design without fixed-effect column <paramref name="column"/> (for profiling that coefficient).</summary>
    internal ModelDesign WithoutFixedColumn(int column)
    {
        int n = X.Rows, p = X.Columns;
        var keep = Enumerable.Range(0, p).Where(j => j != column).ToArray();
        var data = new double[n * keep.Length];
        for (int k = 0; k < keep.Length; k++) Array.Copy(X.Data, keep[k] * n, data, k * n, n);
        var x = new FixedEffectsMatrix(data, n, keep.Select(j => X.ColumnNames[j]).ToArray(), keep.Select(j => X.Assign[j]).ToArray(),
            [.. X.TermLabels], [.. X.DroppedColumns]);
        return new ModelDesign(Frame, ResponseName, _y, _offset, x, _terms, [.. _messages], Options, _weights, _trials, _aggregated);
    }

    /// <summary>The same design with another response (a parametric bootstrap replicate of a generalized model).</summary>
    internal ModelDesign WithResponse(double[] y)
    {
        RequireRows("a new response");
        if (y.Length != _y.Length) throw new ArgumentException($"the response has {y.Length} values; the design has {_y.Length} observations");
        return new ModelDesign(Frame, ResponseName, y, _offset, X, _terms, [.. _messages], Options, _weights, _trials);
    }

    /// <summary>
    /// The same structure (columns, terms, levels) with other values of y, X (column-major) and each term's Z (row-major):
    /// the rows of a model whose errors were decorrelated and rescaled by an nlme variance function or correlation structure.
    /// </summary>
    internal ModelDesign WithValues(double[] y, double[] x, double[][] z)
    {
        RequireRows("transformed rows");
        int n = _y.Length;
        if (y.Length != n || x.Length != X.Data.Length || z.Length != _terms.Length) throw new ArgumentException("the values do not fit the design's shape");
        var fixedMatrix = new FixedEffectsMatrix(x, n, [.. X.ColumnNames], [.. X.Assign], [.. X.TermLabels], [.. X.DroppedColumns]);
        var terms = _terms.Select((t, j) => new RandomEffectsTerm(t.GroupName, [.. t.Levels], t.CodesArray, [.. t.ColumnNames], z[j], t.Label, t.FormulaIndex, t.Centring)).ToArray();
        return new ModelDesign(Frame, ResponseName, y, null, fixedMatrix, terms, [.. _messages], Options, null, null);
    }

    /// <summary>The same response, weights, offset and random effects without fixed effects (a GLMM's system for u with β held).</summary>
    internal ModelDesign WithoutFixedEffects()
    {
        int n = X.Rows;
        var x = new FixedEffectsMatrix([], n, [], [], [.. X.TermLabels], []);
        return new ModelDesign(Frame, ResponseName, _y, _offset, x, _terms, [], Options, _weights, _trials, _aggregated);
    }

    /// <summary>The same response, weights, offset and random effects with an intercept as the only fixed effect (the null model).</summary>
    internal ModelDesign InterceptOnly()
    {
        int n = X.Rows;
        var ones = _aggregated?.Ones is { } o ? (double[])o.Clone() : Enumerable.Repeat(1.0, n).ToArray();
        var x = new FixedEffectsMatrix(ones, n, ["(Intercept)"], [0], ["(Intercept)"], []);
        return new ModelDesign(Frame, ResponseName, _y, _offset, x, _terms, [], Options, _weights, _trials, _aggregated);
    }

    /// <summary>
    /// The same design on a subset of its rows (for deletion diagnostics): y, offset, X and each term's rows, with the
    /// terms' levels kept (a level without rows contributes nothing to the objective). Null when X loses rank.
    /// </summary>
    internal ModelDesign? WithRows(IReadOnlyList<int> rows)
    {
        RequireRows("a subset of the rows");
        int n = X.Rows, p = X.Columns, m = rows.Count;
        var x = new double[m * p];
        for (int j = 0; j < p; j++)
            for (int i = 0; i < m; i++) x[j * m + i] = X.Data[j * n + rows[i]];
        if (p > 0 && RankRevealingQr.DecomposeInPlace(DesignConditioning.CentredForRank(x, m, p), m, p).Rank < p) return null;
        var y = rows.Select(i => _y[i]).ToArray();
        var offset = _offset is null ? null : rows.Select(i => _offset[i]).ToArray();
        var weights = _weights is null ? null : rows.Select(i => _weights[i]).ToArray();
        var trials = _trials is null ? null : rows.Select(i => _trials[i]).ToArray();
        var terms = _terms.Select(t =>
        {
            int d = t.Dimension;
            var z = new double[m * d];
            for (int i = 0; i < m; i++) Array.Copy(t.ZArray, rows[i] * d, z, i * d, d);
            return new RandomEffectsTerm(t.GroupName, [.. t.Levels], rows.Select(i => t.CodesArray[i]).ToArray(), [.. t.ColumnNames], z, t.Label, t.FormulaIndex, t.Centring);
        }).ToArray();
        var fixedMatrix = new FixedEffectsMatrix(x, m, [.. X.ColumnNames], [.. X.Assign], [.. X.TermLabels], [.. X.DroppedColumns]);
        return new ModelDesign(Frame, ResponseName, y, offset, fixedMatrix, terms, [.. _messages], Options, weights, trials);
    }

    /// <summary>Parses <paramref name="formula"/>, builds the frame on <paramref name="data"/> and then the design.</summary>
    public static ModelDesign Build(string formula, Table data, DesignOptions? options = null, string? dataName = null) =>
        Build(ModelFrame.Create(Formula.Parse(formula), data, dataName, options?.Frame), options);

    /// <summary>Builds the design from a model frame.</summary>
    public static ModelDesign Build(ModelFrame frame, DesignOptions? options = null)
    {
        options ??= new DesignOptions();
        var formula = frame.Formula;
        int n = frame.RowCount;
        var messages = new List<string>(frame.Messages);

        string responseName = formula.Response.ToString();
        var (y, trials) = ResponseValues(frame, responseName, options.Family);
        double[]? weights = frame.Weights is null ? null : (double[])frame.Weights.Clone();
        if (trials is not null)
        {
            weights ??= Enumerable.Repeat(1.0, n).ToArray();
            for (int i = 0; i < n; i++) weights[i] *= trials[i];
        }

        double[]? offset = frame.ExtraOffset is null ? null : (double[])frame.ExtraOffset.Clone();
        foreach (int o in formula.FixedTerms.Offsets)
        {
            var v = (NumericValue)frame.Variable(formula.FixedTerms.Variables[o]);
            offset ??= new double[n];
            for (int i = 0; i < n; i++) offset[i] += v.Data[i];
        }

        var x = BuildFixed(frame, options, messages);
        var terms = new List<RandomEffectsTerm>();
        for (int i = 0; i < formula.RandomTerms.Count; i++) terms.Add(BuildRandom(frame, i, options));
        CheckGroupingFactors(terms, n, options.Family is null);
        var ordered = Order(terms);
        return new ModelDesign(frame, responseName, y, offset, x, ordered, messages, options, weights, trials);
    }

    /// <summary>
    /// The response as the family reads it (R's <c>family$initialize</c>): numeric for a linear model; for the
    /// binomial family also a factor (first level = failure, the others success), a proportion, or
    /// <c>cbind(successes, failures)</c> (y the proportion, the trials returned).
    /// </summary>
    private static (double[] Y, double[]? Trials) ResponseValues(ModelFrame frame, string name, Families.Family? family)
    {
        var value = frame.Variable(frame.Formula.Response);
        bool binomial = family?.Name == "binomial";
        if (binomial && value is FactorValue f)
        {
            var y01 = Array.ConvertAll(f.Codes, c => c == 0 ? 0.0 : 1.0);
            if (Array.TrueForAll(y01, v => v == y01[0]))
                throw new ModelException($"the response '{name}' is constant (every row is '{f.Levels[f.Codes[0]]}'); glmer refuses it too (Response is constant)");
            return (y01, null);
        }
        if (binomial && value is NumericValue { Columns: 2 } two)
        {
            int n = two.Length;
            var y = new double[n];
            var trials = new double[n];
            var s = two.Column(0);
            var fl = two.Column(1);
            for (int i = 0; i < n; i++)
            {
                if (s[i] < 0 || fl[i] < 0)
                    throw new ModelException($"the response {name} has a negative count at row {frame.KeptRows[i] + 1}; cbind() takes numbers of successes and failures");
                trials[i] = s[i] + fl[i];
                y[i] = trials[i] == 0 ? 0 : s[i] / trials[i];
            }
            if (Array.TrueForAll(y, v => v == y[0]) && (y[0] == 0 || y[0] == 1))
                throw new ModelException($"the response {name} has {(y[0] == 0 ? "no successes" : "no failures")} on any row: the model cannot be estimated (glmer: Response is constant)");
            return (y, trials);
        }
        var values = value switch
        {
            NumericValue { Columns: 1 } v => v.Data,
            FactorValue => throw new ModelException(family is null
                ? $"the response '{name}' is categorical; a linear mixed model needs a numeric response (for a yes/no or two-level outcome use --family binomial)"
                : $"the response '{name}' is categorical; the {family.Name} family needs a numeric response"),
            NumericValue { Columns: 2 } => throw new ModelException(
                $"the response '{name}' has two columns; cbind(successes, failures) is a binomial response (--family binomial)"),
            _ => throw new ModelException($"the response '{name}' has several columns"),
        };
        if (Array.TrueForAll(values, v => v == values[0]))
            throw new ModelException($"the response '{name}' is constant (every value is {values[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}); there is no variation to model");
        if (family?.CheckResponse(values) is { } problem) throw new ModelException($"the response '{name}': {problem} (family {family.Name})");
        return (values, null);
    }

    private static FixedEffectsMatrix BuildFixed(ModelFrame frame, DesignOptions options, List<string> messages)
    {
        var ts = frame.Formula.FixedTerms;
        var m = ModelMatrixBuilder.Build(ts, frame.Variable, frame.RowCount, options.Contrasts, frame.Formula.Text);
        return FixedMatrix(m, ts, messages, null, null);
    }

    /// <summary>
    /// X from the model matrix: columns that make it rank deficient dropped (lme4's message), names made unique, and
    /// lme4's scale check. On aggregated rows the constant 1 is <paramref name="ones"/> and <paramref name="binary"/>
    /// says which columns are 0/1 indicators (their values do not show it).
    /// </summary>
    private static FixedEffectsMatrix FixedMatrix(ModelMatrixBuilder.Result m, TermSet ts, List<string> messages, double[]? ones, bool[]? binary)
    {
        var labels = new List<string> { "(Intercept)" };
        labels.AddRange(ts.Labels);
        int n = m.Rows, p = m.Columns;
        if (p == 0) return new FixedEffectsMatrix([], n, [], [], [.. labels], []);
        var (rank, pivot) = RankRevealingQr.DecomposeInPlace(DesignConditioning.CentredForRank(m.Data, n, p, ones), n, p);
        string[] dropped = [];
        double[] data = m.Data;
        string[] names = m.Names;
        int[] assign = m.Assign;
        var keep = Enumerable.Range(0, p).ToArray();
        if (rank < p)
        {
            keep = pivot.Take(rank).Order().ToArray();
            dropped = pivot.Skip(rank).Order().Select(j => m.Names[j]).ToArray();
            data = new double[n * rank];
            for (int k = 0; k < rank; k++) Array.Copy(m.Data, keep[k] * n, data, k * n, n);
            names = keep.Select(j => m.Names[j]).ToArray();
            assign = keep.Select(j => m.Assign[j]).ToArray();
            int d = p - rank;
            messages.Add($"fixed-effect model matrix is rank deficient so dropping {d} column{(d == 1 ? "" : "s")} / coefficient{(d == 1 ? "" : "s")}: {string.Join(", ", dropped)}");
        }
        var result = new FixedEffectsMatrix(data, n, Formatting.RNames.MakeUnique(names), assign, [.. labels], dropped);
        if (ScalesDiffer(result, ones, binary is null ? null : keep.Select(j => binary[j]).ToArray()))
            messages.Add("Some predictor variables are on very different scales: consider rescaling");
        return result;
    }

    /// <summary>lme4's <c>checkScaleX</c>: non-0/1 columns whose standard deviations differ by more than a factor 1000 (or lie outside 1e-3..1e3).</summary>
    private static bool ScalesDiffer(FixedEffectsMatrix x, double[]? ones, bool[]? binaryColumns)
    {
        var sds = new List<double>();
        double count = 0; // aggregated rows: the number of observations, Σ 1²
        if (ones is not null) foreach (double o in ones) count += o * o;
        for (int j = 0; j < x.Columns; j++)
        {
            var c = x.Column(j);
            bool binary = binaryColumns?[j] ?? true;
            if (binaryColumns is null)
                binary = c.IndexOfAnyExcept(0.0, 1.0) < 0;
            if (binary) continue;
            if (ones is not null)
            {
                // Aggregated rows: the SD of the observations from Σx, Σx² and n (divisor n − 1).
                var (_, sdPop) = DesignConditioning.MeanSd(c, null, ones);
                sds.Add(sdPop * Math.Sqrt(count / (count - 1)));
                continue;
            }
            double mean = DenseKernels.Sum(c) / c.Length;
            double ss = 0;
            foreach (double v in c) ss += (v - mean) * (v - mean);
            sds.Add(Math.Sqrt(ss / (c.Length - 1)));
        }
        double tol = Math.Log(1000);
        foreach (double s in sds) if (Math.Abs(Math.Log(s)) > tol) return true;
        for (int i = 0; i < sds.Count; i++)
            for (int j = 0; j < i; j++) if (Math.Abs(Math.Log(sds[i] / sds[j])) > tol) return true;
        return false;
    }

    private static RandomEffectsTerm BuildRandom(ModelFrame frame, int index, DesignOptions options)
    {
        var ts = frame.RandomModelTerms[index];
        var m = ModelMatrixBuilder.Build(ts, frame.Variable, frame.RowCount, options.Contrasts, frame.Formula.Text);
        var comps = frame.GroupComponents[index].Select(frame.GroupComponent).ToList();
        var (levels, codes) = GroupingFactor.Build(comps);
        return RandomTerm(frame.Formula, index, m, levels, codes, options, null);
    }

    /// <summary>A random-effects term from its model matrix (rows × columns, column-major) and grouping factor.</summary>
    private static RandomEffectsTerm RandomTerm(Formula formula, int index, ModelMatrixBuilder.Result m, string[] levels, int[] codes,
        DesignOptions options, double[]? ones)
    {
        var spec = formula.RandomTerms[index];
        if (m.Columns == 0)
            throw new FormulaException(formula.Text, spec.Position, $"the random-effects term ({spec}) has no columns");
        int n = m.Rows, d = m.Columns;
        var z = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) z[i * d + j] = m.Data[j * n + i];
        var centring = options.CentreTerms ? TermCentring.CentreInPlace(z, d, ones) : null;
        return new RandomEffectsTerm(spec.GroupName, levels, codes, m.Names, z, spec.ToString(), index, centring);
    }

    private static void CheckGroupingFactors(List<RandomEffectsTerm> terms, int n, bool residualVariance)
    {
        foreach (var t in terms.DistinctBy(t => t.GroupName))
            if (t.LevelCount < 2)
                throw new ModelException(
                    $"the grouping factor '{t.GroupName}' has only {t.LevelCount} level{(t.LevelCount == 1 ? "" : "s")} among the rows used; grouping factors must have > 1 sampled level");
        // glmer ignores these two checks (an observation-level random effect models overdispersion).
        if (!residualVariance) return;
        var bad = terms.Where(t => t.LevelCount >= n).Select(t => t.GroupName).Distinct().ToList();
        if (bad.Count > 0)
            throw new ModelException(
                $"number of levels of each grouping factor must be < number of observations (problems: {string.Join(", ", bad)}): with one observation per level the random effects cannot be told apart from the residual");
        foreach (var t in terms)
            if (n <= t.RandomEffectCount)
                throw new ModelException(
                    $"number of observations (={n}) <= number of random effects (={t.RandomEffectCount}) for term ({t.Label}); the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable");
    }

    /// <summary>lme4's order: if any term has more levels than the one before, sort by decreasing levels (ties reversed, as R's rev(order())).</summary>
    private static RandomEffectsTerm[] Order(List<RandomEffectsTerm> terms)
    {
        bool increase = false;
        for (int i = 1; i < terms.Count; i++) if (terms[i].LevelCount > terms[i - 1].LevelCount) increase = true;
        if (!increase) return [.. terms];
        var ascending = terms.Select((t, i) => (t, i)).OrderBy(x => x.t.LevelCount).ThenBy(x => x.i).Select(x => x.t).ToList();
        ascending.Reverse();
        return [.. ascending];
    }
}

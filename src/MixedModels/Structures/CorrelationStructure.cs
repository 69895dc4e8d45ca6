using System.Globalization;
using MixedModels.Data;
using MixedModels.Formulas;

namespace MixedModels.Structures;

/// <summary>
/// An nlme correlation structure (<c>correlation =</c> of gls and lme): the correlation of the errors within a group,
/// as a function of their positions, times or coordinates and the structure's parameters. <see cref="Parse"/> reads
/// nlme's calls: <c>corAR1</c>, <c>corCAR1</c>, <c>corARMA(p =, q =)</c>, <c>corCompSymm</c>, <c>corSymm</c> and the
/// spatial <c>corExp</c>, <c>corGaus</c>, <c>corLin</c>, <c>corRatio</c>, <c>corSpher</c> (with <c>nugget =</c> and
/// <c>metric =</c>). Immutable.
/// </summary>
public abstract class CorrelationStructure
{
    private protected CorrelationStructure(StructureFormula form, IReadOnlyList<double> value)
    {
        Form = form;
        Value = value;
    }

    /// <summary>nlme's class name (<c>corAR1</c>, …).</summary>
    public abstract string ClassName { get; }

    /// <summary>The <c>form =</c> formula (nlme's default <c>~ 1</c>: positions within the groups).</summary>
    public StructureFormula Form { get; }

    /// <summary>Initial values on nlme's natural scale (<c>value =</c>), or empty for nlme's defaults.</summary>
    public IReadOnlyList<double> Value { get; }

    /// <summary>
    /// True for nlme's <c>fixed = TRUE</c>: the parameters are held at <see cref="Value"/> (or nlme's defaults), not
    /// estimated and not counted in the degrees of freedom.
    /// </summary>
    public bool Fixed { get; init; }

    /// <summary>nlme's name of the structure printed after "Correlation Structure:" (<c>AR(1)</c>).</summary>
    public abstract string Description { get; }

    /// <summary>
    /// The structure bound to a fit's rows; <paramref name="defaultGroups"/> are the groups when the formula names none
    /// (lme's innermost grouping; null for gls: all rows one group).
    /// </summary>
    internal BoundCorrelation Bind(Table data, IReadOnlyList<int> rows, int[]? defaultGroups, bool formGroups = true)
    {
        int[] codes;
        if (Form.Groups.Count > 0 && formGroups) codes = Form.GroupCodes(data, rows, ClassName + "()").Codes;
        else codes = defaultGroups ?? new int[rows.Count];
        int groups = codes.Length == 0 ? 0 : codes.Max() + 1;
        var members = new List<int>[groups];
        for (int g = 0; g < groups; g++) members[g] = [];
        for (int i = 0; i < codes.Length; i++) members[codes[i]].Add(i);
        var groupRows = members.Where(m => m.Count > 0).Select(m => m.ToArray()).ToArray();
        var covariates = Form.Covariates.Select(c => StructureFormula.Numeric(data, rows, c, ClassName + "()")).ToArray();
        var bound = Bind(groupRows, covariates);
        bound.AllFixed = Fixed;
        bound.Regrouped = Form.Groups.Count > 0 && !formGroups;
        return bound;
    }

    /// <summary>The structure on the given groups (row indices) and covariate columns.</summary>
    private protected abstract BoundCorrelation Bind(int[][] groupRows, double[][] covariates);

    /// <summary>The call as nlme's summary names it.</summary>
    public override string ToString() => $"{ClassName}(form = {Form.Text})";

    /// <summary>Parses an nlme correlation-structure call; errors name the argument and its position.</summary>
    /// <exception cref="FormulaException">Unknown class or argument, or a malformed formula.</exception>
    public static CorrelationStructure Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var call = RCall.Parse(text);
        string fn = call.Function;
        bool spatial = fn is "corExp" or "corGaus" or "corLin" or "corRatio" or "corSpher";
        if (!spatial && fn is not ("corAR1" or "corCAR1" or "corARMA" or "corCompSymm" or "corSymm"))
            throw new FormulaException(text, 0, fn is "corSpatial" or "corNatural" or "corIdent"
                ? $"{fn}() is not supported; use one of the named structures (corExp, corGaus, corLin, corRatio, corSpher, corSymm)"
                : $"unknown correlation structure {fn}(); nlme's are corAR1, corCAR1, corARMA, corCompSymm, corSymm, corExp, corGaus, corLin, corRatio and corSpher");
        string form = "~1";
        bool fixedValues = false;
        var value = new List<double>();
        bool nugget = false;
        string metric = "euclidean";
        int p = 0, q = 0;
        int positional = 0;
        foreach (var a in call.Arguments)
        {
            string name = a.Name ?? (positional++ switch { 0 => "value", 1 => "form", _ => "" });
            switch (name)
            {
                case "value": value.AddRange(Numbers(text, a)); break;
                case "form": form = a.Value; break;
                case "fixed":
                    fixedValues = a.Value.Trim() switch
                    {
                        "TRUE" or "T" => true,
                        "FALSE" or "F" => false,
                        _ => throw new FormulaException(text, a.Position, $"fixed = {a.Value}: give TRUE or FALSE"),
                    };
                    break;
                case "nugget" when spatial: nugget = a.Value is "TRUE" or "T"; break;
                case "metric" when spatial:
                    metric = RCall.StringLiteral(a.Value) ?? a.Value;
                    metric = new[] { "euclidean", "maximum", "manhattan" }.FirstOrDefault(m => m.StartsWith(metric, StringComparison.Ordinal))
                        ?? throw new FormulaException(text, a.Position, $"metric = {a.Value}: nlme's metrics are \"euclidean\", \"maximum\" and \"manhattan\"");
                    break;
                case "p" when fn == "corARMA": p = Order(text, a); break;
                case "q" when fn == "corARMA": q = Order(text, a); break;
                default:
                    throw new FormulaException(text, a.Position, $"argument '{(a.Name ?? a.Value)}' of {fn}() is not supported; {fn}() takes value, form{(spatial ? ", nugget, metric" : fn == "corARMA" ? ", p, q" : "")}");
            }
        }
        var f = StructureFormula.Parse(form, fn + "()");
        if (f.Fitted) throw new FormulaException(text, 0, $"{fn}(): fitted(.) is not a correlation covariate");
        CorrelationStructure structure = fn switch
        {
            "corAR1" => new CorAR1(f, value, continuous: false) { Fixed = fixedValues },
            "corCAR1" => new CorAR1(f, value, continuous: true) { Fixed = fixedValues },
            "corARMA" => new CorARMA(f, value, p, q) { Fixed = fixedValues },
            "corCompSymm" => new CorCompSymm(f, value) { Fixed = fixedValues },
            "corSymm" => new CorSymm(f, value) { Fixed = fixedValues },
            _ => new CorSpatial(f, value, fn, nugget, metric) { Fixed = fixedValues },
        };
        return structure;
    }

    /// <summary>The positions (1, 2, …) of a group's rows, or its integer covariate values; errors as nlme's.</summary>
    private protected static int[][] Positions(int[][] groupRows, double[]? covariate, string what)
    {
        return groupRows.Select(rows =>
        {
            if (covariate is null) return Enumerable.Range(1, rows.Length).ToArray();
            var t = new int[rows.Length];
            var seen = new HashSet<int>();
            for (int i = 0; i < rows.Length; i++)
            {
                double v = covariate[rows[i]];
                if (v != Math.Round(v) || Math.Abs(v) > 1e9) throw new ModelException($"{what}: covariate must have integer values (got {v.ToString("R", CultureInfo.InvariantCulture)}); use corCAR1() for continuous times");
                t[i] = (int)v;
                if (!seen.Add(t[i])) throw new ModelException($"{what}: covariate must have unique values within groups (a value {t[i]} repeats)");
            }
            return t;
        }).ToArray();
    }

    private static IEnumerable<double> Numbers(string text, RArgument a)
    {
        string v = a.Value.Trim();
        if (v.StartsWith("c(", StringComparison.Ordinal) && v.EndsWith(')')) v = v[2..^1];
        foreach (string part in v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                throw new FormulaException(text, a.Position, $"value = {a.Value}: give numbers, e.g. value = 0.3 or value = c(28, 0.2)");
            yield return d;
        }
    }

    private static int Order(string text, RArgument a) =>
        int.TryParse(a.Value.TrimEnd('L'), NumberStyles.Integer, CultureInfo.InvariantCulture, out int k) && k is >= 0 and <= 10
            ? k : throw new FormulaException(text, a.Position, $"{a.Name} = {a.Value}: give a whole number from 0 to 10");
}

/// <summary>A correlation structure bound to a fit's rows: each group's correlation matrix from the unconstrained parameters.</summary>
internal abstract class BoundCorrelation(int[][] groupRows)
{
    /// <summary>The rows (indices into the fit's rows) of each group, in data order.</summary>
    public int[][] GroupRows { get; } = groupRows;

    /// <summary>The number of estimated parameters.</summary>
    public abstract int ParameterCount { get; }

    /// <summary>The starting values on the unconstrained scale.</summary>
    public abstract double[] Start();

    /// <summary>True when every parameter is held at its start (nlme's <c>fixed = TRUE</c>).</summary>
    public bool AllFixed { get; set; }

    /// <summary>True when the groups are the default ones in place of the formula's (nlme's regrouping by random's innermost level).</summary>
    public bool Regrouped { get; set; }

    /// <summary>Which parameters are held at their start.</summary>
    public bool[] Fixed() => Enumerable.Repeat(AllFixed, ParameterCount).ToArray();

    /// <summary>Fills <paramref name="c"/> (m × m, row-major) with the correlation matrix of group <paramref name="g"/>.</summary>
    public abstract void Fill(ReadOnlySpan<double> par, int g, Span<double> c);

    /// <summary>The parameters' names and values on nlme's natural scale.</summary>
    public abstract (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par);

    /// <summary>
    /// nlme's own factor for the normalized residuals where it is not the Cholesky factor's inverse: applies it to a
    /// group's scaled residuals <paramref name="v"/> in place and returns true; false to use L⁻¹.
    /// </summary>
    public virtual bool Normalize(ReadOnlySpan<double> par, int g, Span<double> v) => false;

    /// <summary>True when <see cref="Markov"/> gives the structure's correlations (AR(1), continuous AR(1)).</summary>
    public virtual bool IsMarkov => false;

    /// <summary>
    /// For correlations of a Markov chain in time order (AR(1) and continuous AR(1): cor = φ^|tᵢ − tⱼ|; only where
    /// <see cref="IsMarkov"/>): fills <paramref name="rho"/>[i] with the correlation of the i-th row of group
    /// <paramref name="g"/> in time order with the row before it (0 for the first) and returns that order (indices into
    /// the group's rows); the inverse Cholesky factor is then bidiagonal.
    /// </summary>
    public virtual int[] Markov(ReadOnlySpan<double> par, int g, Span<double> rho) =>
        throw new NotSupportedException("the structure is not a Markov chain (IsMarkov is false)");

    /// <summary>
    /// The parameters on the scale of nlme's approximate covariance (apVar) for <c>intervals()</c>: the unconstrained
    /// ones, except corSymm's, which nlme takes as log((1 + r)/(1 − r)) of each correlation.
    /// </summary>
    public virtual double[] ToIntervalScale(ReadOnlySpan<double> par) => par.ToArray();

    /// <summary>The unconstrained parameters from <see cref="ToIntervalScale"/>'s; false when they give no valid correlation matrix.</summary>
    public virtual bool FromIntervalScale(ReadOnlySpan<double> x, Span<double> par)
    {
        x.CopyTo(par);
        return true;
    }

    /// <summary>The natural-scale values (as <see cref="Natural"/>) of interval-scale parameters, as nlme maps an interval's limits.</summary>
    public virtual double[] NaturalFromIntervalScale(ReadOnlySpan<double> x)
    {
        var par = new double[ParameterCount];
        FromIntervalScale(x, par);
        return Natural(par).Values;
    }

    /// <summary>A spatial structure's distances between the rows of group <paramref name="g"/> (m × m, row-major); null for others.</summary>
    public virtual double[]? Distances(int g) => null;

    /// <summary>A spatial structure's semivariogram at a distance for σ² = 1: nugget + (1 − nugget)(1 − ρ(d/range)); NaN for others.</summary>
    public virtual double Semivariogram(ReadOnlySpan<double> par, double distance) => double.NaN;

    /// <summary>The whole correlation matrix between positions, for structures nlme prints as one (corSymm); else null.</summary>
    public virtual double[,]? Matrix(ReadOnlySpan<double> par) => null;
}

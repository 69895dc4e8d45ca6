namespace MixedModels.Structures;

/// <summary>
/// nlme's spatial correlation structures of the distance d between two errors' coordinates, with range r:
/// <c>corExp</c> exp(−d/r), <c>corGaus</c> exp(−(d/r)²), <c>corLin</c> (1 − d/r)₊, <c>corRatio</c> 1/(1 + (d/r)²) and
/// <c>corSpher</c> (1 − 1.5 d/r + 0.5 (d/r)³) for d &lt; r; with a nugget n, (1 − n) times that for d &gt; 0.
/// Distances are Euclidean, maximum or Manhattan (<c>metric =</c>).
/// </summary>
public sealed class CorSpatial : CorrelationStructure
{
    /// <summary>Groups larger than this are refused: each evaluation factors a dense matrix of the group's size.</summary>
    public const int MaxGroupSize = 3000;

    /// <summary>A spatial structure <paramref name="className"/> (corExp, corGaus, corLin, corRatio, corSpher).</summary>
    public CorSpatial(StructureFormula form, IReadOnlyList<double>? value, string className, bool nugget = false, string metric = "euclidean") : base(form, value ?? [])
    {
        if (className is not ("corExp" or "corGaus" or "corLin" or "corRatio" or "corSpher")) throw new ArgumentException($"unknown spatial structure {className}", nameof(className));
        ClassName = className;
        Nugget = nugget;
        Metric = metric;
        if (form.Covariates.Count == 0) throw new ModelException($"{className}(): give the coordinates, e.g. form = ~ x + y");
        if (Value.Count > (nugget ? 2 : 1)) throw new ModelException($"{className}(): value = takes the range{(nugget ? " and the nugget" : "")}");
        if (Value.Count >= 1 && !(Value[0] > 0)) throw new ModelException($"{className}(): range must be > 0 in initial value");
        if (Value.Count == 2 && !(Value[1] is > 0 and < 1)) throw new ModelException($"{className}(): initial value for nugget must be between 0 and 1");
    }

    /// <inheritdoc/>
    public override string ClassName { get; }

    /// <summary>True when a nugget effect is estimated.</summary>
    public bool Nugget { get; }

    /// <summary>The distance: euclidean, maximum or manhattan.</summary>
    public string Metric { get; }

    /// <inheritdoc/>
    public override string Description => ClassName switch
    {
        "corExp" => "Exponential spatial correlation",
        "corGaus" => "Gaussian spatial correlation",
        "corLin" => "Linear spatial correlation",
        "corRatio" => "Rational quadratic spatial correlation",
        _ => "Spherical spatial correlation",
    };

    private protected override BoundCorrelation Bind(int[][] groupRows, double[][] covariates)
    {
        int largest = groupRows.Length == 0 ? 0 : groupRows.Max(g => g.Length);
        if (largest > MaxGroupSize)
            throw new ModelException($"{ClassName}(): a group of {largest} observations needs a dense {largest} x {largest} correlation matrix at every step; the limit is {MaxGroupSize} (give a grouping, form = ~ x + y | g)");
        var distances = groupRows.Select(rows =>
        {
            int m = rows.Length;
            var d = new double[m * m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < i; j++)
                {
                    double s = 0;
                    foreach (var c in covariates)
                    {
                        double diff = Math.Abs(c[rows[i]] - c[rows[j]]);
                        s = Metric switch { "maximum" => Math.Max(s, diff), "manhattan" => s + diff, _ => s + diff * diff };
                    }
                    d[i * m + j] = d[j * m + i] = Metric == "euclidean" ? Math.Sqrt(s) : s;
                }
            return d;
        }).ToArray();
        var positive = distances.SelectMany(d => d).Where(x => x > 0).DefaultIfEmpty(1).ToArray();
        double range = Value.Count >= 1 ? Value[0]
            : ClassName is "corLin" or "corSpher" ? 0.5 * positive.Max() : 0.9 * positive.Min();
        double nugget = Value.Count == 2 ? Value[1] : 0.1;
        return new Bound(this, groupRows, distances, range, nugget);
    }

    private sealed class Bound(CorSpatial s, int[][] groupRows, double[][] distances, double range, double nugget) : BoundCorrelation(groupRows)
    {
        public override int ParameterCount => s.Nugget ? 2 : 1;

        public override double[] Start() => s.Nugget ? [Math.Log(range), Math.Log(nugget / (1 - nugget))] : [Math.Log(range)];

        public override void Fill(ReadOnlySpan<double> par, int g, Span<double> c)
        {
            double r = Math.Exp(par[0]);
            double scale = s.Nugget ? 1 - 1 / (1 + Math.Exp(-par[1])) : 1;
            var d = distances[g];
            int m = GroupRows[g].Length;
            for (int i = 0; i < m; i++)
            {
                c[i * m + i] = 1;
                for (int j = 0; j < i; j++)
                {
                    c[i * m + j] = c[j * m + i] = scale * Shape(d[i * m + j] / r);
                }
            }
        }

        /// <summary>The correlation function without nugget at distance/range x.</summary>
        private double Shape(double x) => s.ClassName switch
        {
            "corExp" => Math.Exp(-x),
            "corGaus" => Math.Exp(-x * x),
            "corLin" => x < 1 ? 1 - x : 0,
            "corRatio" => 1 / (1 + x * x),
            _ => x < 1 ? 1 - 1.5 * x + 0.5 * x * x * x : 0,
        };

        public override double[]? Distances(int g) => distances[g];

        public override double Semivariogram(ReadOnlySpan<double> par, double distance)
        {
            double nugget = s.Nugget ? 1 / (1 + Math.Exp(-par[1])) : 0;
            return nugget + (1 - nugget) * (1 - Shape(distance / Math.Exp(par[0])));
        }

        public override (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par) =>
            s.Nugget ? (["range", "nugget"], [Math.Exp(par[0]), 1 / (1 + Math.Exp(-par[1]))]) : (["range"], [Math.Exp(par[0])]);
    }
}

namespace MixedModels.Structures;

/// <summary>
/// nlme's <c>corSymm</c>: a general (unstructured) correlation between the positions 1..m within the groups, m(m − 1)/2
/// parameters. Kept positive definite by estimating it through its Cholesky factor's canonical partial correlations.
/// </summary>
public sealed class CorSymm : CorrelationStructure
{
    /// <summary>A general correlation within the groups of <paramref name="form"/>.</summary>
    public CorSymm(StructureFormula form, IReadOnlyList<double>? value = null) : base(form, value ?? [])
    {
        if (Value.Count > 0) throw new ModelException("corSymm(): value = is not supported yet (the start is no correlation)");
        if (form.Covariates.Count > 1) throw new ModelException($"corSymm(form = {form.Text}): give one integer position covariate");
    }

    /// <inheritdoc/>
    public override string ClassName => "corSymm";

    /// <inheritdoc/>
    public override string Description => "General";

    private protected override BoundCorrelation Bind(int[][] groupRows, double[][] covariates)
    {
        var raw = Positions(groupRows, covariates.Length == 1 ? covariates[0] : null, "corSymm()");
        // The positions' distinct values in increasing order are 1..m.
        var distinct = raw.SelectMany(t => t).Distinct().Order().ToArray();
        var positions = raw.Select(t => t.Select(v => Array.BinarySearch(distinct, v)).ToArray()).ToArray();
        if (distinct.Length < 2) throw new ModelException("corSymm(): the groups have one position, so there is no correlation to estimate");
        if (distinct.Length > 60) throw new ModelException($"corSymm(): {distinct.Length} positions make {distinct.Length * (distinct.Length - 1) / 2} correlation parameters; use a structured correlation (corAR1, corCAR1, corARMA)");
        return new Bound(groupRows, positions, distinct.Length);
    }

    private sealed class Bound(int[][] groupRows, int[][] positions, int m) : BoundCorrelation(groupRows)
    {
        private readonly double[] _c = new double[m * m], _l = new double[m * m];
        private readonly double[] _last = new double[m * (m - 1) / 2];
        private bool _computed;

        public override int ParameterCount => m * (m - 1) / 2;

        public override double[] Start() => new double[ParameterCount];

        /// <summary>The m × m correlation: L's row i has canonical partial correlations tanh(u) (LKJ's construction), C = LL'.</summary>
        private void Compute(ReadOnlySpan<double> par)
        {
            if (_computed && par.SequenceEqual(_last)) return;
            par.CopyTo(_last);
            _computed = true;
            var l = _l;
            int at = 0;
            l[0] = 1;
            for (int i = 1; i < m; i++)
            {
                double rest = 1;
                for (int j = 0; j < i; j++)
                {
                    double z = Math.Tanh(par[at++]);
                    l[i * m + j] = z * Math.Sqrt(rest);
                    rest -= l[i * m + j] * l[i * m + j];
                }
                l[i * m + i] = Math.Sqrt(Math.Max(rest, 0));
            }
            for (int i = 0; i < m; i++)
                for (int j = 0; j <= i; j++)
                {
                    double s = 0;
                    for (int k = 0; k <= j; k++) s += l[i * m + k] * l[j * m + k];
                    _c[i * m + j] = _c[j * m + i] = i == j ? 1 : s;
                }
        }

        public override void Fill(ReadOnlySpan<double> par, int g, Span<double> c)
        {
            Compute(par);
            var t = positions[g];
            int n = t.Length;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) c[i * n + j] = _c[t[i] * m + t[j]];
        }

        public override (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par)
        {
            Compute(par);
            var names = new List<string>();
            var values = new List<double>();
            for (int j = 0; j < m; j++)
                for (int i = j + 1; i < m; i++)
                {
                    names.Add($"cor({j + 1},{i + 1})");
                    values.Add(_c[i * m + j]);
                }
            return ([.. names], [.. values]);
        }

        public override double[] ToIntervalScale(ReadOnlySpan<double> par) =>
            Array.ConvertAll(Natural(par).Values, r => Math.Log((1 + r) / (1 - r)));

        public override double[] NaturalFromIntervalScale(ReadOnlySpan<double> x)
        {
            var r = new double[x.Length];
            for (int i = 0; i < x.Length; i++) r[i] = Math.Tanh(x[i] / 2);
            return r;
        }

        /// <summary>The canonical partial correlations (atanh) of the correlation matrix whose pairs are tanh(x/2), in Natural's order.</summary>
        public override bool FromIntervalScale(ReadOnlySpan<double> x, Span<double> par)
        {
            var c = new double[m, m];
            int at = 0;
            for (int i = 0; i < m; i++) c[i, i] = 1;
            for (int j = 0; j < m; j++)
                for (int i = j + 1; i < m; i++) c[i, j] = c[j, i] = Math.Tanh(x[at++] / 2);
            var l = LinearAlgebra.SmallMatrix.CholeskyLower(c);
            if (l is null) return false;
            at = 0;
            for (int i = 1; i < m; i++)
            {
                double rest = 1;
                for (int j = 0; j < i; j++)
                {
                    double z = l[i, j] / Math.Sqrt(rest);
                    if (!(Math.Abs(z) < 1)) return false;
                    par[at++] = Math.Atanh(z);
                    rest -= l[i, j] * l[i, j];
                }
            }
            return true;
        }

        public override double[,]? Matrix(ReadOnlySpan<double> par)
        {
            Compute(par);
            var r = new double[m, m];
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) r[i, j] = _c[i * m + j];
            return r;
        }
    }
}

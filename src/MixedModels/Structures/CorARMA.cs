namespace MixedModels.Structures;

/// <summary>
/// nlme's <c>corARMA(p =, q =)</c>: the autocorrelation of a stationary, invertible ARMA(p, q) process at the lags
/// between the errors' integer times (or positions). The parameters are kept stationary and invertible by estimating
/// their partial autocorrelations on nlme's unconstrained scale.
/// </summary>
public sealed class CorARMA : CorrelationStructure
{
    /// <summary>An ARMA(<paramref name="p"/>, <paramref name="q"/>) structure of <paramref name="form"/>.</summary>
    public CorARMA(StructureFormula form, IReadOnlyList<double>? value, int p, int q) : base(form, value ?? [])
    {
        if (p + q == 0) throw new ModelException("corARMA(): give p > 0 or q > 0 (p = 0, q = 0 is no correlation)");
        if (Value.Count is not 0 && Value.Count != p + q) throw new ModelException($"corARMA(): value = needs p + q = {p + q} numbers");
        if (form.Covariates.Count > 1) throw new ModelException($"corARMA(form = {form.Text}): give one time covariate");
        P = p;
        Q = q;
    }

    /// <summary>The autoregressive order.</summary>
    public int P { get; }

    /// <summary>The moving-average order.</summary>
    public int Q { get; }

    /// <inheritdoc/>
    public override string ClassName => "corARMA";

    /// <inheritdoc/>
    public override string Description => $"ARMA({P},{Q})";

    /// <summary>The call as nlme's summary names it.</summary>
    public override string ToString() => $"corARMA(form = {Form.Text}, p = {P}, q = {Q})";

    private protected override BoundCorrelation Bind(int[][] groupRows, double[][] covariates)
    {
        var times = Positions(groupRows, covariates.Length == 1 ? covariates[0] : null, "corARMA()");
        int maxLag = times.Select(t => t.Length == 0 ? 0 : t.Max() - t.Min()).DefaultIfEmpty(0).Max();
        return new Bound(this, groupRows, times, maxLag);
    }

    private sealed class Bound(CorARMA s, int[][] groupRows, int[][] times, int maxLag) : BoundCorrelation(groupRows)
    {
        private readonly double[] _acf = new double[maxLag + 1];

        public override int ParameterCount => s.P + s.Q;

        public override double[] Start()
        {
            if (s.Value.Count == 0) return new double[s.P + s.Q];
            // Partial autocorrelations of the given coefficients (the inverse of Durbin–Levinson), then nlme's scale.
            var u = new double[s.P + s.Q];
            Pacf(s.Value.Take(s.P).ToArray(), u.AsSpan(0, s.P));
            Pacf(s.Value.Skip(s.P).Select(x => -x).ToArray(), u.AsSpan(s.P));
            return u;
        }

        private static void Pacf(double[] coef, Span<double> u)
        {
            int n = coef.Length;
            var a = (double[])coef.Clone();
            for (int k = n - 1; k >= 0; k--)
            {
                double r = a[k];
                if (!(Math.Abs(r) < 1)) throw new ModelException("corARMA(): the initial values are not stationary (or not invertible)");
                u[k] = Math.Log((1 + r) / (1 - r));
                var prev = new double[k];
                for (int j = 0; j < k; j++) prev[j] = (a[j] + r * a[k - 1 - j]) / (1 - r * r);
                Array.Copy(prev, a, k);
            }
        }

        // Scratch for one evaluation of the autocorrelations (no allocation per evaluation).
        private readonly double[] _phi = new double[s.P], _theta = new double[s.Q], _prev = new double[Math.Max(s.P, s.Q)];
        private readonly double[] _th = new double[s.Q + 1], _psi = new double[s.Q + 1];
        private readonly double[] _a = new double[(s.P + 1) * (s.P + 1)], _b = new double[s.P + 1];
        private readonly double[] _gamma = new double[Math.Max(maxLag, s.P) + 1];
        private readonly double[] _lastPar = new double[s.P + s.Q];
        private bool _computed;

        /// <summary>φ and θ from the unconstrained partial autocorrelations (Durbin–Levinson), into the fields.</summary>
        private void Coefficients(ReadOnlySpan<double> par)
        {
            Levinson(par[..s.P], _phi, _prev);
            Levinson(par[s.P..], _theta, _prev);
            for (int j = 0; j < _theta.Length; j++) _theta[j] = -_theta[j];
        }

        private static void Levinson(ReadOnlySpan<double> u, Span<double> a, Span<double> prev)
        {
            int n = u.Length;
            for (int k = 0; k < n; k++)
            {
                double r = Math.Tanh(u[k] / 2);
                a[..k].CopyTo(prev);
                a[k] = r;
                for (int j = 0; j < k; j++) a[j] = prev[j] - r * prev[k - 1 - j];
            }
        }

        private void Acf(ReadOnlySpan<double> par)
        {
            if (_computed && par.SequenceEqual(_lastPar)) return;
            par.CopyTo(_lastPar);
            _computed = true;
            Coefficients(par);
            int p = s.P, q = s.Q;
            var th = _th;
            var psi = _psi;
            th[0] = 1;
            _theta.CopyTo(th, 1);
            for (int j = 0; j <= q; j++)
            {
                psi[j] = th[j];
                for (int i = 1; i <= Math.Min(j, p); i++) psi[j] += _phi[i - 1] * psi[j - i];
            }
            // γ(0..p) from the first p + 1 Yule–Walker-type equations, then the recursion.
            int m = p + 1;
            var a = _a;
            Array.Clear(a);
            for (int k = 0; k < m; k++)
            {
                a[k * m + k] += 1;
                for (int i = 1; i <= p; i++) a[k * m + Math.Abs(k - i)] -= _phi[i - 1];
                _b[k] = Ma(k);
            }
            var gamma = _gamma;
            Solve(a, _b, gamma);
            for (int k = m; k < gamma.Length; k++)
            {
                double v = Ma(k);
                for (int i = 1; i <= p; i++) v += _phi[i - 1] * gamma[k - i];
                gamma[k] = v;
            }
            for (int k = 0; k <= maxLag; k++) _acf[k] = gamma[k] / gamma[0];
        }

        /// <summary>The MA part's autocovariance term Σⱼ θⱼ ψⱼ₋ₖ (θ₀ = 1).</summary>
        private double Ma(int k)
        {
            double sum = 0;
            for (int j = k; j <= s.Q; j++) sum += _th[j] * _psi[j - k];
            return sum;
        }

        /// <summary>Solves the n × n system a x = b (row-major a, n = b.Length) by Gaussian elimination with partial pivoting into x[..n].</summary>
        private static void Solve(double[] a, double[] b, double[] x)
        {
            int n = b.Length;
            for (int c = 0; c < n; c++)
            {
                int piv = c;
                for (int r = c + 1; r < n; r++) if (Math.Abs(a[r * n + c]) > Math.Abs(a[piv * n + c])) piv = r;
                if (piv != c)
                {
                    for (int k = 0; k < n; k++) (a[c * n + k], a[piv * n + k]) = (a[piv * n + k], a[c * n + k]);
                    (b[c], b[piv]) = (b[piv], b[c]);
                }
                for (int r = c + 1; r < n; r++)
                {
                    double f = a[r * n + c] / a[c * n + c];
                    for (int k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
                    b[r] -= f * b[c];
                }
            }
            for (int r = n - 1; r >= 0; r--)
            {
                double v = b[r];
                for (int k = r + 1; k < n; k++) v -= a[r * n + k] * x[k];
                x[r] = v / a[r * n + r];
            }
        }

        public override void Fill(ReadOnlySpan<double> par, int g, Span<double> c)
        {
            Acf(par);
            var t = times[g];
            int m = t.Length;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) c[i * m + j] = _acf[Math.Abs(t[i] - t[j])];
        }

        public override (string[] Names, double[] Values) Natural(ReadOnlySpan<double> par)
        {
            Coefficients(par);
            return ([.. Enumerable.Range(1, s.P).Select(i => $"Phi{i}"), .. Enumerable.Range(1, s.Q).Select(i => $"Theta{i}")], [.. _phi, .. _theta]);
        }
    }
}

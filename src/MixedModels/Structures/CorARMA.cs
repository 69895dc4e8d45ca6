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
        private double[]? _last;

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

        /// <summary>φ and θ from the unconstrained partial autocorrelations (Durbin–Levinson).</summary>
        private (double[] Phi, double[] Theta) Coefficients(ReadOnlySpan<double> par)
        {
            var phi = Levinson(par[..s.P]);
            var theta = Levinson(par[s.P..]);
            for (int j = 0; j < theta.Length; j++) theta[j] = -theta[j];
            return (phi, theta);
        }

        private static double[] Levinson(ReadOnlySpan<double> u)
        {
            int n = u.Length;
            var a = new double[n];
            var prev = new double[n];
            for (int k = 0; k < n; k++)
            {
                double r = Math.Tanh(u[k] / 2);
                Array.Copy(a, prev, k);
                a[k] = r;
                for (int j = 0; j < k; j++) a[j] = prev[j] - r * prev[k - 1 - j];
            }
            return a;
        }

        private void Acf(ReadOnlySpan<double> par)
        {
            if (_last is not null && par.SequenceEqual(_last)) return;
            _last = par.ToArray();
            var (phi, theta) = Coefficients(par);
            int p = phi.Length, q = theta.Length;
            var th = new double[q + 1];
            th[0] = 1;
            theta.CopyTo(th, 1);
            var psi = new double[q + 1];
            for (int j = 0; j <= q; j++)
            {
                psi[j] = th[j];
                for (int i = 1; i <= Math.Min(j, p); i++) psi[j] += phi[i - 1] * psi[j - i];
            }
            double Ma(int k)
            {
                double sum = 0;
                for (int j = k; j <= q; j++) sum += th[j] * psi[j - k];
                return sum;
            }
            // γ(0..p) from the first p + 1 Yule–Walker-type equations, then the recursion.
            int m = p + 1;
            var a = new double[m, m];
            var b = new double[m];
            for (int k = 0; k < m; k++)
            {
                a[k, k] += 1;
                for (int i = 1; i <= p; i++) a[k, Math.Abs(k - i)] -= phi[i - 1];
                b[k] = Ma(k);
            }
            var gamma = new double[Math.Max(maxLag, p) + 1];
            Solve(a, b).AsSpan().CopyTo(gamma);
            for (int k = m; k < gamma.Length; k++)
            {
                double v = Ma(k);
                for (int i = 1; i <= p; i++) v += phi[i - 1] * gamma[k - i];
                gamma[k] = v;
            }
            for (int k = 0; k <= maxLag; k++) _acf[k] = gamma[k] / gamma[0];
        }

        private static double[] Solve(double[,] a, double[] b)
        {
            int n = b.Length;
            for (int c = 0; c < n; c++)
            {
                int piv = c;
                for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[piv, c])) piv = r;
                if (piv != c)
                {
                    for (int k = 0; k < n; k++) (a[c, k], a[piv, k]) = (a[piv, k], a[c, k]);
                    (b[c], b[piv]) = (b[piv], b[c]);
                }
                for (int r = c + 1; r < n; r++)
                {
                    double f = a[r, c] / a[c, c];
                    for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
                    b[r] -= f * b[c];
                }
            }
            var x = new double[n];
            for (int r = n - 1; r >= 0; r--)
            {
                double v = b[r];
                for (int k = r + 1; k < n; k++) v -= a[r, k] * x[k];
                x[r] = v / a[r, r];
            }
            return x;
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
            var (phi, theta) = Coefficients(par);
            return ([.. Enumerable.Range(1, s.P).Select(i => $"Phi{i}"), .. Enumerable.Range(1, s.Q).Select(i => $"Theta{i}")], [.. phi, .. theta]);
        }
    }
}

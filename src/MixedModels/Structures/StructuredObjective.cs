using MixedModels.Design;
using MixedModels.Estimation;

namespace MixedModels.Structures;

/// <summary>
/// The profiled objective of a linear mixed model (or a gls model, with no random effects) whose errors have an nlme
/// variance function and correlation structure: Var(ε_g) = σ² Λ_g, Λ_g = G_g C_g G_g. Each group's rows of y, X and Z
/// are premultiplied by T_g = L_g⁻¹ G_g⁻¹ (C_g = L_g L_g'), which leaves independent errors of variance σ², so the
/// transformed model is an ordinary one for the blocked workspace; the log-likelihood gains log|T| = −Σ log gᵢ −
/// Σ_g log|L_g|. The parameter vector is θ followed by the correlation and then the variance parameters (nlme's
/// unconstrained scale). A correlation group must lie within one level of every random-effects grouping.
/// </summary>
internal sealed class StructuredObjective
{
    private readonly ModelDesign _design, _transformed;
    private readonly BoundCorrelation? _cor;
    private readonly BoundVariance? _var;
    private readonly double[] _logSd, _a, _c, _column, _rho, _u, _w;
    private readonly int[] _prev;
    private readonly double[] _y, _x;
    private readonly double[][] _z;
    private LmmWorkspace? _workspace;

    public StructuredObjective(ModelDesign design, bool reml, BoundCorrelation? correlation, BoundVariance? variance)
    {
        _design = design;
        ThetaLength = design.ThetaLength;
        Reml = reml;
        _cor = correlation;
        _var = variance;
        int n = design.Observations;
        _logSd = new double[n];
        _a = new double[n];
        Array.Fill(_a, 1.0); // the SD factors' inverses: 1 without a variance function
        Fitted = new double[n];
        int m = correlation is null ? 1 : correlation.GroupRows.Max(g => g.Length);
        _c = new double[m * m];
        _column = new double[m];
        _rho = new double[m];
        bool markov = correlation is { IsMarkov: true };
        _u = markov ? new double[n] : [];
        _w = markov ? new double[n] : [];
        _prev = markov ? new int[n] : [];
        (_y, _x, _z) = Buffers();
        _transformed = design.WithValues(_y, _x, _z);
        if (correlation is not null) CheckNesting(design, correlation);
    }

    /// <summary>True for the REML criterion.</summary>
    public bool Reml { get; }

    /// <summary>The number of θ elements.</summary>
    public int ThetaLength { get; }

    /// <summary>The number of correlation parameters.</summary>
    public int CorrelationLength => _cor?.ParameterCount ?? 0;

    /// <summary>The number of variance-function parameters.</summary>
    public int VarianceLength => _var?.ParameterCount ?? 0;

    /// <summary>True when the variance function depends on the fitted values.</summary>
    public bool NeedsFitted => _var?.NeedsFitted ?? false;

    /// <summary>The fitted values a <c>~ fitted(.)</c> variance covariate uses (held fixed while optimizing, as nlme does).</summary>
    public double[] Fitted { get; }

    /// <summary>log|T| of the last transform.</summary>
    public double LogJacobian { get; private set; }

    /// <summary>
    /// The mean log SD factor of the last transform that <see cref="Evaluate"/> made: it divides the variance function
    /// by its geometric mean over the rows, so the θ it takes are relative to σ·exp(LogScale) (an exact
    /// reparameterization that keeps θ of order one whatever the scale of the variance covariate; θ on σ's scale is
    /// θ·exp(LogScale)).
    /// </summary>
    public double LogScale(ReadOnlySpan<double> varPar)
    {
        if (_var is null) return 0;
        FillLogSd(varPar, _logSd);
        return Mean(_logSd);
    }

    /// <summary>log gᵢ of every row at the variance parameters (the fitted-value covariate held at <see cref="Fitted"/>).</summary>
    private void FillLogSd(ReadOnlySpan<double> varPar, double[] logSd)
    {
        Array.Clear(logSd);
        _var?.AddLogSd(varPar, Fitted, logSd);
    }

    private static double Mean(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double e in v) s += e;
        return v.Length == 0 ? 0 : s / v.Length;
    }

    /// <summary>
    /// The objective (REML criterion or ML deviance) at x = (θ, correlation, variance parameters), θ relative to
    /// σ·exp(<see cref="LogScale"/>): the rows are
    /// transformed into the objective's own buffers and A refilled in the one workspace kept over them (its blocks'
    /// structure depends only on the codes, which the transform keeps). Allocates nothing after the first call.
    /// </summary>
    public double Evaluate(ReadOnlySpan<double> x)
    {
        int k = ThetaLength;
        if (!TransformInto(x[k..], _y, _x, _z, normalize: true)) return double.MaxValue / 1e10;
        if (_workspace is null) _workspace = new LmmWorkspace(_transformed, Reml, centre: false);
        else _workspace.Refill();
        return _workspace.Objective(x[..k]) - 2 * LogJacobian;
    }

    /// <summary>
    /// The pieces of the log-likelihood at θ (relative to σ, not normalized) and the structures' parameters: log|L_Z|²,
    /// log|R_X|², the penalized RSS and log|T|; false when a correlation matrix is not positive definite.
    /// </summary>
    public bool Parts(ReadOnlySpan<double> theta, ReadOnlySpan<double> structure, out double logDetZ, out double logDetX, out double pwrss, out double logJacobian)
    {
        logDetZ = logDetX = pwrss = logJacobian = double.NaN;
        if (!TransformInto(structure, _y, _x, _z, normalize: false)) return false;
        if (_workspace is null) _workspace = new LmmWorkspace(_transformed, Reml, centre: false);
        else _workspace.Refill();
        _workspace.SetTheta(theta);
        (logDetZ, logDetX, pwrss, logJacobian) = (_workspace.LogDetZ, _workspace.LogDetX, _workspace.PenalizedRss, LogJacobian);
        return true;
    }

    /// <summary>Xβ̂ + Zb̂ on the data's scale at x = (θ, structure), from the objective's workspace.</summary>
    public double[] FittedAt(ReadOnlySpan<double> x)
    {
        double value = Evaluate(x);
        if (value >= double.MaxValue / 1e10) throw new ModelException("a correlation matrix is not positive definite at the estimates");
        return StructuredFitter.Fitted(_design, _workspace!.Beta(), _workspace.ConditionalModes());
    }

    /// <summary>
    /// The transformed design at the structure parameters <paramref name="structure"/> (correlation then variance) in
    /// fresh arrays; null when a correlation matrix is not positive definite.
    /// </summary>
    public ModelDesign? Transform(ReadOnlySpan<double> structure)
    {
        var (y, x, z) = Buffers();
        return TransformInto(structure, y, x, z, normalize: false) ? _design.WithValues(y, x, z) : null;
    }

    /// <summary>
    /// Writes T y, T X and T Z into the given arrays (T = L⁻¹ G⁻¹ per correlation group) and sets
    /// <see cref="LogJacobian"/>; false when a correlation matrix is not positive definite. With
    /// <paramref name="normalize"/>, the SD factors are divided by their geometric mean (see <see cref="LogScale"/>).
    /// </summary>
    private bool TransformInto(ReadOnlySpan<double> structure, double[] ty, double[] tx, double[][] tz, bool normalize)
    {
        var corPar = structure[..CorrelationLength];
        var varPar = structure[CorrelationLength..];
        int n = _design.Observations, p = _design.X.Columns;
        double logJ = 0;
        if (_var is not null)
        {
            FillLogSd(varPar, _logSd);
            if (normalize)
            {
                double mean = Mean(_logSd);
                for (int i = 0; i < n; i++) _logSd[i] -= mean;
            }
            for (int i = 0; i < n; i++)
            {
                _a[i] = Math.Exp(-_logSd[i]);
                logJ -= _logSd[i];
            }
        }
        var y = _design.ResponseArray;
        var x = _design.X.Data;
        var terms = _design.TermsArray;
        if (_cor is null)
        {
            for (int i = 0; i < n; i++) ty[i] = _a[i] * y[i];
            for (int c = 0; c < p; c++) for (int i = 0; i < n; i++) tx[c * n + i] = _a[i] * x[c * n + i];
            for (int j = 0; j < terms.Length; j++)
            {
                int d = terms[j].Dimension;
                var z = terms[j].ZArray;
                var t = tz[j];
                for (int i = 0; i < n; i++) for (int b = 0; b < d; b++) t[i * d + b] = _a[i] * z[i * d + b];
            }
            LogJacobian = logJ;
            return true;
        }
        if (_cor.IsMarkov)
        {
            // The inverse factor of a Markov chain's correlation is bidiagonal: w₁ = v₁, wᵢ = (vᵢ − ρᵢ vᵢ₋₁)/√(1 − ρᵢ²),
            // applied to every column as one pass over the rows with per-row coefficients.
            if (!MarkovCoefficients(corPar, ref logJ)) return false;
            ApplyBidiagonal(y, 0, 1, ty);
            for (int col = 0; col < p; col++) ApplyBidiagonal(x, col * n, 1, tx);
            for (int j = 0; j < terms.Length; j++)
            {
                int d = terms[j].Dimension;
                for (int b = 0; b < d; b++) ApplyBidiagonal(terms[j].ZArray, b, d, tz[j]);
            }
            LogJacobian = logJ;
            return true;
        }
        for (int g = 0; g < _cor.GroupRows.Length; g++)
        {
            var rows = _cor.GroupRows[g];
            int m = rows.Length;
            var c = _c.AsSpan(0, m * m);
            _cor.Fill(corPar, g, c);
            if (!Cholesky(c, m, out double logDet)) return false;
            logJ -= logDet;
            Apply(c, rows, y, 0, 1, ty);
            for (int col = 0; col < p; col++) Apply(c, rows, x, col * n, 1, tx);
            for (int j = 0; j < terms.Length; j++)
            {
                int d = terms[j].Dimension;
                for (int b = 0; b < d; b++) Apply(c, rows, terms[j].ZArray, b, d, tz[j]);
            }
        }
        LogJacobian = logJ;
        return true;
    }

    /// <summary>
    /// The bidiagonal inverse factor of a Markov correlation times G⁻¹ as per-row coefficients: row r of the result is
    /// u[r]·v[r] − w[r]·v[prev[r]] (prev[r] the row before r in its group's time order; w = 0 for a group's first).
    /// Adds −log|L| to <paramref name="logJ"/>; false when a lag-one correlation is ±1.
    /// </summary>
    private bool MarkovCoefficients(ReadOnlySpan<double> corPar, ref double logJ)
    {
        double lastRho = double.NaN, scale = 1, halfLog = 0;
        for (int g = 0; g < _cor!.GroupRows.Length; g++)
        {
            var rows = _cor.GroupRows[g];
            int m = rows.Length;
            var order = _cor.Markov(corPar, g, _rho.AsSpan(0, m));
            int previous = rows[order[0]];
            _prev[previous] = previous;
            _u[previous] = _a[previous];
            _w[previous] = 0;
            for (int i = 1; i < m; i++)
            {
                double rho = _rho[i];
                if (rho != lastRho)
                {
                    double q = 1 - rho * rho;
                    if (!(q > 1e-300)) return false;
                    lastRho = rho;
                    scale = 1 / Math.Sqrt(q);
                    halfLog = 0.5 * Math.Log(q);
                }
                logJ -= halfLog;
                int r = rows[order[i]];
                _prev[r] = previous;
                _u[r] = scale * _a[r];
                _w[r] = scale * rho * _a[previous];
                previous = r;
            }
        }
        return true;
    }

    /// <summary>output = the bidiagonal transform of one column v stored at v[offset + stride·row].</summary>
    private void ApplyBidiagonal(double[] v, int offset, int stride, double[] output)
    {
        var u = _u;
        var w = _w;
        var prev = _prev;
        for (int r = 0; r < u.Length; r++)
            output[offset + stride * r] = u[r] * v[offset + stride * r] - w[r] * v[offset + stride * prev[r]];
    }

    /// <summary>out[rows] = L⁻¹ (a ∘ v[rows]) for one column v stored at v[offset + stride·row].</summary>
    private void Apply(Span<double> l, int[] rows, double[] v, int offset, int stride, double[] output)
    {
        int m = rows.Length;
        var w = _column.AsSpan(0, m);
        for (int i = 0; i < m; i++) w[i] = _a[rows[i]] * v[offset + stride * rows[i]];
        Solve(l, w);
        for (int i = 0; i < m; i++) output[offset + stride * rows[i]] = w[i];
    }

    /// <summary>w = L⁻¹ w by forward substitution, L the lower factor stored column by column (L[i, k] at l[k·m + i]).</summary>
    private static void Solve(ReadOnlySpan<double> l, Span<double> w)
    {
        int m = w.Length;
        for (int i = 0; i < m; i++)
        {
            double s = w[i];
            for (int k = 0; k < i; k++) s -= l[k * m + i] * w[k];
            w[i] = s / l[i * m + i];
        }
    }

    /// <summary>
    /// The normalized residuals: T applied to y − fitted (on the data's scale), divided by σ (nlme's
    /// <c>resid(type = "normalized")</c>), and the Pearson residuals (y − fitted)/(σ gᵢ).
    /// </summary>
    public (double[] Pearson, double[] Normalized) Residuals(ReadOnlySpan<double> structure, ReadOnlySpan<double> residual, double sigma)
    {
        int n = residual.Length;
        var corPar = structure[..CorrelationLength];
        var g = SdFactors(structure[CorrelationLength..]);
        var pearson = new double[n];
        for (int i = 0; i < n; i++) pearson[i] = residual[i] / (sigma * g[i]);
        if (_cor is null) return (pearson, (double[])pearson.Clone());
        var normalized = new double[n];
        for (int k = 0; k < _cor.GroupRows.Length; k++)
        {
            var rows = _cor.GroupRows[k];
            int m = rows.Length;
            var w = new double[m];
            for (int i = 0; i < m; i++) w[i] = pearson[rows[i]];
            if (_cor.IsMarkov && IsIdentity(_cor.Markov(corPar, k, _rho.AsSpan(0, m))))
            {
                // Rows already in time order: the Cholesky factor's inverse is the bidiagonal Markov one.
                double previous = w[0];
                for (int i = 1; i < m; i++)
                {
                    double current = w[i];
                    w[i] = (current - _rho[i] * previous) / Math.Sqrt(1 - _rho[i] * _rho[i]);
                    previous = current;
                }
            }
            else if (!_cor.Normalize(corPar, k, w))
            {
                var c = _c.AsSpan(0, m * m);
                _cor.Fill(corPar, k, c);
                Cholesky(c, m, out _);
                Solve(c, w);
            }
            for (int i = 0; i < m; i++) normalized[rows[i]] = w[i];
        }
        return (pearson, normalized);
    }

    private static bool IsIdentity(int[] order)
    {
        for (int i = 0; i < order.Length; i++) if (order[i] != i) return false;
        return true;
    }

    /// <summary>The standard-deviation factor gᵢ of each row at the variance parameters.</summary>
    public double[] SdFactors(ReadOnlySpan<double> varPar)
    {
        var logSd = new double[_design.Observations];
        FillLogSd(varPar, logSd);
        return Array.ConvertAll(logSd, Math.Exp);
    }

    private (double[] Y, double[] X, double[][] Z) Buffers() =>
        (new double[_design.Observations], new double[_design.X.Data.Length], _design.TermsArray.Select(t => new double[t.ZArray.Length]).ToArray());

    /// <summary>
    /// The lower Cholesky factor of the symmetric m × m matrix c in place, stored column by column (L[i, k] at c[k·m + i],
    /// the layout of the project's dense kernels), and log|L|; false when c is not positive definite.
    /// </summary>
    private static bool Cholesky(Span<double> c, int m, out double logDet)
    {
        logDet = 0;
        for (int j = 0; j < m; j++)
        {
            double s = c[j * m + j];
            for (int k = 0; k < j; k++) s -= c[k * m + j] * c[k * m + j];
            if (!(s > 1e-300)) return false;
            double d = Math.Sqrt(s);
            c[j * m + j] = d;
            logDet += Math.Log(d);
            for (int i = j + 1; i < m; i++)
            {
                double t = c[j * m + i];
                for (int k = 0; k < j; k++) t -= c[k * m + i] * c[k * m + j];
                c[j * m + i] = t / d;
            }
        }
        return true;
    }

    /// <summary>True when every correlation group lies within one level of every random-effects grouping.</summary>
    internal static bool Nested(ModelDesign design, BoundCorrelation cor) => Straddle(design, cor) is null;

    private static void CheckNesting(ModelDesign design, BoundCorrelation cor)
    {
        if (Straddle(design, cor) is not var (term, a, b)) return;
        throw new ModelException($"the correlation structure's groups are not nested in the random-effects grouping {term.GroupName}: one group spans its levels '{term.Levels[a]}' and '{term.Levels[b]}' (nlme: incompatible formulas for groups in 'random' and 'correlation')");
    }

    /// <summary>A random-effects term and two of its levels that one correlation group spans, or null when every group is nested.</summary>
    private static (RandomEffectsTerm Term, int First, int Other)? Straddle(ModelDesign design, BoundCorrelation cor)
    {
        foreach (var term in design.TermsArray)
        {
            var codes = term.CodesArray;
            foreach (var rows in cor.GroupRows)
                for (int i = 1; i < rows.Length; i++)
                    if (codes[rows[i]] != codes[rows[0]]) return (term, codes[rows[0]], codes[rows[i]]);
        }
        return null;
    }
}

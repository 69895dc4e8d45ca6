namespace MixedModels.Estimation;

/// <summary>
/// Powell's BOBYQA (2009): derivative-free minimization subject to simple bounds, by a trust-region method on a
/// quadratic model that interpolates the objective at 2n+1 points and is updated by the least-Frobenius-norm change
/// of its Hessian. Written from the description in Powell, "The BOBYQA algorithm for bound constrained optimization
/// without derivatives", Cambridge NA Report NA2009/06. Where Powell's method calls RESCUE (rounding errors have
/// damaged the interpolation system), this implementation rebuilds the interpolation set around the best point.
/// </summary>
internal partial class Bobyqa
{
    private readonly ObjectiveFunction _f;
    private readonly int _n, _npt, _nptm;
    private readonly double[] _xl, _xu;
    private readonly BobyqaOptions _options;

    // Interpolation and model state (Powell's names). Matrices are row-major.
    private readonly double[] _xbase, _xpt, _fval, _xopt, _gopt, _hq, _pq, _bmat, _zmat, _sl, _su;
    private readonly double[] _xnew, _xalt, _d, _vlag, _w, _x, _gnew, _xbdi, _s, _hs, _hred, _glag, _hcol, _wAlt;
    private int _nf, _kopt;
    private double[] _bestX = [];
    private double _bestF = double.PositiveInfinity;

    private Bobyqa(ObjectiveFunction f, double[] lower, double[] upper, BobyqaOptions options)
    {
        _f = f;
        _n = lower.Length;
        _npt = options.InterpolationPoints ?? 2 * _n + 1;
        _nptm = _npt - _n - 1;
        _xl = lower;
        _xu = upper;
        _options = options;
        int n = _n, npt = _npt;
        _xbase = new double[n]; _xpt = new double[npt * n]; _fval = new double[npt]; _xopt = new double[n];
        _gopt = new double[n]; _hq = new double[n * (n + 1) / 2]; _pq = new double[npt];
        _bmat = new double[(npt + n) * n]; _zmat = new double[npt * _nptm]; _sl = new double[n]; _su = new double[n];
        _xnew = new double[n]; _xalt = new double[n]; _d = new double[n]; _vlag = new double[npt + n];
        _w = new double[3 * (npt + n)]; _x = new double[n]; _gnew = new double[n]; _xbdi = new double[n];
        _s = new double[n]; _hs = new double[n]; _hred = new double[n]; _glag = new double[n]; _hcol = new double[npt];
        _wAlt = new double[2 * n];
    }

    /// <summary>Minimizes <paramref name="f"/> from <paramref name="start"/> subject to lower ≤ x ≤ upper (bounds may be infinite).</summary>
    public static OptimizationResult Minimize(ObjectiveFunction f, ReadOnlySpan<double> start, ReadOnlySpan<double> lower,
        ReadOnlySpan<double> upper, BobyqaOptions? options = null)
    {
        options ??= new BobyqaOptions();
        options.Validate();
        int n = start.Length;
        if (n == 0) return new OptimizationResult([], f([]), 1, OptimizationStatus.Converged);
        if (lower.Length != n || upper.Length != n) throw new ArgumentException("bounds must have the length of the start point");
        double rhobeg = options.InitialRadius;
        if (options.InterpolationPoints is int npt && (npt < 2 * n + 1 || npt > (n + 1) * (n + 2) / 2))
            throw new ArgumentOutOfRangeException(nameof(BobyqaOptions.InterpolationPoints), npt, $"the number of interpolation points must be between 2n+1 = {2 * n + 1} and (n+1)(n+2)/2 = {(n + 1) * (n + 2) / 2}");
        for (int j = 0; j < n; j++)
            if (upper[j] - lower[j] < 2 * rhobeg)
                throw new ArgumentException($"variable {j}: the bounds must be at least twice the initial radius apart");
        var opt = new Bobyqa(f, lower.ToArray(), upper.ToArray(), options);
        var x = start.ToArray();
        for (int j = 0; j < n; j++) x[j] = Math.Clamp(x[j], lower[j], upper[j]);
        return opt.Run(x);
    }

    private ref double Xpt(int k, int j) => ref _xpt[k * _n + j];

    private ref double Bmat(int r, int j) => ref _bmat[r * _n + j];

    private ref double Zmat(int k, int j) => ref _zmat[k * _nptm + j];

    private double Evaluate(ReadOnlySpan<double> x)
    {
        _nf++;
        double v = _f(x);
        v = double.IsNaN(v) ? double.MaxValue : Math.Min(v, double.MaxValue);
        if (v < _bestF || _bestX.Length == 0) { _bestF = v; _bestX = x.ToArray(); }
        return v;
    }

    /// <summary>Sets xbase near x0 (moved onto or away from close bounds as Powell prescribes) and the shifted bounds.</summary>
    private void SetBase(double[] x, double rhobeg)
    {
        for (int j = 0; j < _n; j++)
        {
            double temp = _xu[j] - _xl[j];
            _sl[j] = _xl[j] - x[j];
            _su[j] = _xu[j] - x[j];
            if (_sl[j] >= -rhobeg)
            {
                if (_sl[j] >= 0) { x[j] = _xl[j]; _sl[j] = 0; _su[j] = temp; }
                else { x[j] = _xl[j] + rhobeg; _sl[j] = -rhobeg; _su[j] = Math.Max(_xu[j] - x[j], rhobeg); }
            }
            else if (_su[j] <= rhobeg)
            {
                if (_su[j] <= 0) { x[j] = _xu[j]; _sl[j] = -temp; _su[j] = 0; }
                else { x[j] = _xu[j] - rhobeg; _sl[j] = Math.Min(_xl[j] - x[j], -rhobeg); _su[j] = rhobeg; }
            }
        }
    }

    /// <summary>The point xbase + v, put exactly on a bound where v is on a shifted bound.</summary>
    private void PointAt(ReadOnlySpan<double> v, double[] x)
    {
        for (int j = 0; j < _n; j++)
        {
            x[j] = Math.Min(Math.Max(_xl[j], _xbase[j] + v[j]), _xu[j]);
            if (v[j] == _sl[j]) x[j] = _xl[j];
            if (v[j] == _su[j]) x[j] = _xu[j];
        }
    }

    /// <summary>
    /// PRELIM: the initial 2n+1 interpolation points (x0 and x0 ± ρ_beg along each axis, respecting bounds), the
    /// initial quadratic model (gradient and diagonal Hessian from those values), and the matrices BMAT and ZMAT
    /// that represent the inverse of the interpolation system. Returns false when the evaluation limit is reached.
    /// </summary>
    private bool Prelim(double[] x0, double rhobeg)
    {
        int n = _n, npt = _npt;
        double rhosq = rhobeg * rhobeg;
        x0.CopyTo(_xbase, 0);
        Array.Clear(_xpt); Array.Clear(_bmat); Array.Clear(_hq); Array.Clear(_pq); Array.Clear(_zmat);
        double fbeg = 0;
        var point = new double[n];
        for (int kk = 0; kk < npt; kk++)
        {
            double stepa = 0, stepb = 0;
            int j = -1;
            if (kk >= 1 && kk <= n)
            {
                j = kk - 1;
                stepa = rhobeg;
                if (_su[j] == 0) stepa = -stepa;
                Xpt(kk, j) = stepa;
            }
            else if (kk > n && kk <= 2 * n)
            {
                j = kk - n - 1;
                stepa = Xpt(kk - n, j);
                stepb = -rhobeg;
                if (_sl[j] == 0) stepb = Math.Min(2 * rhobeg, _su[j]);
                if (_su[j] == 0) stepb = Math.Max(-2 * rhobeg, _sl[j]);
                Xpt(kk, j) = stepb;
            }
            int ipt = 0, jpt = 0;
            if (kk > 2 * n)
            {
                // Powell's further points x0 + step_i e_i + step_j e_j, which give the off-diagonal Hessian elements.
                int itemp = (kk - n - 1) / n;
                jpt = kk - itemp * n - n;
                ipt = jpt + itemp;
                if (ipt > n) { int t = jpt; jpt = ipt - n; ipt = t; }
                Xpt(kk, ipt - 1) = Xpt(ipt, ipt - 1);
                Xpt(kk, jpt - 1) = Xpt(jpt, jpt - 1);
            }
            if (_nf >= _options.MaxEvaluations) return false;
            PointAt(_xpt.AsSpan(kk * n, n), point);
            double f = Evaluate(point);
            _fval[kk] = f;
            if (kk == 0) { fbeg = f; _kopt = 0; }
            else if (f < _fval[_kopt]) _kopt = kk;

            if (kk >= 1 && kk <= n) _gopt[j] = (f - fbeg) / stepa;
            else if (kk > 2 * n)
            {
                int c = kk - n - 1;
                double recip = 1 / rhosq;
                Zmat(0, c) = recip;
                Zmat(kk, c) = recip;
                Zmat(ipt, c) = -recip;
                Zmat(jpt, c) = -recip;
                int i0 = ipt - 1, j0 = jpt - 1;
                _hq[i0 * (i0 + 1) / 2 + j0] = (fbeg - _fval[ipt] - _fval[jpt] + f) / (Xpt(kk, i0) * Xpt(kk, j0));
            }
            else if (kk > n)
            {
                int ih = j * (j + 1) / 2 + j;
                double temp = (f - fbeg) / stepb;
                double diff = stepb - stepa;
                _hq[ih] = 2 * (temp - _gopt[j]) / diff;
                _gopt[j] = (_gopt[j] * stepb - temp * stepa) / diff;
                if (stepa * stepb < 0 && f < _fval[kk - n])
                {
                    _fval[kk] = _fval[kk - n];
                    _fval[kk - n] = f;
                    if (_kopt == kk) _kopt = kk - n;
                    Xpt(kk - n, j) = stepb;
                    Xpt(kk, j) = stepa;
                }
                Bmat(0, j) = -(stepa + stepb) / (stepa * stepb);
                Bmat(kk, j) = -0.5 / Xpt(kk - n, j);
                Bmat(kk - n, j) = -Bmat(0, j) - Bmat(kk, j);
                Zmat(0, j) = Math.Sqrt(2.0) / (stepa * stepb);
                Zmat(kk, j) = Math.Sqrt(0.5) / rhosq;
                Zmat(kk - n, j) = -Zmat(0, j) - Zmat(kk, j);
            }
        }
        return true;
    }
}

using System.Runtime.CompilerServices;
namespace MixedModels.Estimation;

internal partial class Bobyqa
{
    private enum Step { UpdateGradient, TrustRegion, ShiftBase, Restart, Alternative, Denominators, Evaluate, FarPoint, ReduceRho, Finish }

    /// <summary>BOBYQB: the main iteration.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private OptimizationResult Run(double[] x0)
    {
        int n = _n, npt = _npt, nptm = _nptm, nh = n * (n + 1) / 2;
        double rhobeg = _options.InitialRadius, rhoend = _options.FinalRadius;
        var status = OptimizationStatus.Converged;
        SetBase(x0, rhobeg);
        if (!Prelim(x0, rhobeg)) return Best(OptimizationStatus.MaxEvaluations, double.MaxValue);
        if (!(_fval[0] < double.MaxValue)) return new OptimizationResult(_xbase.ToArray(), _fval[0], _nf, OptimizationStatus.InvalidObjective);

        double xoptsq = SetXopt();
        double fsave = _fval[0];
        int kbase = 0;
        double rho = rhobeg, delta = rho;
        int nresc = _nf, ntrits = 0, nfsav = _nf, itest = 0, knew = -1;
        double diffa = 0, diffb = 0, diffc = 0, ratio = 1, dnorm = 0, dsq = 0, crvmin = 0;
        double alpha = 0, cauchy = 0, beta = 0, denom = 0, adelt = 0, distsq = 0, vquad = 0, f = 0;
        var step = Step.UpdateGradient;

        while (true)
        {
            switch (step)
            {
                case Step.UpdateGradient:
                    if (_kopt != kbase)
                    {
                        int ih = 0;
                        for (int j = 0; j < n; j++)
                            for (int i = 0; i <= j; i++, ih++)
                            {
                                if (i < j) _gopt[j] += _hq[ih] * _xopt[i];
                                _gopt[i] += _hq[ih] * _xopt[j];
                            }
                        if (_nf > npt)
                            for (int k = 0; k < npt; k++)
                            {
                                double temp = _pq[k] * DotXpt(k, _xopt);
                                for (int i = 0; i < n; i++) _gopt[i] += temp * Xpt(k, i);
                            }
                    }
                    step = Step.TrustRegion;
                    break;

                case Step.TrustRegion:
                {
                    Trsbox(delta, out dsq, out crvmin);
                    dnorm = Math.Min(delta, Math.Sqrt(dsq));
                    if (dnorm < 0.5 * rho)
                    {
                        ntrits = -1;
                        distsq = 100 * rho * rho;
                        if (_nf <= nfsav + 2) { step = Step.FarPoint; break; }
                        double errbig = Math.Max(diffa, Math.Max(diffb, diffc));
                        double frhosq = 0.125 * rho * rho;
                        if (crvmin > 0 && errbig > frhosq * crvmin) { step = Step.FarPoint; break; }
                        double bdtol = errbig / rho;
                        bool far = false;
                        for (int j = 0; j < n && !far; j++)
                        {
                            double bdtest = bdtol;
                            if (_xnew[j] == _sl[j]) bdtest = _gnew[j];
                            if (_xnew[j] == _su[j]) bdtest = -_gnew[j];
                            if (bdtest < bdtol)
                            {
                                double curv = _hq[j * (j + 1) / 2 + j];
                                for (int k = 0; k < npt; k++) curv += _pq[k] * Xpt(k, j) * Xpt(k, j);
                                bdtest += 0.5 * curv * rho;
                                if (bdtest < bdtol) far = true;
                            }
                        }
                        step = far ? Step.FarPoint : Step.ReduceRho;
                        break;
                    }
                    ntrits++;
                    step = Step.ShiftBase;
                    break;
                }

                case Step.ShiftBase:
                    if (dsq <= 1e-3 * xoptsq) { ShiftBase(xoptsq); xoptsq = 0; }
                    step = ntrits == 0 ? Step.Alternative : Step.Denominators;
                    break;

                case Step.Restart:
                {
                    // In place of Powell's RESCUE: rebuild the interpolation set around the best point.
                    var xb = new double[n];
                    PointAt(_xopt, xb);
                    double fb = _fval[_kopt];
                    double r = Math.Min(rho, 0.25 * rhobeg);
                    SetBase(xb, r);
                    nfsav = _nf;
                    if (!Prelim(xb, r)) { status = OptimizationStatus.MaxEvaluations; step = Step.Finish; break; }
                    fsave = Math.Min(fsave, fb);
                    kbase = 0;
                    xoptsq = SetXopt();
                    nresc = _nf;
                    diffa = diffb = diffc = 0;
                    ntrits = 0;
                    delta = Math.Max(delta, rho);
                    step = Step.UpdateGradient;
                    break;
                }

                case Step.Alternative:
                    Altmov(knew, adelt, out alpha, out cauchy);
                    for (int i = 0; i < n; i++) _d[i] = _xnew[i] - _xopt[i];
                    step = Step.Denominators;
                    break;

                case Step.Denominators:
                {
                    beta = Denominators(xoptsq, out dsq);
                    if (ntrits == 0)
                    {
                        denom = _vlag[knew] * _vlag[knew] + alpha * beta;
                        if (denom < cauchy && cauchy > 0)
                        {
                            for (int i = 0; i < n; i++) { _xnew[i] = _xalt[i]; _d[i] = _xnew[i] - _xopt[i]; }
                            cauchy = 0;
                            break;
                        }
                        if (denom <= 0.5 * _vlag[knew] * _vlag[knew])
                        {
                            if (_nf > nresc) { step = Step.Restart; break; }
                            status = OptimizationStatus.RoundingErrors;
                            step = Step.Finish;
                            break;
                        }
                    }
                    else
                    {
                        if (!ChoosePointToReplace(beta, delta, _xopt, skip: _kopt, out knew, out denom))
                        {
                            if (_nf > nresc) { step = Step.Restart; break; }
                            status = OptimizationStatus.RoundingErrors;
                            step = Step.Finish;
                            break;
                        }
                    }
                    step = Step.Evaluate;
                    break;
                }

                case Step.Evaluate:
                {
                    PointAt(_xnew, _x);
                    if (_nf >= _options.MaxEvaluations) { status = OptimizationStatus.MaxEvaluations; step = Step.Finish; break; }
                    f = Evaluate(_x);
                    if (ntrits == -1) { fsave = f; step = Step.Finish; break; }
                    double fopt = _fval[_kopt];
                    vquad = 0;
                    int ih = 0;
                    for (int j = 0; j < n; j++)
                    {
                        vquad += _d[j] * _gopt[j];
                        for (int i = 0; i <= j; i++, ih++)
                        {
                            double temp = _d[i] * _d[j];
                            if (i == j) temp *= 0.5;
                            vquad += _hq[ih] * temp;
                        }
                    }
                    for (int k = 0; k < npt; k++) vquad += 0.5 * _pq[k] * _w[npt + k] * _w[npt + k];
                    double diff = f - fopt - vquad;
                    diffc = diffb; diffb = diffa; diffa = Math.Abs(diff);
                    if (dnorm > rho) nfsav = _nf;
                    if (ntrits > 0)
                    {
                        if (vquad >= 0) { status = OptimizationStatus.StepFailed; step = Step.Finish; break; }
                        ratio = (f - fopt) / vquad;
                        if (ratio <= 0.1) delta = Math.Min(0.5 * delta, dnorm);
                        else if (ratio <= 0.7) delta = Math.Max(0.5 * delta, dnorm);
                        else delta = Math.Max(0.5 * delta, 2 * dnorm);
                        if (delta <= 1.5 * rho) delta = rho;
                        if (f < fopt)
                        {
                            if (ChoosePointToReplace(beta, delta, _xnew, skip: -1, out int k2, out double d2)) { knew = k2; denom = d2; }
                        }
                    }

                    Update(beta, denom, knew);
                    ih = 0;
                    double pqold = _pq[knew];
                    _pq[knew] = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double temp = pqold * Xpt(knew, i);
                        for (int j = 0; j <= i; j++, ih++) _hq[ih] += temp * Xpt(knew, j);
                    }
                    for (int jj = 0; jj < nptm; jj++)
                    {
                        double temp = diff * Zmat(knew, jj);
                        for (int k = 0; k < npt; k++) _pq[k] += temp * Zmat(k, jj);
                    }

                    _fval[knew] = f;
                    for (int i = 0; i < n; i++) { Xpt(knew, i) = _xnew[i]; _w[i] = Bmat(knew, i); }
                    for (int k = 0; k < npt; k++)
                    {
                        double suma = 0;
                        for (int jj = 0; jj < nptm; jj++) suma += Zmat(knew, jj) * Zmat(k, jj);
                        double temp = suma * DotXpt(k, _xopt);
                        for (int i = 0; i < n; i++) _w[i] += temp * Xpt(k, i);
                    }
                    for (int i = 0; i < n; i++) _gopt[i] += diff * _w[i];

                    if (f < fopt)
                    {
                        _kopt = knew;
                        xoptsq = 0;
                        ih = 0;
                        for (int j = 0; j < n; j++)
                        {
                            _xopt[j] = _xnew[j];
                            xoptsq += _xopt[j] * _xopt[j];
                            for (int i = 0; i <= j; i++, ih++)
                            {
                                if (i < j) _gopt[j] += _hq[ih] * _d[i];
                                _gopt[i] += _hq[ih] * _d[j];
                            }
                        }
                        for (int k = 0; k < npt; k++)
                        {
                            double temp = _pq[k] * DotXpt(k, _d);
                            for (int i = 0; i < n; i++) _gopt[i] += temp * Xpt(k, i);
                        }
                    }

                    if (ntrits > 0)
                    {
                        // The least Frobenius norm interpolant; replace the model by it if its gradient is much smaller.
                        for (int k = 0; k < npt; k++) { _vlag[k] = _fval[k] - _fval[_kopt]; _w[k] = 0; }
                        for (int j = 0; j < nptm; j++)
                        {
                            double sum = 0;
                            for (int k = 0; k < npt; k++) sum += Zmat(k, j) * _vlag[k];
                            for (int k = 0; k < npt; k++) _w[k] += sum * Zmat(k, j);
                        }
                        for (int k = 0; k < npt; k++)
                        {
                            double sum = DotXpt(k, _xopt);
                            _w[k + npt] = _w[k];
                            _w[k] = sum * _w[k];
                        }
                        double gqsq = 0, gisq = 0;
                        for (int i = 0; i < n; i++)
                        {
                            double sum = 0;
                            for (int k = 0; k < npt; k++) sum += Bmat(k, i) * _vlag[k] + Xpt(k, i) * _w[k];
                            if (_xopt[i] == _sl[i])
                            {
                                gqsq += Math.Pow(Math.Min(0, _gopt[i]), 2);
                                gisq += Math.Pow(Math.Min(0, sum), 2);
                            }
                            else if (_xopt[i] == _su[i])
                            {
                                gqsq += Math.Pow(Math.Max(0, _gopt[i]), 2);
                                gisq += Math.Pow(Math.Max(0, sum), 2);
                            }
                            else { gqsq += _gopt[i] * _gopt[i]; gisq += sum * sum; }
                            _vlag[npt + i] = sum;
                        }
                        itest++;
                        if (gqsq < 10 * gisq) itest = 0;
                        if (itest >= 3)
                        {
                            for (int i = 0; i < Math.Max(npt, nh); i++)
                            {
                                if (i < n) _gopt[i] = _vlag[npt + i];
                                if (i < npt) _pq[i] = _w[npt + i];
                                if (i < nh) _hq[i] = 0;
                            }
                            itest = 0;
                        }
                    }
                    if (ntrits == 0) { step = Step.TrustRegion; break; }
                    if (f <= fopt + 0.1 * vquad) { step = Step.TrustRegion; break; }
                    distsq = Math.Max(4 * delta * delta, 100 * rho * rho);
                    step = Step.FarPoint;
                    break;
                }

                case Step.FarPoint:
                {
                    knew = -1;
                    for (int k = 0; k < npt; k++)
                    {
                        double sum = DistSq(k, _xopt);
                        if (sum > distsq) { knew = k; distsq = sum; }
                    }
                    if (knew >= 0)
                    {
                        double dist = Math.Sqrt(distsq);
                        if (ntrits == -1)
                        {
                            delta = Math.Min(0.1 * delta, 0.5 * dist);
                            if (delta <= 1.5 * rho) delta = rho;
                        }
                        ntrits = 0;
                        adelt = Math.Max(Math.Min(0.1 * dist, delta), rho);
                        dsq = adelt * adelt;
                        step = Step.ShiftBase;
                        break;
                    }
                    if (ntrits == -1) { step = Step.ReduceRho; break; }
                    if (ratio > 0) { step = Step.TrustRegion; break; }
                    if (Math.Max(delta, dnorm) > rho) { step = Step.TrustRegion; break; }
                    step = Step.ReduceRho;
                    break;
                }

                case Step.ReduceRho:
                    if (rho > rhoend)
                    {
                        delta = 0.5 * rho;
                        ratio = rho / rhoend;
                        if (ratio <= 16) rho = rhoend;
                        else if (ratio <= 250) rho = Math.Sqrt(ratio) * rhoend;
                        else rho = 0.1 * rho;
                        delta = Math.Max(delta, rho);
                        ntrits = 0;
                        nfsav = _nf;
                        step = Step.TrustRegion;
                        break;
                    }
                    step = ntrits == -1 ? Step.Evaluate : Step.Finish;
                    break;

                case Step.Finish:
                    return Best(status, fsave);
            }
        }
    }

    /// <summary>The best point evaluated (tracked over every evaluation, including those of a rebuilt interpolation set).</summary>
    private OptimizationResult Best(OptimizationStatus status, double fsave)
    {
        _ = fsave;
        return new OptimizationResult(_bestX.ToArray(), _bestF, _nf, status);
    }

    /// <summary>
    /// The interpolation point whose replacement by the new point gives the largest denominator of the updating
    /// formula, weighted by its distance from <paramref name="center"/> relative to delta. False when rounding errors
    /// have made every such denominator too small (Powell's test SCADEN ≤ BIGLSQ / 2).
    /// </summary>
    private bool ChoosePointToReplace(double beta, double delta, ReadOnlySpan<double> center, int skip, out int knew, out double denom)
    {
        double delsq = delta * delta, scaden = 0, biglsq = 0;
        knew = -1;
        denom = 0;
        for (int k = 0; k < _npt; k++)
        {
            if (k == skip) continue;
            double hdiag = 0;
            for (int jj = 0; jj < _nptm; jj++) hdiag += Zmat(k, jj) * Zmat(k, jj);
            double den = beta * hdiag + _vlag[k] * _vlag[k];
            double dist = DistSq(k, center);
            double temp = Math.Max(1, dist / delsq * (dist / delsq));
            if (temp * den > scaden) { scaden = temp * den; knew = k; denom = den; }
            biglsq = Math.Max(biglsq, temp * _vlag[k] * _vlag[k]);
        }
        return knew >= 0 && scaden > 0.5 * biglsq;
    }

    private double SetXopt()
    {
        double s = 0;
        for (int i = 0; i < _n; i++) { _xopt[i] = Xpt(_kopt, i); s += _xopt[i] * _xopt[i]; }
        return s;
    }

    private double DotXpt(int k, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < _n; i++) s += Xpt(k, i) * v[i];
        return s;
    }

    private double DistSq(int k, ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < _n; i++) { double t = Xpt(k, i) - v[i]; s += t * t; }
        return s;
    }
}

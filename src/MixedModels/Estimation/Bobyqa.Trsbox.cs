using System.Runtime.CompilerServices;
namespace MixedModels.Estimation;

internal partial class Bobyqa
{
    /// <summary>hs = (model Hessian) s, with the Hessian held as HQ + Σ_k PQ_k xpt_k xpt_k'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HessianTimes(ReadOnlySpan<double> s, Span<double> hs)
    {
        int n = _n;
        hs[..n].Clear();
        int ih = 0;
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j; i++, ih++)
            {
                if (i < j) hs[j] += _hq[ih] * s[i];
                hs[i] += _hq[ih] * s[j];
            }
        for (int k = 0; k < _npt; k++)
        {
            if (_pq[k] == 0) continue;
            double temp = _pq[k] * DotXpt(k, s);
            for (int i = 0; i < n; i++) hs[i] += temp * Xpt(k, i);
        }
    }

    /// <summary>
    /// TRSBOX: an approximate minimizer d of the quadratic model within the trust region ‖d‖ ≤ delta and the bounds,
    /// by truncated conjugate gradients that fix variables reaching a bound, followed by searches along circular arcs
    /// in the free variables when the trust region boundary is reached. Sets XNEW = XOPT + D and GNEW (the model
    /// gradient at XNEW); returns |D|² and the least curvature seen (0 if the boundary was reached, −1 if none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Trsbox(double delta, out double dsq, out double crvmin)
    {
        int n = _n;
        var xbdi = _xbdi;
        var s = _s;
        var hs = _hs;
        var hred = _hred;
        var d = _d;
        var gnew = _gnew;
        int iterc = 0, nact = 0;
        for (int i = 0; i < n; i++)
        {
            xbdi[i] = 0;
            if (_xopt[i] <= _sl[i]) { if (_gopt[i] >= 0) xbdi[i] = -1; }
            else if (_xopt[i] >= _su[i] && _gopt[i] <= 0) xbdi[i] = 1;
            if (xbdi[i] != 0) nact++;
            d[i] = 0;
            gnew[i] = _gopt[i];
        }
        double delsq = delta * delta, qred = 0;
        crvmin = -1;
        double beta = 0, gredsq = 0, ggsav = 0;
        int itermax = 0;
        bool boundaryReached = false;

        // Truncated conjugate gradients.
        bool restart = true;
        while (true)
        {
            if (restart) { beta = 0; restart = false; }
            double stepsq = 0;
            for (int i = 0; i < n; i++)
            {
                if (xbdi[i] != 0) s[i] = 0;
                else if (beta == 0) s[i] = -gnew[i];
                else s[i] = beta * s[i] - gnew[i];
                stepsq += s[i] * s[i];
            }
            if (stepsq == 0) goto Finish;
            if (beta == 0) { gredsq = stepsq; itermax = iterc + n - nact; }
            if (gredsq * delsq <= 1e-4 * qred * qred) goto Finish;

            HessianTimes(s, hs);
            double resid = delsq, ds = 0, shs = 0;
            for (int i = 0; i < n; i++)
                if (xbdi[i] == 0)
                {
                    resid -= d[i] * d[i];
                    ds += s[i] * d[i];
                    shs += s[i] * hs[i];
                }
            if (resid <= 0) { boundaryReached = true; break; }
            double temp = Math.Sqrt(stepsq * resid + ds * ds);
            double blen = ds < 0 ? (temp - ds) / stepsq : resid / (temp + ds);
            double stplen = blen;
            if (shs > 0) stplen = Math.Min(blen, gredsq / shs);

            int iact = -1;
            for (int i = 0; i < n; i++)
            {
                if (s[i] == 0) continue;
                double xsum = _xopt[i] + d[i];
                double t = s[i] > 0 ? (_su[i] - xsum) / s[i] : (_sl[i] - xsum) / s[i];
                if (t < stplen) { stplen = t; iact = i; }
            }

            double sdec = 0;
            if (stplen > 0)
            {
                iterc++;
                temp = shs / stepsq;
                if (iact < 0 && temp > 0)
                {
                    crvmin = Math.Min(crvmin, temp);
                    if (crvmin == -1) crvmin = temp;
                }
                ggsav = gredsq;
                gredsq = 0;
                for (int i = 0; i < n; i++)
                {
                    gnew[i] += stplen * hs[i];
                    if (xbdi[i] == 0) gredsq += gnew[i] * gnew[i];
                    d[i] += stplen * s[i];
                }
                sdec = Math.Max(stplen * (ggsav - 0.5 * stplen * shs), 0);
                qred += sdec;
            }

            if (iact >= 0)
            {
                nact++;
                xbdi[iact] = s[iact] < 0 ? -1 : 1;
                delsq -= d[iact] * d[iact];
                if (delsq <= 0) { boundaryReached = true; break; }
                restart = true;
                continue;
            }
            if (stplen < blen)
            {
                if (iterc == itermax) goto Finish;
                if (sdec <= 0.01 * qred) goto Finish;
                beta = gredsq / ggsav;
                continue;
            }
            boundaryReached = true;
            break;
        }

        if (boundaryReached)
        {
            crvmin = 0;
            ArcSearch(ref iterc, ref nact, ref qred);
        }

    Finish:
        dsq = 0;
        for (int i = 0; i < n; i++)
        {
            _xnew[i] = Math.Max(Math.Min(_xopt[i] + d[i], _su[i]), _sl[i]);
            if (xbdi[i] == -1) _xnew[i] = _sl[i];
            if (xbdi[i] == 1) _xnew[i] = _su[i];
            d[i] = _xnew[i] - _xopt[i];
            dsq += d[i] * d[i];
        }
    }

    /// <summary>
    /// The alternative iterations of TRSBOX: with d on the trust region boundary, rotate d along circular arcs in the
    /// plane of the reduced d and the reduced gradient, fixing variables that reach a bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ArcSearch(ref int iterc, ref int nact, ref double qred)
    {
        int n = _n;
        var xbdi = _xbdi;
        var s = _s;
        var hs = _hs;
        var hred = _hred;
        var d = _d;
        var gnew = _gnew;
        while (true)
        {
            // Label 100: prepare, computing HRED = H (reduced d).
            if (nact >= n - 1) return;
            double dredsq = 0, dredg = 0, gredsq = 0;
            for (int i = 0; i < n; i++)
            {
                if (xbdi[i] == 0)
                {
                    dredsq += d[i] * d[i];
                    dredg += d[i] * gnew[i];
                    gredsq += gnew[i] * gnew[i];
                    s[i] = d[i];
                }
                else s[i] = 0;
            }
            HessianTimes(s, hred);

            bool refix = false;
            while (true)
            {
                // Label 120.
                iterc++;
                double temp = gredsq * dredsq - dredg * dredg;
                if (temp <= 1e-4 * qred * qred) return;
                temp = Math.Sqrt(temp);
                for (int i = 0; i < n; i++) s[i] = xbdi[i] == 0 ? (dredg * d[i] - dredsq * gnew[i]) / temp : 0;
                double sredg = -temp;

                double angbd = 1;
                int iact = -1;
                double xsav = 0;
                for (int i = 0; i < n; i++)
                {
                    if (xbdi[i] != 0) continue;
                    double tempa = _xopt[i] + d[i] - _sl[i];
                    double tempb = _su[i] - _xopt[i] - d[i];
                    if (tempa <= 0) { nact++; xbdi[i] = -1; refix = true; break; }
                    if (tempb <= 0) { nact++; xbdi[i] = 1; refix = true; break; }
                    double ssq = d[i] * d[i] + s[i] * s[i];
                    double t = ssq - (_xopt[i] - _sl[i]) * (_xopt[i] - _sl[i]);
                    if (t > 0)
                    {
                        t = Math.Sqrt(t) - s[i];
                        if (angbd * t > tempa) { angbd = tempa / t; iact = i; xsav = -1; }
                    }
                    t = ssq - (_su[i] - _xopt[i]) * (_su[i] - _xopt[i]);
                    if (t > 0)
                    {
                        t = Math.Sqrt(t) + s[i];
                        if (angbd * t > tempb) { angbd = tempb / t; iact = i; xsav = 1; }
                    }
                }
                if (refix) break;

                HessianTimes(s, hs);
                double shs = 0, dhs = 0, dhd = 0;
                for (int i = 0; i < n; i++)
                    if (xbdi[i] == 0)
                    {
                        shs += s[i] * hs[i];
                        dhs += d[i] * hs[i];
                        dhd += d[i] * hred[i];
                    }

                double redmax = 0, redsav = 0, rdprev = 0, rdnext = 0, angt = 0;
                int isav = -1;
                int iu = (int)(17 * angbd + 3.1);
                for (int i = 1; i <= iu; i++)
                {
                    angt = angbd * i / iu;
                    double sth0 = (angt + angt) / (1 + angt * angt);
                    double tmp = shs + angt * (angt * dhd - dhs - dhs);
                    double rednew = sth0 * (angt * dredg - sredg - 0.5 * sth0 * tmp);
                    if (rednew > redmax) { redmax = rednew; isav = i; rdprev = redsav; }
                    else if (i == isav + 1) rdnext = rednew;
                    redsav = rednew;
                }
                if (isav < 0) return;
                if (isav < iu)
                {
                    double t = (rdnext - rdprev) / (redmax + redmax - rdprev - rdnext);
                    angt = angbd * (isav + 0.5 * t) / iu;
                }
                else angt = angbd;
                double cth = (1 - angt * angt) / (1 + angt * angt);
                double sth = (angt + angt) / (1 + angt * angt);
                double tq = shs + angt * (angt * dhd - dhs - dhs);
                double sdec = sth * (angt * dredg - sredg - 0.5 * sth * tq);
                if (sdec <= 0) return;

                dredg = 0;
                gredsq = 0;
                for (int i = 0; i < n; i++)
                {
                    gnew[i] = gnew[i] + (cth - 1) * hred[i] + sth * hs[i];
                    if (xbdi[i] == 0)
                    {
                        d[i] = cth * d[i] + sth * s[i];
                        dredg += d[i] * gnew[i];
                        gredsq += gnew[i] * gnew[i];
                    }
                    hred[i] = cth * hred[i] + sth * hs[i];
                }
                qred += sdec;
                if (iact >= 0 && isav == iu)
                {
                    nact++;
                    xbdi[iact] = xsav;
                    refix = true;
                    break;
                }
                // The rotation keeps |reduced d|, so dredsq carries over to the next arc iteration.
                if (sdec <= 0.01 * qred) return;
            }
            if (!refix) return;
        }
    }
}

using System.Runtime.CompilerServices;
namespace MixedModels.Estimation;

internal partial class Bobyqa
{
    /// <summary>
    /// ALTMOV: two candidate new positions for interpolation point <paramref name="knew"/> within distance
    /// <paramref name="adelt"/> of XOPT that keep the interpolation system well conditioned. XNEW maximizes the
    /// predicted denominator along lines through XOPT and the other interpolation points; XALT is a constrained Cauchy
    /// step of the KNEW-th Lagrange function, whose square value there is returned in <paramref name="cauchy"/>.
    /// <paramref name="alpha"/> is the KNEW-th diagonal element of the H matrix.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Altmov(int knew, double adelt, out double alpha, out double cauchy)
    {
        int n = _n, npt = _npt, nptm = _nptm;
        double constant = 1 + Math.Sqrt(2.0);
        var hcol = _hcol;
        var glag = _glag;
        var w = _wAlt;
        Array.Clear(hcol);
        for (int j = 0; j < nptm; j++)
        {
            double temp = Zmat(knew, j);
            for (int k = 0; k < npt; k++) hcol[k] += temp * Zmat(k, j);
        }
        alpha = hcol[knew];
        double ha = 0.5 * alpha;

        // Gradient of the KNEW-th Lagrange function at XOPT.
        for (int i = 0; i < n; i++) glag[i] = Bmat(knew, i);
        for (int k = 0; k < npt; k++)
        {
            double temp = DotXpt(k, _xopt) * hcol[k];
            for (int i = 0; i < n; i++) glag[i] += temp * Xpt(k, i);
        }

        // Search along the lines through XOPT and each other interpolation point.
        double presav = 0, stpsav = 0;
        int ksav = -1, ibdsav = 0;
        for (int k = 0; k < npt; k++)
        {
            if (k == _kopt) continue;
            double dderiv = 0, distsq = 0;
            for (int i = 0; i < n; i++)
            {
                double temp = Xpt(k, i) - _xopt[i];
                dderiv += glag[i] * temp;
                distsq += temp * temp;
            }
            double subd = adelt / Math.Sqrt(distsq);
            double slbd = -subd;
            int ilbd = 0, iubd = 0;
            double sumin = Math.Min(1, subd);
            for (int i = 0; i < n; i++)
            {
                double temp = Xpt(k, i) - _xopt[i];
                if (temp > 0)
                {
                    if (slbd * temp < _sl[i] - _xopt[i]) { slbd = (_sl[i] - _xopt[i]) / temp; ilbd = -(i + 1); }
                    if (subd * temp > _su[i] - _xopt[i]) { subd = Math.Max(sumin, (_su[i] - _xopt[i]) / temp); iubd = i + 1; }
                }
                else if (temp < 0)
                {
                    if (slbd * temp > _su[i] - _xopt[i]) { slbd = (_su[i] - _xopt[i]) / temp; ilbd = i + 1; }
                    if (subd * temp < _sl[i] - _xopt[i]) { subd = Math.Max(sumin, (_sl[i] - _xopt[i]) / temp); iubd = -(i + 1); }
                }
            }
            double step, vlag;
            int isbd;
            if (k == knew)
            {
                double diff = dderiv - 1;
                step = slbd;
                vlag = slbd * (dderiv - slbd * diff);
                isbd = ilbd;
                double temp = subd * (dderiv - subd * diff);
                if (Math.Abs(temp) > Math.Abs(vlag)) { step = subd; vlag = temp; isbd = iubd; }
                double tempd = 0.5 * dderiv, tempa = tempd - diff * slbd, tempb = tempd - diff * subd;
                if (tempa * tempb < 0)
                {
                    temp = tempd * tempd / diff;
                    if (Math.Abs(temp) > Math.Abs(vlag)) { step = tempd / diff; vlag = temp; isbd = 0; }
                }
            }
            else
            {
                step = slbd;
                vlag = slbd * (1 - slbd);
                isbd = ilbd;
                double temp = subd * (1 - subd);
                if (Math.Abs(temp) > Math.Abs(vlag)) { step = subd; vlag = temp; isbd = iubd; }
                if (subd > 0.5 && Math.Abs(vlag) < 0.25) { step = 0.5; vlag = 0.25; isbd = 0; }
                vlag *= dderiv;
            }
            double t2 = step * (1 - step) * distsq;
            double predsq = vlag * vlag * (vlag * vlag + ha * t2 * t2);
            if (predsq > presav) { presav = predsq; ksav = k; stpsav = step; ibdsav = isbd; }
        }

        if (ksav < 0) ksav = knew == _kopt ? (_kopt + 1) % npt : knew;
        for (int i = 0; i < n; i++)
        {
            double temp = _xopt[i] + stpsav * (Xpt(ksav, i) - _xopt[i]);
            _xnew[i] = Math.Max(_sl[i], Math.Min(_su[i], temp));
        }
        if (ibdsav < 0) _xnew[-ibdsav - 1] = _sl[-ibdsav - 1];
        if (ibdsav > 0) _xnew[ibdsav - 1] = _su[ibdsav - 1];

        // The constrained Cauchy step, for GLAG and then for -GLAG; keep the better.
        double bigstp = adelt + adelt;
        double csave = 0;
        cauchy = 0;
        for (int iflag = 0; iflag < 2; iflag++)
        {
            double wfixsq = 0, ggfree = 0;
            for (int i = 0; i < n; i++)
            {
                w[i] = 0;
                double tempa = Math.Min(_xopt[i] - _sl[i], glag[i]);
                double tempb = Math.Max(_xopt[i] - _su[i], glag[i]);
                if (tempa > 0 || tempb < 0) { w[i] = bigstp; ggfree += glag[i] * glag[i]; }
            }
            if (ggfree == 0) { cauchy = 0; return; }
            double step = 0;
            while (true)
            {
                double temp = adelt * adelt - wfixsq;
                if (!(temp > 0)) break;
                double wsqsav = wfixsq;
                step = Math.Sqrt(temp / ggfree);
                ggfree = 0;
                for (int i = 0; i < n; i++)
                {
                    if (w[i] != bigstp) continue;
                    double t = _xopt[i] - step * glag[i];
                    if (t <= _sl[i]) { w[i] = _sl[i] - _xopt[i]; wfixsq += w[i] * w[i]; }
                    else if (t >= _su[i]) { w[i] = _su[i] - _xopt[i]; wfixsq += w[i] * w[i]; }
                    else ggfree += glag[i] * glag[i];
                }
                if (!(wfixsq > wsqsav && ggfree > 0)) break;
            }
            double gw = 0;
            for (int i = 0; i < n; i++)
            {
                if (w[i] == bigstp)
                {
                    w[i] = -step * glag[i];
                    _xalt[i] = Math.Max(_sl[i], Math.Min(_su[i], _xopt[i] + w[i]));
                }
                else if (w[i] == 0) _xalt[i] = _xopt[i];
                else if (glag[i] > 0) _xalt[i] = _sl[i];
                else _xalt[i] = _su[i];
                gw += glag[i] * w[i];
            }
            double curv = 0;
            for (int k = 0; k < npt; k++)
            {
                double temp = DotXpt(k, w);
                curv += hcol[k] * temp * temp;
            }
            if (iflag == 1) curv = -curv;
            if (curv > -gw && curv < -constant * gw)
            {
                double scale = -gw / curv;
                for (int i = 0; i < n; i++) _xalt[i] = Math.Max(_sl[i], Math.Min(_su[i], _xopt[i] + scale * w[i]));
                cauchy = Math.Pow(0.5 * gw * scale, 2);
            }
            else cauchy = Math.Pow(gw + 0.5 * curv, 2);
            if (iflag == 0)
            {
                for (int i = 0; i < n; i++) { glag[i] = -glag[i]; w[n + i] = _xalt[i]; }
                csave = cauchy;
            }
        }
        if (csave > cauchy)
        {
            for (int i = 0; i < n; i++) _xalt[i] = w[n + i];
            cauchy = csave;
        }
    }
}

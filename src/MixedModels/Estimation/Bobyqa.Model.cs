using System.Runtime.CompilerServices;
namespace MixedModels.Estimation;

internal partial class Bobyqa
{
    /// <summary>
    /// Computes VLAG (the Lagrange functions at xopt + d, with 1 added for kopt) and returns BETA, the second
    /// quantity in the denominator of the updating formula (Powell's label 230). Leaves xpt·d in W[npt..].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double Denominators(double xoptsq, out double dsq)
    {
        int n = _n, npt = _npt, nptm = _nptm;
        for (int k = 0; k < npt; k++)
        {
            double suma = DotXpt(k, _d), sumb = DotXpt(k, _xopt), sum = 0;
            for (int j = 0; j < n; j++) sum += Bmat(k, j) * _d[j];
            _w[k] = suma * (0.5 * suma + sumb);
            _vlag[k] = sum;
            _w[npt + k] = suma;
        }
        double beta = 0;
        for (int jj = 0; jj < nptm; jj++)
        {
            double sum = 0;
            for (int k = 0; k < npt; k++) sum += Zmat(k, jj) * _w[k];
            beta -= sum * sum;
            for (int k = 0; k < npt; k++) _vlag[k] += sum * Zmat(k, jj);
        }
        dsq = 0;
        double bsum = 0, dx = 0;
        for (int j = 0; j < n; j++)
        {
            dsq += _d[j] * _d[j];
            double sum = 0;
            for (int k = 0; k < npt; k++) sum += _w[k] * Bmat(k, j);
            bsum += sum * _d[j];
            int jp = npt + j;
            for (int i = 0; i < n; i++) sum += Bmat(jp, i) * _d[i];
            _vlag[jp] = sum;
            bsum += sum * _d[j];
            dx += _d[j] * _xopt[j];
        }
        beta = dx * dx + dsq * (xoptsq + dx + dx + 0.5 * dsq) + beta - bsum;
        _vlag[_kopt] += 1;
        return beta;
    }

    /// <summary>
    /// Moves XBASE to XBASE + XOPT when XOPT has become large compared with the step (to avoid cancellation),
    /// revising BMAT and the model's second derivative parameters accordingly (Powell's label 90).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ShiftBase(double xoptsq)
    {
        int n = _n, npt = _npt, nptm = _nptm;
        double fracsq = 0.25 * xoptsq, sumpq = 0;
        for (int k = 0; k < npt; k++)
        {
            sumpq += _pq[k];
            double sum = -0.5 * xoptsq + DotXpt(k, _xopt);
            _w[npt + k] = sum;
            double temp = fracsq - 0.5 * sum;
            for (int i = 0; i < n; i++)
            {
                _w[i] = Bmat(k, i);
                _vlag[i] = sum * Xpt(k, i) + temp * _xopt[i];
                int ip = npt + i;
                for (int j = 0; j <= i; j++) Bmat(ip, j) += _w[i] * _vlag[j] + _vlag[i] * _w[j];
            }
        }
        for (int jj = 0; jj < nptm; jj++)
        {
            double sumz = 0, sumw = 0;
            for (int k = 0; k < npt; k++)
            {
                sumz += Zmat(k, jj);
                _vlag[k] = _w[npt + k] * Zmat(k, jj);
                sumw += _vlag[k];
            }
            for (int j = 0; j < n; j++)
            {
                double sum = (fracsq * sumz - 0.5 * sumw) * _xopt[j];
                for (int k = 0; k < npt; k++) sum += _vlag[k] * Xpt(k, j);
                _w[j] = sum;
                for (int k = 0; k < npt; k++) Bmat(k, j) += sum * Zmat(k, jj);
            }
            for (int i = 0; i < n; i++)
            {
                int ip = i + npt;
                double temp = _w[i];
                for (int j = 0; j <= i; j++) Bmat(ip, j) += temp * _w[j];
            }
        }
        int ih = 0;
        for (int j = 0; j < n; j++)
        {
            _w[j] = -0.5 * sumpq * _xopt[j];
            for (int k = 0; k < npt; k++)
            {
                _w[j] += _pq[k] * Xpt(k, j);
                Xpt(k, j) -= _xopt[j];
            }
            for (int i = 0; i <= j; i++, ih++)
            {
                _hq[ih] += _w[i] * _xopt[j] + _xopt[i] * _w[j];
                Bmat(npt + i, j) = Bmat(npt + j, i);
            }
        }
        for (int i = 0; i < n; i++)
        {
            _xbase[i] += _xopt[i];
            _xnew[i] -= _xopt[i];
            _sl[i] -= _xopt[i];
            _su[i] -= _xopt[i];
            _xopt[i] = 0;
        }
    }

    /// <summary>
    /// UPDATE: revises BMAT and ZMAT when interpolation point <paramref name="knew"/> is replaced by xopt + d,
    /// given VLAG, BETA and DENOM for that replacement.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Update(double beta, double denom, int knew)
    {
        int n = _n, npt = _npt, nptm = _nptm;
        double ztest = 0;
        for (int k = 0; k < npt; k++)
            for (int j = 0; j < nptm; j++) ztest = Math.Max(ztest, Math.Abs(Zmat(k, j)));
        ztest *= 1e-20;
        for (int j = 1; j < nptm; j++)
        {
            if (Math.Abs(Zmat(knew, j)) > ztest)
            {
                double temp = Math.Sqrt(Zmat(knew, 0) * Zmat(knew, 0) + Zmat(knew, j) * Zmat(knew, j));
                double tempa = Zmat(knew, 0) / temp, tempb = Zmat(knew, j) / temp;
                for (int i = 0; i < npt; i++)
                {
                    double t = tempa * Zmat(i, 0) + tempb * Zmat(i, j);
                    Zmat(i, j) = tempa * Zmat(i, j) - tempb * Zmat(i, 0);
                    Zmat(i, 0) = t;
                }
            }
            Zmat(knew, j) = 0;
        }
        for (int i = 0; i < npt; i++) _w[i] = Zmat(knew, 0) * Zmat(i, 0);
        double alpha = _w[knew], tau = _vlag[knew];
        _vlag[knew] -= 1;
        {
            double temp = Math.Sqrt(denom);
            double tempb = Zmat(knew, 0) / temp, tempa = tau / temp;
            for (int i = 0; i < npt; i++) Zmat(i, 0) = tempa * Zmat(i, 0) - tempb * _vlag[i];
        }
        for (int j = 0; j < n; j++)
        {
            int jp = npt + j;
            _w[jp] = Bmat(knew, j);
            double tempa = (alpha * _vlag[jp] - tau * _w[jp]) / denom;
            double tempb = (-beta * _w[jp] - tau * _vlag[jp]) / denom;
            for (int i = 0; i <= jp; i++)
            {
                Bmat(i, j) += tempa * _vlag[i] + tempb * _w[i];
                if (i >= npt) Bmat(jp, i - npt) = Bmat(i, j);
            }
        }
    }
}

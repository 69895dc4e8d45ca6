namespace MixedModels.Formatting;

/// <summary>
/// R's rules for writing numbers: <c>format()</c> (common width, significant digits, fixed or scientific as
/// <c>formatReal</c> decides), <c>round()</c>, <c>signif()</c> and <c>zapsmall()</c>. The summary text uses them so
/// that its numbers read as lme4's do.
/// </summary>
internal static class RFormat
{
    private const int KpMax = 22;

    /// <summary>How a vector is laid out: field width, decimals, and whether it is in scientific notation.</summary>
    internal readonly record struct Layout(int Width, int Decimals, int Exponent);

    /// <summary>R's <c>scientific()</c>: sign, decimal exponent, significant digits needed (at most <paramref name="digits"/>).</summary>
    internal static void Scientific(double x, int digits, out bool neg, out int kpower, out int nsig, out bool roundingWidens)
    {
        if (x == 0) { neg = false; kpower = 0; nsig = 1; roundingWidens = false; return; }
        neg = x < 0;
        double r = Math.Abs(x);
        int kp = (int)Math.Floor(Math.Log10(r)) - digits + 1;
        // alpha = r / 10^kp, which should lie in [10^(digits-1), 10^digits).
        if (ExactDecimal.CompareAbsToPowerOfTen(r, kp + digits - 1) < 0) kp--;
        var alpha = ExactDecimal.ScaleRound(r, -kp);
        nsig = digits;
        for (int j = 1; j <= digits; j++)
        {
            var q = System.Numerics.BigInteger.DivRem(alpha, 10, out var rem);
            if (rem.IsZero) { nsig--; alpha = q; } else break;
        }
        if (nsig == 0 && digits > 0) { nsig = 1; kp += 1; }
        kpower = kp + digits - 1;
        int rgt = Math.Clamp(digits - kpower, 0, KpMax);
        // Rounding widens when the value, printed in fixed notation with rgt decimals, stays below 10^kpower.
        roundingWidens = kpower > 0 && kpower <= KpMax && r < Math.Pow(10, kpower) - 0.5 / Math.Pow(10, rgt);
    }

    /// <summary>R's <c>formatReal</c>: the common layout of a vector printed with <paramref name="digits"/> significant digits.</summary>
    internal static Layout FormatReal(ReadOnlySpan<double> x, int digits, int nsmall = 0)
    {
        bool naflag = false, posinf = false, neginf = false, anyNeg = false;
        int rgt = int.MinValue, mxl = int.MinValue, mxsl = int.MinValue, mxns = int.MinValue, mnl = int.MaxValue;
        foreach (double v in x)
        {
            if (double.IsNaN(v)) { naflag = true; continue; }
            if (double.IsInfinity(v)) { if (v > 0) posinf = true; else neginf = true; continue; }
            Scientific(v, digits, out bool neg, out int kpower, out int nsig, out bool widens);
            int left = kpower + 1;
            if (widens) left--;
            int sleft = (neg ? 1 : 0) + (left <= 0 ? 1 : left);
            int right = nsig - left;
            if (neg) anyNeg = true;
            rgt = Math.Max(rgt, right);
            mxl = Math.Max(mxl, left);
            mnl = Math.Min(mnl, left);
            mxsl = Math.Max(mxsl, sleft);
            mxns = Math.Max(mxns, nsig);
        }
        int negw = anyNeg ? 1 : 0;
        if (digits == 0) rgt = 0;
        if (mxl < 0) mxsl = 1 + negw;
        if (rgt < 0) rgt = 0;
        int wF = mxsl + rgt + (rgt != 0 ? 1 : 0);
        int e = (mxl > 100 || mnl <= -99) ? 2 : 1;
        int w, d;
        if (mxns != int.MinValue)
        {
            d = mxns - 1;
            w = negw + (d > 0 ? 1 : 0) + d + 4 + e;
            if (wF <= w)
            {
                e = 0;
                if (nsmall > rgt) { rgt = nsmall; wF = mxsl + rgt + (rgt != 0 ? 1 : 0); }
                d = rgt;
                w = wF;
            }
        }
        else { w = 0; d = 0; e = 0; }
        if (naflag && w < 2) w = 2;
        if (posinf && w < 3) w = 3;
        if (neginf && w < 4) w = 4;
        return new Layout(w, d, e);
    }

    /// <summary>One value in a given layout, right-justified to its width (R's <c>encodeReal</c>).</summary>
    internal static string Encode(double x, Layout layout)
    {
        string s;
        if (double.IsNaN(x)) s = "NA";
        else if (double.IsInfinity(x)) s = x > 0 ? "Inf" : "-Inf";
        else if (layout.Exponent != 0) s = ExactDecimal.Scientific(x == 0 ? 0 : x, layout.Decimals);
        else s = ExactDecimal.Fixed(x == 0 ? 0 : x, layout.Decimals);
        return s.PadLeft(layout.Width);
    }

    /// <summary>R's <c>format(x, digits, nsmall)</c>: every value in one common layout, right-justified to a common width.</summary>
    public static string[] Format(ReadOnlySpan<double> x, int digits = 7, int nsmall = 0)
    {
        var layout = FormatReal(x, digits, nsmall);
        var result = new string[x.Length];
        for (int i = 0; i < x.Length; i++) result[i] = Encode(x[i], layout);
        return result;
    }

    /// <summary>R's <c>format()</c> of a single value (no padding).</summary>
    public static string Format(double x, int digits = 7, int nsmall = 0) => Format([x], digits, nsmall)[0];

    /// <summary>R's <c>round(x, digits)</c> (R 4 algorithm: the nearer of the two candidates, ties to even).</summary>
    public static double Round(double x, int digits)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return x;
        if (digits > 323) return x;
        if (digits == 0) return Math.Round(x, MidpointRounding.ToEven);
        double sgn = 1;
        if (x < 0) { sgn = -1; x = -x; }
        if (digits + Math.Ceiling(Math.Log10(x)) > 15) return sgn * x;
        double lower, upper, i10;
        if (digits > 0)
        {
            double p10 = Math.Pow(10, digits);
            double x10 = p10 * x;
            i10 = Math.Floor(x10);
            lower = i10 / p10;
            upper = Math.Ceiling(x10) / p10;
        }
        else
        {
            double p10 = Math.Pow(10, -digits);
            double x10 = x / p10;
            i10 = Math.Floor(x10);
            lower = i10 * p10;
            upper = Math.Ceiling(x10) * p10;
        }
        double du = upper - x, dd = x - lower;
        bool up = du < dd || (du == dd && Math.IEEERemainder(i10, 2) != 0);
        return sgn * (up ? upper : lower);
    }

    /// <summary>R's <c>signif(x, digits)</c>.</summary>
    public static double Signif(double x, int digits)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return x;
        digits = Math.Clamp(digits, 1, 22);
        return double.Parse(ExactDecimal.Scientific(x, digits - 1), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>R's <c>zapsmall(x, digits)</c>: rounds so that values tiny next to the largest become 0.</summary>
    public static double[] ZapSmall(ReadOnlySpan<double> x, int digits)
    {
        double mx = 0;
        foreach (double v in x) if (!double.IsNaN(v)) mx = Math.Max(mx, Math.Abs(v));
        int d = mx > 0 ? (int)Math.Floor(Math.Max(0, digits - Math.Log10(mx)) + 0.5) : digits;
        var r = new double[x.Length];
        for (int i = 0; i < r.Length; i++) r[i] = Round(x[i], d);
        return r;
    }

    /// <summary>What R's <c>cat()</c> prints for one number (7 significant digits, no padding).</summary>
    public static string Cat(double x) => Format(x, 7);
}

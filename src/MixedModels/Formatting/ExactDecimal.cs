using System.Numerics;

namespace MixedModels.Formatting;

/// <summary>
/// Exact decimal rounding of doubles (round half to even on exact ties), the arithmetic behind C's
/// <c>printf("%.*f")</c> and <c>printf("%.*e")</c> and behind R's choice of significant digits.
/// </summary>
internal static class ExactDecimal
{
    /// <summary>|x| = Numerator / Denominator exactly.</summary>
    private static (BigInteger Num, BigInteger Den) Exact(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & 0xFFFFFFFFFFFFFL;
        if (exp == 0) exp = 1; else mant |= 1L << 52;
        exp -= 1075;
        return exp >= 0 ? (new BigInteger(mant) << exp, BigInteger.One) : (new BigInteger(mant), BigInteger.One << -exp);
    }

    /// <summary>round(|x| * 10^shift) to an integer, ties to even.</summary>
    public static BigInteger ScaleRound(double x, int shift)
    {
        var (num, den) = Exact(x);
        if (shift >= 0) num *= BigInteger.Pow(10, shift); else den *= BigInteger.Pow(10, -shift);
        var q = BigInteger.DivRem(num, den, out var rem);
        int cmp = (rem * 2).CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        return q;
    }

    /// <summary>Compares |x| with 10^power exactly.</summary>
    public static int CompareAbsToPowerOfTen(double x, int power)
    {
        var (num, den) = Exact(x);
        return power >= 0 ? num.CompareTo(den * BigInteger.Pow(10, power)) : (num * BigInteger.Pow(10, -power)).CompareTo(den);
    }

    /// <summary>C's <c>%.{decimals}f</c> of x.</summary>
    public static string Fixed(double x, int decimals)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsInfinity(x)) return x > 0 ? "Inf" : "-Inf";
        var q = ScaleRound(x, decimals);
        string digits = q.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (decimals > 0)
        {
            if (digits.Length <= decimals) digits = new string('0', decimals - digits.Length + 1) + digits;
            digits = digits[..^decimals] + "." + digits[^decimals..];
        }
        return x < 0 ? "-" + digits : digits;
    }

    /// <summary>C's <c>%.{decimals}e</c> of x (exponent with at least two digits).</summary>
    public static string Scientific(double x, int decimals, bool forcePoint = false)
    {
        if (double.IsNaN(x)) return "NaN";
        if (double.IsInfinity(x)) return x > 0 ? "Inf" : "-Inf";
        string sign = x < 0 ? "-" : "";
        if (x == 0)
            return sign + "0" + (decimals > 0 || forcePoint ? "." + new string('0', decimals) : "") + "e+00";
        int k = (int)Math.Floor(Math.Log10(Math.Abs(x)));
        var q = ScaleRound(x, decimals - k);
        var limit = BigInteger.Pow(10, decimals + 1);
        if (q >= limit) { k++; q = ScaleRound(x, decimals - k); }
        else if (q < BigInteger.Pow(10, decimals)) { k--; q = ScaleRound(x, decimals - k); }
        string d = q.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string mant = decimals > 0 ? d[..1] + "." + d[1..] : (forcePoint ? d + "." : d);
        string e = Math.Abs(k).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(2, '0');
        return sign + mant + "e" + (k < 0 ? "-" : "+") + e;
    }
}

namespace MixedModels.Families;

/// <summary>log(1 + x) and exp(x) − 1 without cancellation near 0 (Kahan's and Higham's formulations).</summary>
internal static class Accurate
{
    public static double Log1P(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1) return x;
        double um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }
}

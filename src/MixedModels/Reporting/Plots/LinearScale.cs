using System.Globalization;

namespace MixedModels.Reporting.Plots;

/// <summary>
/// A linear map from data values to pixels over the (padded) data range, with "nice" ticks inside it (steps of 1, 2
/// or 5 × 10^k, as R's pretty()).
/// </summary>
internal sealed class LinearScale
{
    public LinearScale(double min, double max, double pixelFrom, double pixelTo, int tickTarget = 5)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (max <= min)
        {
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        Step = NiceStep((max - min) / Math.Max(tickTarget - 1, 1));
        Min = min;
        Max = max;
        PixelFrom = pixelFrom;
        PixelTo = pixelTo;
    }

    public double Min { get; }
    public double Max { get; }
    public double Step { get; }
    public double PixelFrom { get; }
    public double PixelTo { get; }

    public double Map(double v) => PixelFrom + (v - Min) / (Max - Min) * (PixelTo - PixelFrom);

    public IEnumerable<double> Ticks()
    {
        double first = Math.Ceiling(Min / Step - 1e-9) * Step;
        for (double t = first; t <= Max + Step * 1e-9; t += Step) yield return Math.Abs(t) < Step * 1e-9 ? 0 : t;
    }

    /// <summary>A tick label with as many decimals as the step needs.</summary>
    public string Label(double v)
    {
        int decimals = 0;
        while (decimals < 10 && Math.Abs(Step * Math.Pow(10, decimals) - Math.Round(Step * Math.Pow(10, decimals))) > 1e-6 * Math.Pow(10, decimals)) decimals++;
        double r = Math.Round(v / Step) * Step;
        if (Math.Abs(r) < Step * 1e-9) r = 0;
        double magnitude = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 1e-4)) return r.ToString("0.##E+0", CultureInfo.InvariantCulture);
        return r.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0)) return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double residual = rough / magnitude;
        double nice = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /// <summary>The range of values, padded by 4% on each side as R pads a plot region.</summary>
    public static (double Min, double Max) Range(IEnumerable<double> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (min > max) return (0, 1);
        double pad = (max - min) * 0.04;
        return (min - pad, max + pad);
    }
}

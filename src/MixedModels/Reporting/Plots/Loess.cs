namespace MixedModels.Reporting.Plots;

/// <summary>
/// R's <c>loess(y ~ x)</c> with its defaults for one predictor — span 0.75, local quadratic (degree 2), tricube
/// weights, gaussian family (no robustness iterations). <see cref="At"/> is R's default surface, "interpolate": the
/// local fits (value and slope) are computed at the vertices of a k-d tree over x (the box widened by 0.5% of the
/// range, cells halved at the median point until they hold at most n·span·0.2 points) and joined by cubic Hermite
/// interpolation, as Cleveland, Grosse and Shyu's dloess does; <see cref="Direct"/> is the local fit at the point itself
/// (R's <c>surface = "direct"</c>). The two differ by up to about 1% of the response's range where the data are sparse.
/// </summary>
internal sealed class Loess
{
    private readonly double[] _x, _y;
    private readonly int _q;
    private readonly int _degree;

    public Loess(IReadOnlyList<double> x, IReadOnlyList<double> y, double span = 0.75, int degree = 2)
    {
        var rows = Enumerable.Range(0, x.Count).Where(i => double.IsFinite(x[i]) && double.IsFinite(y[i])).ToArray();
        _x = rows.Select(i => x[i]).ToArray();
        _y = rows.Select(i => y[i]).ToArray();
        _degree = degree;
        Span = span;
        // R: q = floor(n * span) nearest points; with span > 1 the largest distance is enlarged instead.
        _q = Math.Max(1, Math.Min(_x.Length, (int)Math.Floor(_x.Length * span)));
    }

    public double Span { get; }

    /// <summary>True when there are enough distinct points for a local fit of the degree.</summary>
    public bool CanFit => _x.Distinct().Count() > _degree;

    private (double[] Vertex, double[] Value, double[] Slope)? _tree;

    /// <summary>R's default loess smooth at <paramref name="x0"/> (kd-tree vertices and cubic Hermite interpolation).</summary>
    public double At(double x0)
    {
        var (vertex, value, slope) = _tree ??= Build();
        int k = Array.BinarySearch(vertex, x0);
        if (k < 0) k = ~k - 1;
        k = Math.Clamp(k, 0, vertex.Length - 2);
        double width = vertex[k + 1] - vertex[k], h = (x0 - vertex[k]) / width;
        double phi0 = (1 - h) * (1 - h) * (1 + 2 * h), phi1 = h * h * (3 - 2 * h), psi0 = h * (1 - h) * (1 - h), psi1 = h * h * (h - 1);
        return phi0 * value[k] + phi1 * value[k + 1] + (psi0 * slope[k] + psi1 * slope[k + 1]) * width;
    }

    /// <summary>The vertices of dloess's k-d tree in one dimension and the local fit's value and slope at each.</summary>
    private (double[] Vertex, double[] Value, double[] Slope) Build()
    {
        var x = (double[])_x.Clone();
        Array.Sort(x);
        int n = x.Length;
        double lo = x[0], hi = x[^1];
        double margin = 0.005 * Math.Max(hi - lo, 1e-10 * Math.Max(Math.Abs(lo), Math.Abs(hi)) + 1e-30);
        var vertices = new List<double> { lo - margin, hi + margin };
        int fc = (int)Math.Floor(n * Span * 0.2);
        // Cells as dloess processes them (breadth first): 0-based point ranges [l, u] and their bounding vertices.
        var cells = new Queue<(int L, int U, double Low, double High)>();
        cells.Enqueue((0, n - 1, vertices[0], vertices[1]));
        while (cells.Count > 0)
        {
            var (l, u, low, high) = cells.Dequeue();
            if (u - l + 1 <= fc) continue;
            int m = (l + u + 2) / 2 - 1;   // dloess's m = (l + u) / 2 on 1-based indices
            // Ties: move to the nearest position (m, m+1, m-1, m+2, ...) where the cut separates distinct values.
            for (int offset = 0; m + offset < u && m + offset >= l;)
            {
                if (x[m + offset] == x[m + offset + 1])
                {
                    offset = -offset;
                    if (offset >= 0) offset++;
                    continue;
                }
                m += offset;
                break;
            }
            double cut = x[m];
            if (cut == low || cut == high) continue;
            vertices.Add(cut);
            cells.Enqueue((l, m, low, cut));
            cells.Enqueue((m + 1, u, cut, high));
        }
        var v = vertices.Distinct().Order().ToArray();
        var value = new double[v.Length];
        var slope = new double[v.Length];
        for (int i = 0; i < v.Length; i++) (value[i], slope[i]) = LocalFit(v[i]);
        return (v, value, slope);
    }

    /// <summary>R's <c>surface = "direct"</c>: the local fit at <paramref name="x0"/> itself.</summary>
    public double Direct(double x0) => LocalFit(x0).Value;

    /// <summary>The weighted least-squares polynomial in (x − x0) over the q nearest points: its value and slope at x0.</summary>
    private (double Value, double Slope) LocalFit(double x0)
    {
        int n = _x.Length;
        var distance = new double[n];
        for (int i = 0; i < n; i++) distance[i] = Math.Abs(_x[i] - x0);
        var sorted = (double[])distance.Clone();
        Array.Sort(sorted);
        double h = sorted[_q - 1];
        if (Span > 1) h *= Math.Sqrt(Span);   // dloess scales the squared distance by the span
        if (h <= 0) h = sorted.FirstOrDefault(d => d > 0, 1);
        int p = _degree + 1;
        var xtwx = new double[p, p];
        var xtwy = new double[p];
        var row = new double[p];
        for (int i = 0; i < n; i++)
        {
            double u = distance[i] / h;
            if (u >= 1) continue;
            double t = 1 - u * u * u, w = t * t * t;
            row[0] = 1;
            for (int k = 1; k < p; k++) row[k] = row[k - 1] * (_x[i] - x0);
            for (int a = 0; a < p; a++)
            {
                xtwy[a] += w * row[a] * _y[i];
                for (int b = 0; b < p; b++) xtwx[a, b] += w * row[a] * row[b];
            }
        }
        var inverse = LinearAlgebra.SmallMatrix.Inverse(xtwx);
        if (inverse is null) return (double.NaN, double.NaN);
        double fit = 0, d1 = 0;
        for (int b = 0; b < p; b++)
        {
            fit += inverse[0, b] * xtwy[b];
            if (p > 1) d1 += inverse[1, b] * xtwy[b];
        }
        return (fit, d1);
    }
}

using MixedModels.Data;

namespace MixedModels.Benchmarks;

/// <summary>
/// Simulated data sets for the benchmark suite, generated with fixed seeds (System.Random's seeded sequence is
/// stable): a maximal crossed design like Kronmüller and Barr's kb07, a large nested design and a large crossed one.
/// </summary>
internal static class SyntheticData
{
    /// <summary>
    /// kb07-like: 56 subjects × 32 items, every pair once plus 8 repeated pairs (1,800 rows), three ±1-coded
    /// within-subject and within-item factors a, b, c, and correlated by-subject and by-item intercepts and slopes
    /// for all three. Columns: subj, item, a, b, c, y.
    /// </summary>
    public static Table Kb07Like(int seed = 20070101)
    {
        var rng = new Random(seed);
        const int subjects = 56, items = 32;
        var pairs = new List<(int S, int I)>();
        for (int s = 0; s < subjects; s++)
            for (int i = 0; i < items; i++) pairs.Add((s, i));
        for (int k = 0; k < 8; k++) pairs.Add((rng.Next(subjects), rng.Next(items)));
        // Counterbalanced conditions: each item's a, b, c rotate over subjects (a Latin-square-like assignment).
        double Sign(int v) => (v & 1) == 0 ? -1 : 1;
        var subjectSd = new[] { 320.0, 60, 45, 30 };
        var itemSd = new[] { 380.0, 90, 50, 40 };
        var subjectEffects = CorrelatedEffects(rng, subjects, subjectSd, 0.3);
        var itemEffects = CorrelatedEffects(rng, items, itemSd, 0.2);
        int n = pairs.Count;
        var subj = new int[n]; var item = new int[n];
        double[] a = new double[n], b = new double[n], c = new double[n], y = new double[n];
        for (int r = 0; r < n; r++)
        {
            var (s, i) = pairs[r];
            subj[r] = s; item[r] = i;
            a[r] = Sign(s + i); b[r] = Sign(s / 2 + i); c[r] = Sign(s / 4 + i / 2);
            double[] x = [1, a[r], b[r], c[r]];
            double mu = 2200 + 180 * a[r] + 70 * b[r] - 40 * c[r];
            for (int k = 0; k < 4; k++) mu += x[k] * (subjectEffects[s, k] + itemEffects[i, k]);
            y[r] = Math.Round(mu + 650 * Normal(rng), 1);
        }
        return new Table([
            new CategoricalColumn("subj", subj, Enumerable.Range(1, subjects).Select(k => $"S{k:D2}").ToArray()),
            new CategoricalColumn("item", item, Enumerable.Range(1, items).Select(k => $"I{k:D2}").ToArray()),
            new NumericColumn("a", a), new NumericColumn("b", b), new NumericColumn("c", c), new NumericColumn("y", y)]);
    }

    /// <summary>
    /// A large nested design: <paramref name="rows"/> rows in <paramref name="groups"/> groups of equal size, two
    /// standard normal covariates, and a random intercept and x1 slope per group. Columns: g, x1, x2, y.
    /// </summary>
    public static Table Nested(int rows = 1_000_000, int groups = 20_000, int seed = 1)
    {
        var rng = new Random(seed);
        var effects = CorrelatedEffects(rng, groups, [1.0, 0.5], 0.3);
        var g = new int[rows];
        double[] x1 = new double[rows], x2 = new double[rows], y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            int k = (int)((long)i * groups / rows);
            g[i] = k;
            x1[i] = Normal(rng);
            x2[i] = Normal(rng);
            y[i] = 1 + 0.5 * x1[i] - 0.3 * x2[i] + effects[k, 0] + effects[k, 1] * x1[i] + Normal(rng);
        }
        return new Table([new CategoricalColumn("g", g, Levels("g", groups)), new NumericColumn("x1", x1), new NumericColumn("x2", x2), new NumericColumn("y", y)]);
    }

    /// <summary>
    /// A large binary outcome with a random intercept and slope per group: <paramref name="rows"/> rows in
    /// <paramref name="groups"/> equal groups, logit P(y = 1) = −0.5 + 0.8x + b₀ + b₁x with SDs 1 and 0.5,
    /// correlation 0.3. Columns: g, x, y (0/1).
    /// </summary>
    public static Table Binary(int rows = 1_000_000, int groups = 20_000, int seed = 3)
    {
        var rng = new Random(seed);
        var effects = CorrelatedEffects(rng, groups, [1.0, 0.5], 0.3);
        var g = new int[rows];
        double[] x = new double[rows], y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            int k = (int)((long)i * groups / rows);
            g[i] = k;
            x[i] = Normal(rng);
            double eta = -0.5 + 0.8 * x[i] + effects[k, 0] + effects[k, 1] * x[i];
            y[i] = rng.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        return new Table([new CategoricalColumn("g", g, Levels("g", groups)), new NumericColumn("x", x), new NumericColumn("y", y)]);
    }

    /// <summary>
    /// A large crossed design: <paramref name="rows"/> rows, each with a random level of factor a and of factor b,
    /// a random intercept for each. Columns: a, b, y.
    /// </summary>
    public static Table Crossed(int rows = 500_000, int aLevels = 5_000, int bLevels = 2_000, int seed = 2)
    {
        var rng = new Random(seed);
        var ea = Enumerable.Range(0, aLevels).Select(_ => Normal(rng)).ToArray();
        var eb = Enumerable.Range(0, bLevels).Select(_ => 0.5 * Normal(rng)).ToArray();
        var a = new int[rows]; var b = new int[rows]; var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            // Every level occurs: the first rows walk through the levels, the rest are drawn at random.
            a[i] = i < aLevels ? i : rng.Next(aLevels);
            b[i] = i < bLevels ? i : rng.Next(bLevels);
            y[i] = 2 + ea[a[i]] + eb[b[i]] + Normal(rng);
        }
        return new Table([new CategoricalColumn("a", a, Levels("a", aLevels)), new CategoricalColumn("b", b, Levels("b", bLevels)), new NumericColumn("y", y)]);
    }

    /// <summary>
    /// Ratings as in MovieLens 1M: <paramref name="rows"/> ratings of <paramref name="movies"/> movies by
    /// <paramref name="users"/> users, crossed, with skewed counts — a user's activity and a movie's popularity are
    /// log-normal weights (SD 1 and 1.5 on the log scale: a few users rate thousands of movies, most a few dozen; a few
    /// movies get thousands of ratings, many a handful). Every user and movie is rated at least once. y = 3.5 + user
    /// effect (SD 0.5) + movie effect (SD 0.7) + noise (SD 0.9). Columns: user, movie, y.
    /// </summary>
    public static Table MovieLensLike(int rows = 1_000_000, int users = 6_040, int movies = 3_706, int seed = 5)
    {
        var rng = new Random(seed);
        var userEffect = Enumerable.Range(0, users).Select(_ => 0.5 * Normal(rng)).ToArray();
        var movieEffect = Enumerable.Range(0, movies).Select(_ => 0.7 * Normal(rng)).ToArray();
        var userWeight = Cumulative(Enumerable.Range(0, users).Select(_ => Math.Exp(Normal(rng))));
        var movieWeight = Cumulative(Enumerable.Range(0, movies).Select(_ => Math.Exp(1.5 * Normal(rng))));
        var u = new int[rows]; var m = new int[rows]; var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            u[i] = i < users ? i : Draw(userWeight, rng);
            m[i] = i < movies ? i : Draw(movieWeight, rng);
            y[i] = 3.5 + userEffect[u[i]] + movieEffect[m[i]] + 0.9 * Normal(rng);
        }
        return new Table([new CategoricalColumn("user", u, Levels("u", users)), new CategoricalColumn("movie", m, Levels("m", movies)), new NumericColumn("y", y)]);
    }

    /// <summary>The running sums of the weights, normalized to end at 1.</summary>
    private static double[] Cumulative(IEnumerable<double> weights)
    {
        var c = weights.ToArray();
        for (int i = 1; i < c.Length; i++) c[i] += c[i - 1];
        for (int i = 0; i < c.Length; i++) c[i] /= c[^1];
        return c;
    }

    /// <summary>An index drawn with the probabilities whose running sums are <paramref name="cumulative"/>.</summary>
    private static int Draw(double[] cumulative, Random rng)
    {
        int i = Array.BinarySearch(cumulative, rng.NextDouble());
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }

    /// <summary>
    /// A longitudinal design: <paramref name="people"/> people with <paramref name="visits"/> visits each (time 0, 1,
    /// …), a random intercept and time slope per person (SDs 1 and 0.3, correlation 0.3) and AR(1) errors within
    /// person (φ = 0.6, SD 0.8), y = 5 + 0.5 time + b₀ + b₁ time + ε. Columns: id, time, y.
    /// </summary>
    public static Table Longitudinal(int people = 10_000, int visits = 10, int seed = 4)
    {
        var rng = new Random(seed);
        var effects = CorrelatedEffects(rng, people, [1.0, 0.3], 0.3);
        int rows = people * visits;
        const double phi = 0.6, sd = 0.8;
        var id = new int[rows];
        double[] time = new double[rows], y = new double[rows];
        for (int k = 0, i = 0; k < people; k++)
        {
            double e = sd * Normal(rng);
            for (int v = 0; v < visits; v++, i++)
            {
                if (v > 0) e = phi * e + sd * Math.Sqrt(1 - phi * phi) * Normal(rng);
                id[i] = k;
                time[i] = v;
                y[i] = 5 + 0.5 * v + effects[k, 0] + effects[k, 1] * v + e;
            }
        }
        return new Table([new CategoricalColumn("id", id, Levels("p", people)), new NumericColumn("time", time), new NumericColumn("y", y)]);
    }

    private static string[] Levels(string prefix, int count)
    {
        int width = (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        return Enumerable.Range(0, count).Select(k => prefix + k.ToString("D" + width, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Effects with the given SDs and a common correlation between every pair.</summary>
    private static double[,] CorrelatedEffects(Random rng, int levels, double[] sd, double correlation)
    {
        int d = sd.Length;
        var cov = new double[d, d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[i, j] = sd[i] * sd[j] * (i == j ? 1 : correlation);
        var l = LinearAlgebra.SmallMatrix.CholeskyLower(cov)!;
        var result = new double[levels, d];
        var z = new double[d];
        for (int k = 0; k < levels; k++)
        {
            for (int i = 0; i < d; i++) z[i] = Normal(rng);
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                for (int j = 0; j <= i; j++) s += l[i, j] * z[j];
                result[k, i] = s;
            }
        }
        return result;
    }

    private static double Normal(Random rng) => Inference.ResponseSimulator.Normal(rng);
}

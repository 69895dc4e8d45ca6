namespace MixedModels.Results;

/// <summary>
/// The estimated covariance of one random-effects term (lme4's <c>VarCorr</c> entry): standard deviations of its
/// columns and their correlations. <see cref="Name"/> is unique among the terms (<c>Subject</c>, <c>Subject.1</c>).
/// </summary>
public sealed class VarianceComponent
{
    private readonly double[,] _covariance;

    internal VarianceComponent(string group, string name, IReadOnlyList<string> columns, double[,] covariance)
    {
        Group = group;
        Name = name;
        Columns = columns;
        _covariance = covariance;
        int d = columns.Count;
        var sd = new double[d];
        for (int i = 0; i < d; i++) sd[i] = Math.Sqrt(covariance[i, i]);
        StandardDeviations = Array.AsReadOnly(sd);
    }

    /// <summary>The grouping factor (<c>Subject</c>).</summary>
    public string Group { get; }

    /// <summary>The unique name of the term's component as lme4 prints it (<c>Subject</c>, <c>Subject.1</c>).</summary>
    public string Name { get; }

    /// <summary>The names of the term's columns.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The standard deviation of each column's random effect.</summary>
    public IReadOnlyList<double> StandardDeviations { get; }

    /// <summary>The variance of column i.</summary>
    public double Variance(int i) => _covariance[i, i];

    /// <summary>The covariance of columns i and j.</summary>
    public double Covariance(int i, int j) => _covariance[i, j];

    /// <summary>The correlation of columns i and j (NaN when a standard deviation is 0).</summary>
    public double Correlation(int i, int j)
    {
        double s = StandardDeviations[i] * StandardDeviations[j];
        return i == j ? 1 : s > 0 ? _covariance[i, j] / s : double.NaN;
    }
}

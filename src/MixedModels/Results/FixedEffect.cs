namespace MixedModels.Results;

/// <summary>One fixed-effect coefficient.</summary>
/// <param name="Name">The column name (<c>(Intercept)</c>, <c>Days</c>).</param>
/// <param name="Estimate">The estimate β̂.</param>
/// <param name="StandardError">Its standard error.</param>
public sealed record FixedEffect(string Name, double Estimate, double StandardError)
{
    /// <summary>The t statistic, estimate / standard error.</summary>
    public double TValue => Estimate / StandardError;
}

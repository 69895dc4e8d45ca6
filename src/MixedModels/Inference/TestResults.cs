namespace MixedModels.Inference;

/// <summary>How denominator degrees of freedom of t and F tests for fixed effects are found.</summary>
public enum DdfMethod
{
    /// <summary>No degrees of freedom and no p-values (lme4's plain summary).</summary>
    None,
    /// <summary>Satterthwaite's approximation, as lmerTest computes it.</summary>
    Satterthwaite,
    /// <summary>Kenward and Roger's approximation with the adjusted covariance of β, as pbkrtest computes it (REML fits).</summary>
    KenwardRoger,
}

/// <summary>A t test of one linear combination l'β of the fixed effects.</summary>
/// <param name="Name">What is tested (a coefficient name, or a description of the contrast).</param>
/// <param name="Estimate">l'β̂.</param>
/// <param name="StandardError">Its standard error (Kenward-Roger: from the adjusted covariance of β̂).</param>
/// <param name="Df">Denominator degrees of freedom (NaN when none).</param>
/// <param name="TValue">Estimate / standard error.</param>
/// <param name="PValue">Two-sided p-value from the t distribution with <paramref name="Df"/> degrees of freedom.</param>
public sealed record TTest(string Name, double Estimate, double StandardError, double Df, double TValue, double PValue)
{
    /// <summary>The t test of each coefficient alone: <paramref name="test"/> of each unit contrast, named after the coefficient.</summary>
    internal static TTest[] EachCoefficient(IReadOnlyList<string> names, Func<double[], string, TTest> test)
    {
        var result = new TTest[names.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var e = new double[result.Length];
            e[i] = 1;
            result[i] = test(e, names[i]);
        }
        return result;
    }
}

/// <summary>An F test of a hypothesis Lβ = 0 with several rows (lmerTest's <c>contestMD</c>; one row of an ANOVA table).</summary>
/// <param name="Term">The term or hypothesis tested.</param>
/// <param name="SumSq">Sum of squares, F·σ²·NumDF (as lmerTest reports it).</param>
/// <param name="MeanSq">Mean square, F·σ².</param>
/// <param name="NumDf">Numerator degrees of freedom (the rank of L).</param>
/// <param name="DenDf">Denominator degrees of freedom.</param>
/// <param name="FValue">The F statistic.</param>
/// <param name="PValue">Its p-value.</param>
public sealed record FTest(string Term, double SumSq, double MeanSq, int NumDf, double DenDf, double FValue, double PValue);

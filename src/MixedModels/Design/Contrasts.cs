namespace MixedModels.Design;

/// <summary>How a factor is coded by contrasts in a model matrix.</summary>
public enum ContrastKind
{
    /// <summary>The default: treatment contrasts for unordered factors, polynomial for ordered ones.</summary>
    Default,
    /// <summary>Treatment (dummy) coding: the first level is the reference (R's <c>contr.treatment</c>).</summary>
    Treatment,
    /// <summary>Sum-to-zero coding (R's <c>contr.sum</c>).</summary>
    Sum,
    /// <summary>Helmert coding (R's <c>contr.helmert</c>).</summary>
    Helmert,
    /// <summary>Orthogonal polynomials in the level order (R's <c>contr.poly</c>).</summary>
    Polynomial,
}

/// <summary>R's contrast matrices and their column names.</summary>
internal static class Contrasts
{
    /// <summary>The k × (k−1) contrast matrix (row-major by level) and the column name suffixes.</summary>
    public static (double[,] Matrix, string[] Names) Make(ContrastKind kind, IReadOnlyList<string> levels, bool ordered)
    {
        int k = levels.Count;
        if (kind == ContrastKind.Default) kind = ordered ? ContrastKind.Polynomial : ContrastKind.Treatment;
        var m = new double[k, k - 1];
        var names = new string[k - 1];
        switch (kind)
        {
            case ContrastKind.Treatment:
                for (int j = 0; j < k - 1; j++) { m[j + 1, j] = 1; names[j] = levels[j + 1]; }
                break;
            case ContrastKind.Sum:
                for (int j = 0; j < k - 1; j++) { m[j, j] = 1; m[k - 1, j] = -1; names[j] = (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture); }
                break;
            case ContrastKind.Helmert:
                for (int j = 0; j < k - 1; j++)
                {
                    for (int i = 0; i <= j; i++) m[i, j] = -1;
                    m[j + 1, j] = j + 1;
                    names[j] = (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                break;
            case ContrastKind.Polynomial:
            {
                var scores = new double[k];
                for (int i = 0; i < k; i++) scores[i] = i + 1;
                var poly = OrthogonalPolynomial.Fit(scores, k - 1).Evaluate(scores);
                for (int j = 0; j < k - 1; j++)
                {
                    for (int i = 0; i < k; i++) m[i, j] = poly[j * k + i];
                    names[j] = j switch { 0 => ".L", 1 => ".Q", 2 => ".C", _ => "^" + (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                }
                break;
            }
        }
        return (m, names);
    }
}

using System.Text;
using MixedModels.Reporting;
using MixedModels.Results;

namespace MixedModels.Inference;

/// <summary>One row of a model comparison.</summary>
/// <param name="Label">The model's label (MODEL1, MODEL2, … unless given).</param>
/// <param name="Position">The model's position in the list given to <see cref="ModelComparison.Compare(LinearMixedModel[])"/>.</param>
/// <param name="Formula">The model's formula.</param>
/// <param name="Npar">Number of parameters.</param>
/// <param name="Aic">AIC of the ML fit.</param>
/// <param name="Bic">BIC of the ML fit.</param>
/// <param name="LogLikelihood">ML log-likelihood.</param>
/// <param name="Deviance">−2 log-likelihood.</param>
/// <param name="ChiSquare">Likelihood-ratio statistic against the previous row (NaN for the first).</param>
/// <param name="Df">Difference in parameters from the previous row (0 for the first).</param>
/// <param name="PValue">P(χ²_Df ≥ ChiSquare).</param>
/// <param name="BoundaryPValue">When the two models differ only in random-effects parameters: the p-value from the 50:50 mixture of χ²_(Df−1) and χ²_Df (a variance tested on the boundary of its space); NaN otherwise.</param>
/// <param name="RefittedMl">True when the model was fitted by REML and refitted by ML for the comparison.</param>
public sealed record ComparisonRow(string Label, int Position, string Formula, int Npar, double Aic, double Bic, double LogLikelihood, double Deviance,
    double ChiSquare, int Df, double PValue, double BoundaryPValue, bool RefittedMl);

/// <summary>
/// Likelihood-ratio comparison of models fitted to the same rows (lme4's <c>anova(m1, m2, ...)</c>): REML fits are
/// refitted by ML, the models are sorted by their number of parameters, and each is tested against the one before.
/// Models without random effects can be part of it (their ML log-likelihood is lm's).
/// </summary>
public sealed class ModelComparison
{
    private ModelComparison(IReadOnlyList<ComparisonRow> rows, string dataName, IReadOnlyList<string> warnings)
    {
        Rows = rows;
        DataName = dataName;
        Warnings = warnings;
    }

    /// <summary>The rows, sorted by number of parameters.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>The data's name.</summary>
    public string DataName { get; }

    /// <summary>Notes: models refitted by ML, pairs that may not be nested.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Compares two or more models fitted to the same data; they are labelled MODEL1, MODEL2, … in the order given.</summary>
    public static ModelComparison Compare(params LinearMixedModel[] models) =>
        Compare(Enumerable.Range(1, models.Length).Select(i => $"MODEL{i}").ToArray(), models);

    /// <summary>Compares two or more models fitted to the same data, labelled as given (R prints the variables' names).</summary>
    public static ModelComparison Compare(IReadOnlyList<string> labels, IReadOnlyList<LinearMixedModel> models)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count < 2) throw new ArgumentException("a comparison needs at least two models");
        if (labels.Count != models.Count) throw new ArgumentException($"{labels.Count} labels for {models.Count} models");
        var first = models[0];
        for (int i = 1; i < models.Count; i++)
        {
            var m = models[i];
            if (!m.Design.Frame.KeptRows.SequenceEqual(first.Design.Frame.KeptRows) || !m.Design.Response.SequenceEqual(first.Design.Response))
                throw new ModelException(
                    $"models {labels[0]} and {labels[i]} were not fitted to the same rows ({first.Observations} and {m.Observations} observations used{(m.Observations == first.Observations ? ", or a different response" : "")}): " +
                    "likelihoods of different data cannot be compared; remove the rows with missing values in any model's variables from the data first");
        }
        var warnings = new List<string>();
        var ml = models.Select(m => m.Reml ? m.Refit(reml: false) : m).ToArray();
        if (models.Any(m => m.Reml)) warnings.Add("refitting model(s) with ML (instead of REML)");
        var order = Enumerable.Range(0, ml.Length).OrderBy(i => ml[i].ParameterCount).ThenBy(i => i).ToArray();
        var rows = new List<ComparisonRow>();
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            var m = ml[i];
            double chisq = double.NaN, p = double.NaN, pb = double.NaN;
            int df = 0;
            if (k > 0)
            {
                var prev = ml[order[k - 1]];
                chisq = 2 * Math.Max(0, m.LogLikelihood - prev.LogLikelihood);
                df = m.ParameterCount - prev.ParameterCount;
                p = df > 0 ? Probability.ChiSquareUpper(chisq, df) : double.NaN;
                if (!Nested(prev, m)) warnings.Add($"{labels[order[k - 1]]} may not be nested in {labels[i]}; the likelihood-ratio test assumes nested models");
                else if (df > 0 && SameFixedEffects(prev, m))
                    pb = 0.5 * Probability.ChiSquareUpper(chisq, df) + (df > 1 ? 0.5 * Probability.ChiSquareUpper(chisq, df - 1) : 0);
            }
            rows.Add(new ComparisonRow(labels[i], i, m.Formula.ToString(), m.ParameterCount, m.Aic, m.Bic, m.LogLikelihood, m.Objective,
                chisq, df, p, pb, models[i].Reml));
        }
        return new ModelComparison(rows.AsReadOnly(), first.Design.Frame.DataName, warnings.AsReadOnly());
    }

    private static bool SameFixedEffects(LinearMixedModel a, LinearMixedModel b) =>
        a.FixedEffects.Select(f => f.Name).ToHashSet().SetEquals(b.FixedEffects.Select(f => f.Name));

    /// <summary>A heuristic check that a is nested in b: its fixed-effect columns and each random term's columns are among b's.</summary>
    private static bool Nested(LinearMixedModel a, LinearMixedModel b)
    {
        if (!a.FixedEffects.Select(f => f.Name).ToHashSet().IsSubsetOf(b.FixedEffects.Select(f => f.Name))) return false;
        foreach (var ta in a.Design.RandomTerms)
        {
            var columns = b.Design.RandomTerms.Where(tb => tb.GroupName == ta.GroupName).SelectMany(tb => tb.ColumnNames).ToHashSet();
            if (!ta.ColumnNames.All(columns.Contains)) return false;
        }
        return true;
    }

    /// <summary>The table as lme4's <c>anova()</c> prints it.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Data: ").Append(DataName).Append('\n');
        sb.Append("Models:\n");
        foreach (var r in Rows.OrderBy(r => r.Position))
            sb.Append(r.Label).Append(": ").Append(r.Formula).Append('\n');
        var x = new double[Rows.Count, 8];
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            x[i, 0] = r.Npar; x[i, 1] = r.Aic; x[i, 2] = r.Bic; x[i, 3] = r.LogLikelihood; x[i, 4] = r.Deviance;
            x[i, 5] = r.ChiSquare; x[i, 6] = i == 0 ? double.NaN : r.Df; x[i, 7] = r.PValue;
        }
        CoefficientTable.Print(sb, Rows.Select(r => r.Label).ToArray(), ["npar", "AIC", "BIC", "logLik", "deviance", "Chisq", "Df", "Pr(>Chisq)"],
            x, 5, [], [5], [0, 1, 2, 3, 4], hasPvalue: true, naPrint: "");
        return sb.ToString();
    }
}

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
/// <param name="BootstrapPValue">The parametric-bootstrap p-value of the likelihood-ratio test against the previous row (NaN unless requested).</param>
public sealed record ComparisonRow(string Label, int Position, string Formula, int Npar, double Aic, double Bic, double LogLikelihood, double Deviance,
    double ChiSquare, int Df, double PValue, double BoundaryPValue, bool RefittedMl, double BootstrapPValue);

/// <summary>
/// Likelihood-ratio comparison of models fitted to the same rows (lme4's <c>anova(m1, m2, ...)</c>): REML fits are
/// refitted by ML, the models are sorted by their number of parameters, and each is tested against the one before.
/// Models without random effects can be part of it (their ML log-likelihood is lm's).
/// </summary>
public sealed class ModelComparison
{
    private ModelComparison(IReadOnlyList<ComparisonRow> rows, string dataName, IReadOnlyList<string> warnings, int bootstrapReplicates)
    {
        Rows = rows;
        BootstrapReplicates = bootstrapReplicates;
        DataName = dataName;
        Warnings = warnings;
    }

    /// <summary>The rows, sorted by number of parameters.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>The data's name.</summary>
    public string DataName { get; }

    /// <summary>The number of bootstrap replicates behind <see cref="ComparisonRow.BootstrapPValue"/> (0 when none).</summary>
    public int BootstrapReplicates { get; }

    /// <summary>Notes: models refitted by ML, pairs that may not be nested.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Compares two or more models fitted to the same data; they are labelled MODEL1, MODEL2, … in the order given.</summary>
    public static ModelComparison Compare(params LinearMixedModel[] models) =>
        Compare(Enumerable.Range(1, models.Length).Select(i => $"MODEL{i}").ToArray(), models);

    /// <summary>
    /// Compares two or more models fitted to the same data, labelled as given (R prints the variables' names). With
    /// <paramref name="bootstrapReplicates"/> &gt; 0 each row is also tested against the previous one by a parametric
    /// bootstrap of the likelihood ratio (<see cref="ParametricBootstrap.LikelihoodRatioTest"/>); <paramref name="progress"/>
    /// hears the replicates done over all pairs.
    /// </summary>
    public static ModelComparison Compare(IReadOnlyList<string> labels, IReadOnlyList<LinearMixedModel> models,
        int bootstrapReplicates = 0, int seed = 1, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        return Compare(labels, models.Cast<IMixedModel>().ToList(), bootstrapReplicates, seed, progress);
    }

    /// <summary>
    /// Compares models of any kind fitted to the same rows — linear (REML fits refitted by ML) and generalized
    /// mixed models of one family, and their fixed-only counterparts (lm, glm) — as lme4's <c>anova()</c>. The
    /// parametric bootstrap is available for linear mixed models.
    /// </summary>
    public static ModelComparison Compare(IReadOnlyList<string> labels, IReadOnlyList<IMixedModel> models,
        int bootstrapReplicates = 0, int seed = 1, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count < 2) throw new ArgumentException("a comparison needs at least two models");
        if (labels.Count != models.Count) throw new ArgumentException($"{labels.Count} labels for {models.Count} models");
        var families = models.Select(m => m is GeneralizedLinearMixedModel g ? g.Family.ToString() : "gaussian ( identity )").Distinct().ToList();
        if (families.Count > 1)
            throw new ModelException($"the models have different families ({string.Join(", ", families)}): their likelihoods cannot be compared");
        var first = models[0];
        for (int i = 1; i < models.Count; i++)
        {
            var m = models[i];
            if (!m.Design.Frame.KeptRows.SequenceEqual(first.Design.Frame.KeptRows) || !m.Design.Response.SequenceEqual(first.Design.Response))
                throw new ModelException(
                    $"models {labels[0]} and {labels[i]} were not fitted to the same rows ({first.Observations} and {m.Observations} observations used{(m.Observations == first.Observations ? ", or a different response" : "")}): " +
                    "likelihoods of different data cannot be compared; remove the rows with missing values in any model's variables from the data first");
        }
        if (bootstrapReplicates > 0 && models.Any(m => m is not LinearMixedModel))
            throw new ModelException("the parametric bootstrap of the likelihood ratio is available for linear mixed models only so far");
        var warnings = new List<string>();
        bool Reml(IMixedModel m) => m is LinearMixedModel { Reml: true };
        var ml = models.Select(m => m is LinearMixedModel { Reml: true } l ? l.Refit(reml: false) : m).ToArray();
        if (models.Any(Reml)) warnings.Add("refitting model(s) with ML (instead of REML)");
        var order = Enumerable.Range(0, ml.Length).OrderBy(i => ml[i].ParameterCount).ThenBy(i => i).ToArray();
        var rows = new List<ComparisonRow>();
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            var m = ml[i];
            double chisq = double.NaN, p = double.NaN, pb = double.NaN, pboot = double.NaN;
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
                if (bootstrapReplicates > 0 && df > 0)
                {
                    int offset = (k - 1) * bootstrapReplicates;
                    var pairProgress = progress is null ? null : new OffsetProgress(progress, offset);
                    pboot = ParametricBootstrap.LikelihoodRatioTest((LinearMixedModel)prev, (LinearMixedModel)m, bootstrapReplicates, seed, pairProgress).PValue;
                }
            }
            rows.Add(new ComparisonRow(labels[i], i, m.Formula.ToString(), m.ParameterCount, m.Aic, m.Bic, m.LogLikelihood, -2 * m.LogLikelihood,
                chisq, df, p, pb, Reml(models[i]), pboot));
        }
        return new ModelComparison(rows.AsReadOnly(), first.Design.Frame.DataName, warnings.AsReadOnly(), Math.Max(bootstrapReplicates, 0));
    }

    private static bool SameFixedEffects(IMixedModel a, IMixedModel b) =>
        a.FixedEffects.Select(f => f.Name).ToHashSet().SetEquals(b.FixedEffects.Select(f => f.Name));

    /// <summary>A heuristic check that a is nested in b: its fixed-effect columns and each random term's columns are among b's.</summary>
    private static bool Nested(IMixedModel a, IMixedModel b)
    {
        if (!a.FixedEffects.Select(f => f.Name).ToHashSet().IsSubsetOf(b.FixedEffects.Select(f => f.Name))) return false;
        foreach (var ta in a.Design.RandomTerms)
        {
            var columns = b.Design.RandomTerms.Where(tb => tb.GroupName == ta.GroupName).SelectMany(tb => tb.ColumnNames).ToHashSet();
            if (!ta.ColumnNames.All(columns.Contains)) return false;
        }
        return true;
    }

    /// <summary>
    /// The table as text (lme4's printout followed by the warnings) or as JSON, CSV or Markdown rows in table order:
    /// model, formula, npar, aic, bic, loglik, deviance, chisq, df, p_value, p_boundary, refitted_ml.
    /// </summary>
    public string Format(TableFormat format)
    {
        if (format == TableFormat.Text)
        {
            var sb = new StringBuilder(ToString());
            var boundary = Rows.Where(r => !double.IsNaN(r.BoundaryPValue)).ToList();
            foreach (var r in boundary)
                sb.Append($"{r.Label}: a variance tested on the boundary; p from the 50:50 mixture of chi-squares = {PValues.Format([r.BoundaryPValue], 4)[0]}\n");
            if (BootstrapReplicates > 0)
                foreach (var r in Rows.Skip(1).Where(r => !double.IsNaN(r.BootstrapPValue)))
                    sb.Append($"{r.Label}: parametric bootstrap p ({BootstrapReplicates} replicates) = {PValues.Format([r.BootstrapPValue], 4)[0]}\n");
            foreach (string w in Warnings) sb.Append("Note: ").Append(w).Append('\n');
            return sb.ToString();
        }
        var columns = new List<string> { "model", "formula", "npar", "aic", "bic", "loglik", "deviance", "chisq", "df", "p_value", "p_boundary", "refitted_ml" };
        if (BootstrapReplicates > 0) columns.Add("p_bootstrap");
        var table = new ResultTable([.. columns]);
        table.PValueColumns.UnionWith(["p_value", "p_boundary", "p_bootstrap"]);
        for (int i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            var cells = new List<object?> { r.Label, r.Formula, r.Npar, r.Aic, r.Bic, r.LogLikelihood, r.Deviance, r.ChiSquare, i == 0 ? null : r.Df, r.PValue, r.BoundaryPValue, r.RefittedMl };
            if (BootstrapReplicates > 0) cells.Add(r.BootstrapPValue);
            table.Add([.. cells]);
        }
        return table.Write(format);
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

    /// <summary>Reports progress of one pair as progress over all pairs, synchronously.</summary>
    private sealed class OffsetProgress(IProgress<int> inner, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report(offset + value);
    }
}

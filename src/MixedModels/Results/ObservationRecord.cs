namespace MixedModels.Results;

/// <summary>One row used in a fit, as broom's <c>augment()</c> gives it.</summary>
/// <param name="Row">The 0-based row of the data the fit was given (rows dropped for missing values are skipped).</param>
/// <param name="Observed">The response (for a binomial fit, the proportion of successes).</param>
/// <param name="Fitted">The fitted value on the response scale.</param>
/// <param name="Residual">The response residual, observed − fitted.</param>
public sealed record ObservationRecord(int Row, double Observed, double Fitted, double Residual)
{
    internal static IReadOnlyList<ObservationRecord> Of(IMixedModel model, IReadOnlyList<double> residuals)
    {
        model.Design.RequireRows("a record per observation");
        var rows = model.Design.Frame.KeptRows;
        var y = model.Design.Response;
        var fitted = model.Fitted;
        var records = new ObservationRecord[rows.Count];
        for (int i = 0; i < records.Length; i++) records[i] = new ObservationRecord(rows[i], y[i], fitted[i], residuals[i]);
        return records.AsReadOnly();
    }
}

/// <summary>One level's conditional mode of one column of a random-effects term, as lme4's <c>as.data.frame(ranef(m, condVar = TRUE))</c>.</summary>
/// <param name="Group">The grouping factor (<c>grpvar</c>).</param>
/// <param name="Term">The column of the term (<c>term</c>: <c>(Intercept)</c>, <c>Days</c>).</param>
/// <param name="Level">The level (<c>grp</c>).</param>
/// <param name="ConditionalMode">The conditional mode (<c>condval</c>).</param>
/// <param name="ConditionalSd">Its conditional standard deviation (<c>condsd</c>).</param>
public sealed record RandomEffectRecord(string Group, string Term, string Level, double ConditionalMode, double ConditionalSd)
{
    internal static IReadOnlyList<RandomEffectRecord> Of(IReadOnlyList<RandomEffectsTable> tables)
    {
        var records = new List<RandomEffectRecord>();
        foreach (var t in tables)
            for (int c = 0; c < t.Columns.Count; c++)
                for (int l = 0; l < t.Levels.Count; l++)
                    records.Add(new RandomEffectRecord(t.Group, t.Columns[c], t.Levels[l], t.Mode(l, c), t.ConditionalSd(l, c)));
        return records.AsReadOnly();
    }
}

using MixedModels.Data;
using MixedModels.Diagnostics;
using MixedModels.Results;

namespace MixedModels.Reporting;

/// <summary>
/// Random effects, coefficients, predictions, simulations and diagnostics as tables in text, JSON, CSV or Markdown
/// (the same tables the CLI prints and the HTML report shows).
/// </summary>
public static class DiagnosticTables
{
    /// <summary>
    /// The conditional modes of every term with conditional SDs and intervals (group, level, term, estimate, cond_sd,
    /// conf.low, conf.high): per term and column sorted by the estimate when <paramref name="sortByEffect"/>, in
    /// level order otherwise.
    /// </summary>
    public static string RandomEffects(IMixedModel model, TableFormat format, double level = 0.95, bool sortByEffect = true) =>
        RandomEffectsTable(model.RandomEffects(), level, sortByEffect).Write(format);

    internal static ResultTable RandomEffectsTable(IReadOnlyList<RandomEffectsTable> tables, double level, bool sortByEffect)
    {
        var t = new ResultTable("group", "level", "term", "estimate", "cond.sd", "conf.low", "conf.high");
        foreach (var table in tables)
            for (int c = 0; c < table.Columns.Count; c++)
            {
                var rows = table.Sorted(c, level);
                var ordered = sortByEffect ? rows : rows.OrderBy(r => table.Levels.ToList().IndexOf(r.Level)).ToList();
                foreach (var r in ordered) t.Add(table.Name, r.Level, table.Columns[c], r.Mode, r.ConditionalSd, r.Lower, r.Upper);
            }
        return t;
    }

    /// <summary>lme4's <c>coef()</c>: one row per grouping factor and level, one column per coefficient.</summary>
    public static string Coefficients(IMixedModel model, TableFormat format) =>
        string.Join(format == TableFormat.Json ? "" : "\n", model.Coefficients().Select(g => CoefficientTable(g).Write(format)));

    internal static ResultTable CoefficientTable(GroupCoefficients g)
    {
        var t = new ResultTable(["group", "level", .. g.Columns]);
        for (int l = 0; l < g.Levels.Count; l++)
            t.Add([g.Group, g.Levels[l], .. Enumerable.Range(0, g.Columns.Count).Select(c => (object?)g.Value(l, c))]);
        return t;
    }

    /// <summary>Outlying levels (group, level, term, estimate, cond.sd, sampling.sd, z, and the block's χ²).</summary>
    public static string Outliers(IReadOnlyList<OutlyingLevel> outliers, TableFormat format) => OutlierTable(outliers).Write(format);

    internal static ResultTable OutlierTable(IReadOnlyList<OutlyingLevel> outliers)
    {
        var t = new ResultTable("group", "level", "term", "estimate", "cond.sd", "sampling.sd", "z", "block.chisq");
        foreach (var o in outliers) t.Add(o.Group, o.Level, o.Term, o.Mode, o.ConditionalSd, o.SamplingSd, o.Z, o.BlockChiSquare);
        return t;
    }

    /// <summary>Cluster deletion: level, observations, Cook's distance, σ and the fixed effects without the cluster.</summary>
    public static string Influence(IMixedModel model, IReadOnlyList<ClusterDeletion> rows, TableFormat format) =>
        InfluenceTable(model, rows).Write(format);

    internal static ResultTable InfluenceTable(IMixedModel model, IReadOnlyList<ClusterDeletion> rows)
    {
        var names = model.FixedEffects.Select(f => f.Name).ToArray();
        var t = new ResultTable(["level", "n", "cooks.distance", "sigma", .. names]);
        foreach (var r in rows)
            t.Add([r.Level, r.Observations, r.CooksDistance, r.Sigma, .. r.FixedEffects.Select(v => (object?)v)]);
        return t;
    }

    /// <summary>The new data's columns followed by fit, se.fixed and — with an interval — se, lower, upper; then the factors whose level was new.</summary>
    public static string Predictions(Table newData, IReadOnlyList<Prediction> predictions, bool interval, TableFormat format) =>
        PredictionTable(newData, predictions, interval).Write(format);

    internal static ResultTable PredictionTable(Table newData, IReadOnlyList<Prediction> predictions, bool interval)
    {
        var columns = newData.Columns.Select(c => c.Name).ToList();
        columns.AddRange(["fit", "se.fixed"]);
        if (interval) columns.AddRange(["se", "lower", "upper"]);
        columns.Add("new.levels");
        var t = new ResultTable([.. columns]);
        for (int i = 0; i < predictions.Count; i++)
        {
            var p = predictions[i];
            var cells = newData.Columns.Select(c => c switch
            {
                NumericColumn n => (object?)n.Values[i],
                CategoricalColumn k => k.Codes[i] < 0 ? null : k.Levels[k.Codes[i]],
                _ => null,
            }).ToList();
            cells.AddRange([p.Fit, p.FixedStandardError]);
            if (interval) cells.AddRange([p.StandardError, p.Lower, p.Upper]);
            cells.Add(string.Join(" ", p.NewLevels));
            t.Add([.. cells]);
        }
        return t;
    }

    /// <summary>Simulated responses: one column per simulation (sim_1, sim_2, … as lme4's <c>simulate</c>), one row per observation used.</summary>
    public static string Simulations(double[][] simulations, TableFormat format) => SimulationTable(simulations).Write(format);

    internal static ResultTable SimulationTable(double[][] simulations)
    {
        var t = new ResultTable(Enumerable.Range(1, simulations.Length).Select(s => $"sim_{s}").ToArray());
        int n = simulations.Length == 0 ? 0 : simulations[0].Length;
        for (int i = 0; i < n; i++) t.Add(simulations.Select(s => (object?)s[i]).ToArray());
        return t;
    }
}

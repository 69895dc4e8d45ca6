namespace MixedModels.Design;

public sealed partial class ModelDesign
{
    /// <summary>
    /// A design whose rows are aggregates (see <see cref="AggregatedRows"/>): X and each term's Z as model matrices
    /// over those rows (column-major), the response on them, each term's grouping levels and codes per row. The same
    /// checks and conventions as <see cref="Build(ModelFrame, DesignOptions?)"/> — rank, lme4's messages, term
    /// order — judged against the observations the rows stand for.
    /// </summary>
    internal static ModelDesign Aggregate(ModelFrame frame, DesignOptions options, double[] y, ModelMatrixBuilder.Result fixedColumns,
        bool[] binaryColumns, IReadOnlyList<(ModelMatrixBuilder.Result Z, string[] Levels, int[] Codes)> random, AggregatedRows rows)
    {
        var formula = frame.Formula;
        var messages = new List<string>();
        var x = FixedMatrix(fixedColumns, formula.FixedTerms, messages, rows.Ones, binaryColumns);
        var terms = new List<RandomEffectsTerm>();
        for (int i = 0; i < random.Count; i++)
            terms.Add(RandomTerm(formula, i, random[i].Z, random[i].Levels, random[i].Codes, options, rows.Ones));
        CheckGroupingFactors(terms, rows.Observations, residualVariance: true);
        return new ModelDesign(frame, formula.Response.ToString(), y, null, x, Order(terms), messages, options, null, null, rows);
    }
}

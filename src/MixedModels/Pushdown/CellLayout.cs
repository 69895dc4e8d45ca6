using MixedModels.Data;
using MixedModels.Design;

namespace MixedModels.Pushdown;

/// <summary>
/// How each observation's linear predictor follows from its cell: per cell the constants of X's and each term's Z
/// columns (the model matrices over the cells), which pieces each column multiplies, each term's level per cell, and
/// the cell's keys as a later pass joins the observations to their cells (<see cref="AggregatePlan.CellJoin"/>).
/// </summary>
internal sealed record CellLayout(AggregatePlan Plan, Column[] Keys, ModelMatrixBuilder.Result Fixed, int[][] FixedMonomials,
    (ModelMatrixBuilder.Result Z, int[][] Monomials, int[] Codes)[] Random)
{
    /// <summary>The distinct products of pieces the linear predictor uses (the constant first).</summary>
    public int[][] Monomials() =>
        FixedMonomials.Concat(Random.SelectMany(t => t.Monomials)).Prepend([]).DistinctBy(m => string.Join(",", m)).ToArray();
}

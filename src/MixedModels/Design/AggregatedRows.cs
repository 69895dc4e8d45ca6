namespace MixedModels.Design;

/// <summary>
/// What an aggregated design's rows stand for. Its rows are not observations: within each cell of the data (the rows
/// sharing every factor's level) the cell's cross-products of the model's numeric pieces were summed where the data
/// live and factored into at most as many rows as there are pieces, so [Z X y]'[Z X y] is that of the observations.
/// <see cref="Ones"/> is the value the constant 1 takes on each of these rows (its square sums to the number of
/// observations), which is what the intercept column holds and what column means are taken against.
/// </summary>
/// <param name="Observations">The number of observations aggregated.</param>
/// <param name="DroppedRows">The number of source rows removed for missing values.</param>
/// <param name="Ones">The constant 1 on each aggregated row.</param>
/// <param name="Source">Where the sums were computed (for messages), e.g. "DuckDB over 'visits.parquet'".</param>
/// <param name="LogWeightSum">Σ log wᵢ of the prior weights (0 without weights; they are folded into the rows).</param>
internal sealed record AggregatedRows(int Observations, int DroppedRows, double[] Ones, string Source, double LogWeightSum);

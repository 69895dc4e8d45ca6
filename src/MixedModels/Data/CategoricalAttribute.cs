namespace MixedModels.Data;

/// <summary>
/// Marks a numeric property of a record type as categorical for <see cref="Table.FromRecords{T}(IEnumerable{T}, string[])"/>:
/// its distinct values become factor levels in numeric order (R's <c>factor()</c> of a number), as a school id should.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = true)]
public sealed class CategoricalAttribute : Attribute;

namespace MixedModels.Design;

/// <summary>
/// Variables of a model that are not in its formula, as R's model-fitting functions take them: prior weights
/// (<c>weights =</c>) and an offset (<c>offset =</c>), each an expression in the data's columns
/// (<c>"size"</c>, <c>"log(exposure)"</c>). Rows missing any of them are removed with the formula's variables.
/// </summary>
public sealed record FrameOptions
{
    /// <summary>The prior weights' expression, or null (all weights 1).</summary>
    public string? Weights { get; init; }

    /// <summary>An offset's expression added to the formula's own <c>offset()</c> terms, or null.</summary>
    public string? Offset { get; init; }
}

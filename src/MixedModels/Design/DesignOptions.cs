namespace MixedModels.Design;

/// <summary>Options for building the design matrices.</summary>
public sealed record DesignOptions
{
    /// <summary>Contrast coding per factor variable (by name as in the formula, e.g. <c>Sex</c>); unlisted factors use the default.</summary>
    public IReadOnlyDictionary<string, ContrastKind> Contrasts { get; init; } = new Dictionary<string, ContrastKind>();
}

namespace MixedModels.Design;

/// <summary>Options for building the design matrices.</summary>
public sealed record DesignOptions
{
    /// <summary>Contrast coding per factor variable (by name as in the formula, e.g. <c>Sex</c>); unlisted factors use the default.</summary>
    public IReadOnlyDictionary<string, ContrastKind> Contrasts { get; init; } = new Dictionary<string, ContrastKind>();

    /// <summary>Prior weights and an offset given beside the formula (default none).</summary>
    public FrameOptions? Frame { get; init; }

    /// <summary>
    /// The response family of a generalized model, which decides how the response is read (a two-level factor or
    /// <c>cbind(successes, failures)</c> for the binomial); null (default) for a linear mixed model.
    /// </summary>
    public Families.Family? Family { get; init; }

    /// <summary>
    /// Whether a random-effects column far from zero beside its term's intercept is centred internally (default true);
    /// the robust fit, whose weights are not invariant to that reparameterization, builds its design without it.
    /// </summary>
    internal bool CentreTerms { get; init; } = true;
}

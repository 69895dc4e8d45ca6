using MixedModels.Design;

namespace MixedModels.Results;

/// <summary>
/// A term's random effects and their covariances in the data's coordinates: the fit keeps them in those of its
/// internally centred columns (<see cref="RandomEffectsTerm.IsCentred"/>), results show them as the user wrote the
/// term. The identity for every term that was not centred.
/// </summary>
internal static class TermCoordinates
{
    /// <summary>The modes (levels × d, row-major) in the data's coordinates.</summary>
    public static double[] Modes(RandomEffectsTerm term, double[] modes) =>
        term.Centring is { } c ? c.ModesToOriginal(modes) : modes;

    /// <summary>Every term's modes in the data's coordinates.</summary>
    public static double[][] Modes(ModelDesign design, double[][] modes) =>
        modes.Select((m, j) => Modes(design.RandomTerms[j], m)).ToArray();

    /// <summary>Per-level d × d covariances (row-major blocks) in the data's coordinates, in place.</summary>
    public static double[] Covariances(RandomEffectsTerm term, double[] blocks)
    {
        term.Centring?.CovariancesToOriginal(blocks);
        return blocks;
    }
}

namespace MixedModels.Inference;

/// <summary>The confidence level of an interval.</summary>
internal static class Level
{
    /// <summary>Refuses a level outside (0, 1), naming the parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not strictly between 0 and 1.</exception>
    public static void Check(double level, string name = "level")
    {
        if (!(level > 0 && level < 1))
            throw new ArgumentOutOfRangeException(name, level, "the confidence level must be between 0 and 1 (e.g. 0.95)");
    }
}

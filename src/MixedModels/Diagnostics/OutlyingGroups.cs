using MixedModels.Results;

namespace MixedModels.Diagnostics;

/// <summary>A level whose conditional mode lies far from zero relative to its conditional SD.</summary>
/// <param name="Group">The term's unique name (<c>Subject</c>, <c>Subject.1</c>).</param>
/// <param name="Level">The level.</param>
/// <param name="Term">The column (<c>(Intercept)</c>, <c>Days</c>).</param>
/// <param name="Mode">The conditional mode.</param>
/// <param name="ConditionalSd">Its conditional SD.</param>
/// <param name="Z">Mode / conditional SD.</param>
public sealed record OutlyingLevel(string Group, string Level, string Term, double Mode, double ConditionalSd, double Z);

/// <summary>
/// Clusters that stand out: levels whose conditional mode is more than a threshold number of conditional SDs from
/// zero (the effect the data pull the level to, measured against how well the data pin it down) — how a miscoding
/// interviewer or a school with unusual results shows up among the random effects.
/// </summary>
public static class OutlyingGroups
{
    /// <summary>All (level, column) pairs with |mode / SD| above <paramref name="threshold"/>, the most extreme first.</summary>
    public static IReadOnlyList<OutlyingLevel> Find(IMixedModel model, double threshold = 2.5)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(threshold > 0)) throw new ArgumentException($"the threshold must be positive (got {threshold})");
        var result = new List<OutlyingLevel>();
        foreach (var table in model.RandomEffects())
            for (int c = 0; c < table.Columns.Count; c++)
                for (int l = 0; l < table.Levels.Count; l++)
                {
                    double sd = table.ConditionalSd(l, c), mode = table.Mode(l, c);
                    if (!(sd > 0)) continue;
                    double z = mode / sd;
                    if (Math.Abs(z) > threshold) result.Add(new OutlyingLevel(table.Name, table.Levels[l], table.Columns[c], mode, sd, z));
                }
        return result.OrderByDescending(o => Math.Abs(o.Z)).ToList().AsReadOnly();
    }
}

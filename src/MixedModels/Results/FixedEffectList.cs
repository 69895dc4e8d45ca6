using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace MixedModels.Results;

/// <summary>
/// The fixed-effect coefficients of a fit, in the model matrix's order, readable by position
/// (<c>FixedEffects[1]</c>) or by name (<c>FixedEffects["Days"]</c>). Immutable.
/// </summary>
public sealed class FixedEffectList : IReadOnlyList<FixedEffect>
{
    private readonly FixedEffect[] _items;
    private readonly Dictionary<string, int> _index;

    internal FixedEffectList(FixedEffect[] items)
    {
        _items = items;
        _index = new Dictionary<string, int>(items.Length, StringComparer.Ordinal);
        for (int i = 0; i < items.Length; i++) _index.TryAdd(items[i].Name, i);
    }

    /// <summary>The number of coefficients.</summary>
    public int Count => _items.Length;

    /// <summary>The coefficient at a position of the model matrix.</summary>
    public FixedEffect this[int index] => _items[index];

    /// <summary>The coefficient of a column by its name as the summary prints it (<c>(Intercept)</c>, <c>Days</c>, <c>SexFemale</c>).</summary>
    /// <exception cref="KeyNotFoundException">No coefficient has that name; the message lists the names there are.</exception>
    public FixedEffect this[string name] => TryGet(name, out var effect) ? effect
        : throw new KeyNotFoundException($"the model has no fixed effect named '{name}'; its fixed effects are {string.Join(", ", Names.Select(n => $"'{n}'"))}");

    /// <summary>The coefficient of a column by name, if the model has one.</summary>
    public bool TryGet(string name, [MaybeNullWhen(false)] out FixedEffect effect)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_index.TryGetValue(name, out int i)) { effect = _items[i]; return true; }
        effect = null;
        return false;
    }

    /// <summary>True when the model has a coefficient of that name.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>The coefficient names in order.</summary>
    public IEnumerable<string> Names => _items.Select(e => e.Name);

    /// <inheritdoc/>
    public IEnumerator<FixedEffect> GetEnumerator() => ((IEnumerable<FixedEffect>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

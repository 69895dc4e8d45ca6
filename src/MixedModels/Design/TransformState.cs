namespace MixedModels.Design;

/// <summary>
/// What data-dependent transformations learned from the training data (keyed by the deparsed call), so that new
/// data are transformed with the same centre, scale, polynomial basis and levels.
/// </summary>
internal sealed class TransformState
{
    private readonly Dictionary<string, object> _values = new(StringComparer.Ordinal);

    /// <summary>True while fitting: transformations learn; false when applying them to new data.</summary>
    public bool Training { get; private set; } = true;

    public bool TryGet<T>(string key, out T? value) where T : class
    {
        if (_values.TryGetValue(key, out var v) && v is T t) { value = t; return true; }
        value = null;
        return false;
    }

    public void Set(string key, object value)
    {
        if (Training) _values[key] = value;
    }

    /// <summary>A frozen copy for applying the transformations to new data.</summary>
    public TransformState Freeze()
    {
        var s = new TransformState { Training = false };
        foreach (var kv in _values) s._values[kv.Key] = kv.Value;
        return s;
    }
}

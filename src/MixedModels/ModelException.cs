namespace MixedModels;

/// <summary>A model that cannot be built or fitted from the data: unknown columns, unusable grouping factors, and the like.</summary>
public sealed class ModelException : MixedModelsException
{
    /// <summary>Creates a model error.</summary>
    public ModelException(string message) : base(message) { }
}

namespace MixedModels;

/// <summary>
/// The one error type the library raises for problems with what the user gave it: data that cannot be read,
/// a formula that cannot be parsed, a model that cannot be fitted to the data. The message says what is wrong
/// and, where it can, how to fix it. Anything else thrown by the library is a bug.
/// </summary>
public class MixedModelsException : Exception
{
    /// <summary>Creates an error with a message for the user.</summary>
    public MixedModelsException(string message) : base(message) { }

    /// <summary>Creates an error with a message for the user and the lower-level cause.</summary>
    public MixedModelsException(string message, Exception inner) : base(message, inner) { }
}

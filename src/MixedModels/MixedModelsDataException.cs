namespace MixedModels;

/// <summary>A problem with input data: a file that cannot be read, a malformed CSV record, a bad column.</summary>
public sealed class MixedModelsDataException : MixedModelsException
{
    /// <summary>Creates a data error.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="line">The 1-based line of the input where the problem is, if known.</param>
    /// <param name="column">The column concerned, if any.</param>
    public MixedModelsDataException(string message, long? line = null, string? column = null)
        : base(Compose(message, line)) { Line = line; Column = column; }

    /// <summary>The 1-based line of the input where the problem was found, if known.</summary>
    public long? Line { get; }

    /// <summary>The name of the column concerned, if any.</summary>
    public string? Column { get; }

    private static string Compose(string message, long? line) =>
        line is null ? message : $"line {line}: {message}";
}

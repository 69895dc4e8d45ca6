using System.CommandLine;

namespace MixedModels.Cli;

/// <summary>Writes a command's output to standard output or to a file.</summary>
internal static class Output
{
    public static void Write(ParseResult parse, string? path, string text)
    {
        if (string.IsNullOrEmpty(path))
        {
            parse.InvocationConfiguration.Output.Write(text);
            return;
        }
        try { File.WriteAllText(path, text); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{path}': {e.Message}");
        }
    }
}

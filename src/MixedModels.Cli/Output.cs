using System.CommandLine;

namespace MixedModels.Cli;

/// <summary>Writes a command's output to standard output or to a file.</summary>
internal static class Output
{
    /// <summary>The --output (-o) option: a file to write instead of standard output.</summary>
    public static Option<string?> FileOption(string what = "the output") =>
        new("--output", "-o") { Description = $"Write {what} to this file instead of standard output" };

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

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
            // Standard output is usually a terminal: control characters in data values and formulas are escaped
            // (JSON escapes them already; --output writes the bytes as they are).
            parse.InvocationConfiguration.Output.Write(Formatting.TerminalText.Escape(text));
            return;
        }
        WriteStreaming(parse, path, w => w.Write(text));
    }

    /// <summary>
    /// Streams output made piece by piece (too large to hold as one string) to standard output or to a file. A file
    /// naming an input is refused (inputs are never written); a file is written to a temporary file in the same folder
    /// and renamed, so an interrupted or failed write leaves the old file whole. On standard output nothing is
    /// escaped: the writer must give only numbers and fixed names.
    /// </summary>
    public static void WriteStreaming(ParseResult parse, string? path, Action<TextWriter> write)
    {
        if (string.IsNullOrEmpty(path))
        {
            write(parse.InvocationConfiguration.Output);
            return;
        }
        WriteFile(parse, path, stream =>
        {
            using var w = new StreamWriter(stream);
            write(w);
        });
    }

    /// <summary>Bytes (a PNG image) to a file, with the same guards as <see cref="WriteStreaming"/>.</summary>
    public static void WriteBytes(ParseResult parse, string path, byte[] bytes) => WriteFile(parse, path, stream => stream.Write(bytes));

    private static void WriteFile(ParseResult parse, string path, Action<Stream> write)
    {
        foreach (string input in Inputs(parse))
            if (SameFile(input, path))
                throw new UsageException($"--output {path} is the input file '{input}': the output would replace the data; write it elsewhere (inputs are never written)");
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write)) write(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write '{path}': {e.Message}");
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The files a command reads: the values given to --data (-d) and --newdata on its command line.</summary>
    private static IEnumerable<string> Inputs(ParseResult parse)
    {
        var tokens = parse.Tokens;
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            string t = tokens[i].Value;
            if (t is "--data" or "-d" or "--newdata")
            {
                string value = tokens[i + 1].Value;
                if (File.Exists(value)) yield return value;
            }
            else if (t.StartsWith("--data=", StringComparison.Ordinal) && File.Exists(t[7..])) yield return t[7..];
        }
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);
}

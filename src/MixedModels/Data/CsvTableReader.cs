using nietras.SeparatedValues;

namespace MixedModels.Data;

/// <summary>
/// Reads CSV into a <see cref="Table"/> in one streaming pass, inferring column types. The records are split by Sep
/// (nietras/Sep); what a field means — quoting rules, missing values, numbers, decimal commas, text checks — is
/// <see cref="CsvRecordSink"/>'s.
/// </summary>
internal static class CsvTableReader
{
    public static Table ReadFile(string path, CsvOptions options, IProgress<long>? bytesRead = null)
    {
        using var stream = OpenFile(path);
        try { return ReadStream(stream, path, options, bytesRead); }
        catch (IOException e) { throw new MixedModelsDataException($"cannot read '{path}': {e.Message}"); }
    }

    public static async Task<Table> ReadFileAsync(string path, CsvOptions options, CancellationToken cancellation)
    {
        await using var stream = OpenFile(path, asynchronous: true);
        try { return await ReadStreamAsync(stream, path, options, cancellation).ConfigureAwait(false); }
        catch (IOException e) { throw new MixedModelsDataException($"cannot read '{path}': {e.Message}"); }
    }

    private static FileStream OpenFile(string path, bool asynchronous = false)
    {
        if (Directory.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': it is a directory, not a file");
        if (!File.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': there is no such file");
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                FileOptions.SequentialScan | (asynchronous ? FileOptions.Asynchronous : FileOptions.None));
        }
        catch (IOException e) { throw new MixedModelsDataException($"cannot read '{path}': {e.Message}"); }
        catch (UnauthorizedAccessException) { throw new MixedModelsDataException($"cannot read '{path}': permission denied"); }
    }

    /// <summary>
    /// CSV from a stream that need not seek (standard input, a pipe, a process substitution): the first block is read
    /// once for the text check and then given back to the reader in front of the rest.
    /// </summary>
    public static Table ReadStream(Stream stream, string name, CsvOptions options, IProgress<long>? bytesRead = null)
    {
        var head = new byte[4096];
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        CsvTextCheck.CheckHead(head.AsSpan(0, n), name);
        using Stream whole = new PrefixStream(head.AsMemory(0, n), stream);
        using Stream source = bytesRead is null ? whole : new ProgressStream(whole, bytesRead);
        using var reader = new StreamReader(source, detectEncodingFromByteOrderMarks: true);
        return Read(reader, options);
    }

    public static async Task<Table> ReadStreamAsync(Stream stream, string name, CsvOptions options, CancellationToken cancellation)
    {
        var head = new byte[4096];
        int n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellation).ConfigureAwait(false);
        CsvTextCheck.CheckHead(head.AsSpan(0, n), name);
        await using Stream whole = new PrefixStream(head.AsMemory(0, n), stream);
        using var reader = new StreamReader(whole, detectEncodingFromByteOrderMarks: true);
        return await ReadAsync(reader, options, cancellation).ConfigureAwait(false);
    }

    public static Table Read(TextReader text, CsvOptions options)
    {
        using var guard = new CsvTextGuard(text);
        var sink = new CsvRecordSink(options, Separator(guard, options));
        using var reader = Options(sink.Separator).From(guard, leaveOpen: true);
        try { foreach (var row in reader) sink.Accept(row); }
        catch (NotSupportedException) { throw TooLong(sink); }
        return sink.Build();
    }

    public static async Task<Table> ReadAsync(TextReader text, CsvOptions options, CancellationToken cancellation)
    {
        using var guard = new CsvTextGuard(text);
        var sink = new CsvRecordSink(options, Separator(guard, options));
        using var reader = await Options(sink.Separator).FromAsync(guard, leaveOpen: true, cancellation).ConfigureAwait(false);
        try { while (await reader.MoveNextAsync(cancellation).ConfigureAwait(false)) sink.Accept(reader.Current); }
        catch (NotSupportedException) { throw TooLong(sink); }
        return sink.Build();
    }

    /// <summary>Sep's buffer limit reached: the row after the last one read is too long.</summary>
    private static MixedModelsDataException TooLong(CsvRecordSink sink) =>
        new($"the row starting here is longer than {CsvTextGuard.MaxRecordLength >> 20} million characters; this is not a CSV table (or a quote is never closed)",
            sink.NextLine);

    private static SepReaderOptions Options(char separator) =>
        Sep.New(separator).Reader(o => o with
        {
            HasHeader = false,              // the header is the sink's: its own messages for empty and repeated names
            DisableColCountCheck = true,    // a ragged row is refused by the sink, naming the line
        });

    /// <summary>
    /// The separator: the given one, or when it is the default comma and the header line holds no comma outside quotes
    /// but has semicolons or tabs, the more frequent of those.
    /// </summary>
    private static char Separator(CsvTextGuard guard, CsvOptions options)
    {
        if (!options.DetectSeparator || options.Separator != ',') return options.Separator;
        int commas = 0, semicolons = 0, tabs = 0;
        bool quoted = false;
        foreach (char c in guard.FirstLine())
        {
            if (c == '"') quoted = !quoted;
            else if (quoted) continue;
            else if (c == ',') commas++;
            else if (c == ';') semicolons++;
            else if (c == '\t') tabs++;
        }
        return commas == 0 && semicolons + tabs > 0 ? (semicolons >= tabs ? ';' : '\t') : ',';
    }
}

namespace MixedModels.Data;

/// <summary>The data file formats read: CSV text, Parquet, Arrow IPC (Feather) and DuckDB database files.</summary>
internal enum FileFormat
{
    /// <summary>CSV (or other delimited) text.</summary>
    Csv,
    /// <summary>Apache Parquet (starts with PAR1).</summary>
    Parquet,
    /// <summary>Arrow IPC file (Feather version 2, starts with ARROW1) or stream.</summary>
    Arrow,
    /// <summary>A DuckDB database file (DUCK at byte 8).</summary>
    DuckDb,
}

/// <summary>Tells a data file's format from its first bytes, then its extension.</summary>
internal static class FileFormats
{
    public static FileFormat Detect(string path)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        // Only a regular file with content is peeked at: a named pipe (length 0) would lose the bytes read.
        if (ext is ".csv" or ".tsv" or ".txt" || new FileInfo(path).Length < 16) return ByExtension(ext);
        var head = new byte[16];
        int n;
        using (var stream = File.OpenRead(path)) n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var h = head.AsSpan(0, n);
        if (h.StartsWith("PAR1"u8)) return FileFormat.Parquet;
        if (h.StartsWith("ARROW1"u8)) return FileFormat.Arrow;
        if (n >= 12 && h[8..12].SequenceEqual("DUCK"u8)) return FileFormat.DuckDb;
        return ByExtension(ext);
    }

    /// <summary>An Arrow IPC stream has no magic bytes: its extension says what it is; anything else is read as CSV.</summary>
    private static FileFormat ByExtension(string ext) => ext switch
    {
        ".arrows" or ".arrow" or ".feather" or ".ipc" => FileFormat.Arrow,
        ".parquet" => FileFormat.Parquet,
        ".duckdb" or ".ddb" => FileFormat.DuckDb,
        _ => FileFormat.Csv,
    };
}

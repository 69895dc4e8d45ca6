using MixedModels.Data;
using Npgsql;

namespace MixedModels.Cli;

/// <summary>
/// Loads the data a command names — a CSV file, an embedded data set, or the rows of a SQL query on PostgreSQL —
/// then applies the column type options.
/// </summary>
internal static class DataSource
{
    /// <summary>Files larger than this show a progress bar while they load (on an interactive terminal).</summary>
    private const long LargeFile = 32L << 20;

    public static (Table Table, string Name) Load(string data, IEnumerable<string> factors, IEnumerable<string> levels, IEnumerable<string> ordered) =>
        Apply(Read(data), factors, levels, ordered);

    /// <summary>Runs <paramref name="sql"/> on the PostgreSQL server of <paramref name="connection"/> and loads the rows.</summary>
    public static (Table Table, string Name) Query(string connection, string sql, IEnumerable<string> factors, IEnumerable<string> levels, IEnumerable<string> ordered) =>
        Apply((FromDatabase(connection, sql), "query"), factors, levels, ordered);

    private static (Table Table, string Name) Read(string data)
    {
        if (File.Exists(data)) return (ReadFile(data), Path.GetFileNameWithoutExtension(data));
        if (Datasets.Exists(data)) return (Datasets.Load(data), data);
        if (Directory.Exists(data)) throw new DataException($"cannot read '{data}': it is a directory, not a file");
        if (data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || data.Contains('/') || data.Contains('\\'))
            throw new DataException($"cannot read '{data}': there is no such file");
        throw new DataException($"'{data}' is neither a file nor an embedded data set. Embedded data sets: {string.Join(", ", Datasets.All.Select(d => d.Name))}");
    }

    /// <summary>A CSV file in one streaming pass; a large one with a progress bar over the bytes read.</summary>
    private static Table ReadFile(string path)
    {
        long length = new FileInfo(path).Length;
        if (length < LargeFile) return Table.ReadCsv(path);
        using var bar = ProgressBar.Start($"reading {Path.GetFileName(path)}", length >> 20, " MB");
        if (bar is null) return Table.ReadCsv(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var counted = new ProgressStream(file, bytes => bar.Report(bytes >> 20));
            using var reader = new StreamReader(counted, detectEncodingFromByteOrderMarks: true);
            return Table.ReadCsv(reader);
        }
        catch (IOException e) { throw new DataException($"cannot read '{path}': {e.Message}"); }
        catch (UnauthorizedAccessException) { throw new DataException($"cannot read '{path}': permission denied"); }
    }

    private static Table FromDatabase(string connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new UsageException("--sql is empty: give the query that returns the rows, e.g. --sql \"SELECT * FROM sleepstudy\"");
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connection); }
        catch (ArgumentException e) { throw new UsageException($"--connection is not a valid connection string ({e.Message}); write it as \"Host=...;Database=...;Username=...\""); }
        string where = $"{builder.Host ?? "localhost"}:{builder.Port}/{builder.Database ?? builder.Username}";
        try
        {
            using var conn = new NpgsqlConnection(builder.ConnectionString);
            conn.Open();
            using var cmd = new NpgsqlCommand(sql, conn);
            using var reader = cmd.ExecuteReader();
            using var progress = ProgressBar.Count("reading the query", "rows");
            return Table.FromDataReader(reader, progress);
        }
        catch (PostgresException e)
        {
            string position = e.Position > 0 ? $" (at character {e.Position} of the query)" : "";
            throw new DataException($"the database at {where} rejected the query: {e.MessageText}{position}");
        }
        catch (NpgsqlException e)
        {
            throw new DataException($"cannot connect to the database at {where}: {e.InnerException?.Message ?? e.Message}");
        }
        catch (TimeoutException e)
        {
            throw new DataException($"cannot connect to the database at {where}: {e.Message}");
        }
    }

    private static (Table Table, string Name) Apply((Table Table, string Name) source, IEnumerable<string> factors, IEnumerable<string> levels, IEnumerable<string> ordered)
    {
        var (table, name) = source;
        foreach (string f in factors) table = table.AsFactor(f);
        foreach (string spec in levels)
        {
            var (col, lv) = Split(spec, "--levels");
            table = table.AsFactor(col, lv ?? throw new UsageException($"--levels {spec}: give the levels as COL=a,b,c"));
        }
        foreach (string spec in ordered)
        {
            var (col, lv) = Split(spec, "--ordered");
            table = table.AsFactor(col, lv, ordered: true);
        }
        return (table, name);
    }

    private static (string Column, string[]? Levels) Split(string spec, string option)
    {
        int eq = spec.IndexOf('=');
        if (eq < 0) return (spec.Trim(), null);
        string col = spec[..eq].Trim();
        if (col.Length == 0) throw new UsageException($"{option} {spec}: the column name is missing before '='");
        var levels = spec[(eq + 1)..].Split(',').Select(s => s.Trim()).ToArray();
        if (levels.Any(l => l.Length == 0)) throw new UsageException($"{option} {spec}: a level name is empty");
        return (col, levels);
    }
}

/// <summary>A read-only stream that reports how many bytes have been read from the stream it wraps.</summary>
internal sealed class ProgressStream(Stream inner, Action<long> report) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = inner.Read(buffer, offset, count);
        _read += n;
        report(_read);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

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
        using var bar = length < LargeFile ? null : ProgressBar.Start($"reading {Path.GetFileName(path)}", length, " MB", scale: 1 << 20);
        return Table.ReadCsv(path, bytesRead: bar);
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

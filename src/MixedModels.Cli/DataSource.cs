using MixedModels.Data;
using MixedModels.Formatting;
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
        Load(data, new DataPreparation([.. factors], [.. levels], [.. ordered], [], null), TextWriter.Null);

    /// <summary>Loads a file or data set and prepares it (missing codes, column types, subset), telling <paramref name="notes"/> what the subset kept.</summary>
    public static (Table Table, string Name) Load(string data, DataPreparation prep, TextWriter notes, string? tableName = null)
    {
        var (missing, perColumn) = prep.MissingCodes();
        var (table, name, csv) = Read(data, new CsvOptions { MissingValues = [.. new CsvOptions().MissingValues, .. missing], ColumnMissingValues = perColumn, Collation = prep.Collation }, tableName);
        // A CSV file took its missing codes and collation while it was read; other sources take them now.
        return csv ? Apply((table, name), prep, notes) : Prepare((table, name), prep, notes);
    }

    /// <summary>Runs <paramref name="sql"/> on the PostgreSQL server of <paramref name="connection"/> and loads the rows.</summary>
    public static (Table Table, string Name) Query(string connection, string sql, DataPreparation prep, TextWriter notes) =>
        Prepare((FromDatabase(connection, sql), "query"), prep, notes);

    /// <summary>Prepares rows read from a database or a typed file (missing codes, collation, then the column options and subset).</summary>
    public static (Table Table, string Name) Prepare((Table Table, string Name) source, DataPreparation prep, TextWriter notes)
    {
        var (missing, perColumn) = prep.MissingCodes();
        var table = source.Table.WithMissing(missing, perColumn);
        return Apply((prep.Collation == Collation.Ordinal ? table : table.WithCollation(prep.Collation), source.Name), prep, notes);
    }

    private static (Table Table, string Name, bool Csv) Read(string data, CsvOptions csv, string? table)
    {
        var format = File.Exists(data) ? FileFormats.Detect(data) : (FileFormat?)null;
        if (table is not null && format != FileFormat.DuckDb)
            throw new UsageException($"--table goes with a DuckDB database file (--data file.duckdb --table visits); '{data}' is {(format is null ? "not one" : $"a {format} file, one table")}");
        if (data == "-") return (Table.ReadCsv(Console.OpenStandardInput(), csv, name: "standard input"), "stdin", true);
        if (format is { } f)
        {
            string name = Path.GetFileNameWithoutExtension(data);
            return f switch
            {
                FileFormat.Parquet => (Table.ReadParquet(data), name, false),
                FileFormat.Arrow => (Table.ReadArrow(data), name, false),
                FileFormat.DuckDb => table is null
                    ? throw new UsageException($"'{data}' is a DuckDB database: say which table to read with --table (it has: {string.Join(", ", Table.DuckDbTables(data))})")
                    : (Table.ReadDuckDb(data, table), table, false),
                _ => (ReadFile(data, csv), name, true),
            };
        }
        if (data.Contains('*') && data.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase)) return (Table.ReadParquet(data), "parquet", false);
        if (Datasets.Exists(data)) return (Datasets.Load(data), data, false);
        if (Directory.Exists(data)) throw new MixedModelsDataException($"cannot read '{data}': it is a directory, not a file");
        if (data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || data.Contains('/') || data.Contains('\\'))
            throw new MixedModelsDataException($"cannot read '{data}': there is no such file");
        throw new MixedModelsDataException($"'{data}' is neither a file nor an embedded data set. Embedded data sets: {string.Join(", ", Datasets.All.Select(d => d.Name))}");
    }

    /// <summary>A CSV file in one streaming pass; a large one with a progress bar over the bytes read.</summary>
    private static Table ReadFile(string path, CsvOptions csv)
    {
        long length = new FileInfo(path).Length;
        using var bar = length < LargeFile ? null : ProgressBar.Start($"reading {Path.GetFileName(path)}", length, " MB", scale: 1 << 20);
        return Table.ReadCsv(path, csv, bar);
    }

    /// <summary>The statements a query may start with: those that only read rows.</summary>
    private static readonly string[] ReadingStatements = ["SELECT", "WITH", "VALUES", "TABLE"];

    /// <summary>
    /// Runs the query read-only: it must start with a statement that reads (SELECT, WITH, VALUES, TABLE — no COPY,
    /// which can write files on the server), it is sent as exactly one statement (a batch of one command, which
    /// PostgreSQL refuses to split at semicolons), inside a READ ONLY transaction that is rolled back, so nothing it
    /// names can be changed.
    /// </summary>
    private static Table FromDatabase(string connection, string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new UsageException("--sql is empty: give the query that returns the rows, e.g. --sql \"SELECT * FROM sleepstudy\"");
        string first = FirstKeyword(sql);
        if (!ReadingStatements.Contains(first, StringComparer.OrdinalIgnoreCase))
            throw new UsageException($"--sql must be one query that reads rows (SELECT, WITH, VALUES or TABLE), not '{MixedModels.Formatting.TerminalText.Escape(first)}': the database is only ever read");
        NpgsqlConnectionStringBuilder builder;
        string where;
        try { (builder, where) = PostgresConnection.Parse(connection); }
        catch (MixedModelsDataException e) { throw new UsageException("--connection: " + e.Message); }
        var conn = PostgresConnection.Open(builder, where);
        try
        {
            using var tx = conn.BeginTransaction();
            using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", conn, tx)) readOnly.ExecuteNonQuery();
            using var batch = new NpgsqlBatch(conn, tx);
            batch.BatchCommands.Add(new NpgsqlBatchCommand(sql));
            using var reader = batch.ExecuteReader();
            using var progress = ProgressBar.Count("reading the query", "rows");
            var table = Table.FromDataReader(reader, progress);
            reader.Close();
            tx.Rollback();
            return table;
        }
        catch (PostgresException e) when (e.SqlState == "25006")
        {
            throw new MixedModelsDataException($"the query would change the database ({e.MessageText}); --sql runs read-only and only reads rows");
        }
        catch (PostgresException e) when (e.SqlState == "42601" && e.MessageText.Contains("multiple commands", StringComparison.Ordinal))
        {
            throw new MixedModelsDataException("--sql holds more than one statement; give exactly one query that reads rows");
        }
        catch (PostgresException e)
        {
            string position = e.Position > 0 ? $" (at character {e.Position} of the query)" : "";
            throw new MixedModelsDataException($"the database at {where} rejected the query: {e.MessageText}{position}");
        }
        catch (NpgsqlException e)
        {
            throw new MixedModelsDataException($"the connection to the database at {where} failed while reading: {e.InnerException?.Message ?? e.Message}");
        }
        finally { conn.Dispose(); }
    }

    /// <summary>The query's first word, after white space, SQL comments and opening parentheses.</summary>
    internal static string FirstKeyword(string sql)
    {
        int i = 0;
        while (i < sql.Length)
        {
            if (char.IsWhiteSpace(sql[i]) || sql[i] == '(') { i++; continue; }
            if (sql.AsSpan(i).StartsWith("--"))
            {
                int end = sql.IndexOf('\n', i);
                i = end < 0 ? sql.Length : end + 1;
                continue;
            }
            if (sql.AsSpan(i).StartsWith("/*"))
            {
                int end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                continue;
            }
            break;
        }
        int start = i;
        while (i < sql.Length && (char.IsLetter(sql[i]) || sql[i] == '_')) i++;
        return i > start ? sql[start..i] : sql[start..Math.Min(sql.Length, start + 10)];
    }

    private static (Table Table, string Name) Apply((Table Table, string Name) source, DataPreparation prep, TextWriter notes)
    {
        var (table, name) = source;
        foreach (string f in prep.Factors) table = table.AsFactor(f);
        foreach (string spec in prep.Levels)
        {
            var (col, lv) = Split(spec, "--levels");
            table = table.AsFactor(col, lv ?? throw new UsageException($"--levels {spec}: give the levels as COL=a,b,c"));
        }
        foreach (string spec in prep.Ordered)
        {
            var (col, lv) = Split(spec, "--ordered");
            table = table.AsFactor(col, lv, ordered: true);
        }
        if (prep.Collation == Collation.Ordinal)
            foreach (var (column, reference, locale) in table.CollationDifferences())
                notes.WriteLine($"note: the levels of '{TerminalText.Escape(column)}' are in ordinal (C) order, so its reference level is '{TerminalText.Escape(reference)}'; " +
                    $"R in an English locale sorts '{TerminalText.Escape(locale)}' first (--collation locale gives R's order, --levels {TerminalText.Escape(column)}=... any order)");
        if (prep.Subset is { } condition)
        {
            int before = table.RowCount;
            table = table.Where(condition);
            notes.WriteLine($"subset: {table.RowCount} of {before} rows kept ({TerminalText.Escape(condition)})");
            if (table.RowCount == 0) throw new MixedModelsDataException($"subset: no row satisfies {condition}");
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

using System.CommandLine;
using MixedModels.Data;

namespace MixedModels.Cli;

/// <summary>
/// The options that say where the data come from — --data (a CSV file or an embedded data set) or --connection
/// with --sql (PostgreSQL) — and how columns are typed (--factor, --levels, --ordered).
/// </summary>
internal sealed class DataOptions
{
    private readonly Option<string?> _data = new("--data", "-d") { Description = "A CSV, Parquet (also a glob such as 'dir/*.parquet'), Arrow IPC/Feather or DuckDB database file (with --table), - for CSV on standard input, or the name of an embedded data set (see 'mixed datasets'); or use --connection and --sql" };
    private readonly Option<string?> _table = new("--table") { Description = "The table or view of a DuckDB database file given by --data, or of the PostgreSQL database given by --connection (mixed fit then computes the model's sums inside the database); name or schema.name" };
    private readonly Option<string?> _where = new("--where") { Description = "With --connection and --table: only the rows where this SQL condition holds, e.g. \"year >= 2020\"" };
    private readonly Option<string?> _connection = new("--connection") { Description = "A PostgreSQL connection string (\"Host=...;Database=...;Username=...\"); the rows come from --sql" };
    private readonly Option<string?> _sql = new("--sql") { Description = "The SQL query whose rows are the data (with --connection); NULL is a missing value" };
    private readonly Option<string[]> _factor = new("--factor") { Description = "Treat a numeric-looking column as categorical (repeatable)" };
    private readonly Option<string[]> _levels = new("--levels") { Description = "Set a factor's level order: COL=a,b,c (repeatable)" };
    private readonly Option<string[]> _ordered = new("--ordered") { Description = "Make a factor ordered (polynomial contrasts): COL=a,b,c or COL (repeatable)" };
    private readonly Option<string[]> _na = new("--na") { Description = "Codes read as missing, besides empty/NA/NaN (read.csv's na.strings, dplyr's na_if): --na 88, --na '.', or one column's: --na trstplc=88,99 (repeatable)" };
    private readonly Option<string> _collation = new Option<string>("--collation")
    {
        Description = "Order of text levels (the first is the reference level): ordinal (C order, as pandas and MixedModels.jl; default) or locale (R in an English locale: alpha before Beta)",
        DefaultValueFactory = _ => "ordinal",
    }.AcceptOnlyFromAmong("ordinal", "locale");
    private readonly Option<string?> _subset = new("--subset") { Description = "Keep the rows where this R condition is TRUE (lmer's subset =), before missing values are removed: 'Days >= 2 & Subject != \"309\"', 'School %in% c(1224, 1462)', 'row_number() <= 550'" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _data, _table, _where, _connection, _sql, _factor, _levels, _ordered, _na, _subset, _collation }) command.Add(o);
    }

    /// <summary>True when --data, --connection or --sql was given.</summary>
    public bool Given(ParseResult parse) =>
        parse.GetValue(_data) is not null || parse.GetValue(_connection) is not null || parse.GetValue(_sql) is not null;

    /// <summary>
    /// An engine that computes a model's sums inside the file given by --data (Parquet, also a glob; CSV; a DuckDB
    /// database file with --table), or null when the data are not such a file. <paramref name="required"/>: --engine
    /// duckdb was asked for, so what cannot go to the engine is refused instead of read into memory; otherwise files
    /// under <paramref name="threshold"/> bytes are read into memory.
    /// </summary>
    public Pushdown.AggregateEngine? Engine(ParseResult parse, bool required, long threshold)
    {
        string? data = parse.GetValue(_data), table = parse.GetValue(_table);
        if (parse.GetValue(_connection) is { } connection && table is not null)
        {
            // A PostgreSQL table: always summed inside the database (its rows are never read).
            if (parse.GetValue(_sql) is not null) throw new UsageException("give --table (sums computed inside the database) or --sql (rows read), not both");
            if (data is not null) throw new UsageException("give either --data or --connection, not both");
            if (PreparesRows(parse)) throw new UsageException("--factor, --levels, --ordered, --na and --subset prepare rows in memory; with --connection and --table write factor(x) in the formula and use --where");
            try { return Pushdown.PostgresEngine.Table(connection, table, parse.GetValue(_where)); }
            catch (MixedModelsDataException e) when (e.Message.StartsWith("the connection string", StringComparison.Ordinal)) { throw new UsageException("--connection: " + e.Message); }
        }
        if (parse.GetValue(_where) is not null) throw new UsageException("--where goes with --connection and --table (a PostgreSQL table summed inside the database)");
        string? sql = parse.GetValue(_sql);
        string? why = data is null ? "--engine duckdb needs --data FILE (Parquet, CSV or a DuckDB database with --table or --sql)"
            : parse.GetValue(_connection) is not null ? "--engine duckdb computes over --data FILE; PostgreSQL sums go with --connection and --table"
            : sql is not null && (!File.Exists(data) || FileFormats.Detect(data) != FileFormat.DuckDb) ? $"--sql with --data queries a DuckDB database file; '{data}' is not one"
            : PreparesRows(parse)
                ? "--factor, --levels, --ordered, --na and --subset prepare rows in memory; with --engine duckdb write factor(x) in the formula, or use --engine memory"
            : parse.GetValue(_collation) == "locale" ? "--collation locale orders levels in memory; use --engine memory"
            : null;
        if (why is not null) return required ? throw new UsageException(why) : null;
        bool glob = data!.Contains('*', StringComparison.Ordinal);
        if (!glob && !File.Exists(data))
            return !required ? null : throw new UsageException(Datasets.Exists(data)
                ? $"--engine duckdb: '{data}' is an embedded data set, which is read into memory (leave out --engine)"
                : $"--engine duckdb: cannot read '{data}': there is no such file");
        var format = glob ? FileFormat.Parquet : FileFormats.Detect(data);
        if (!required && !glob && new FileInfo(data).Length < threshold) return null;
        return format switch
        {
            FileFormat.Parquet => Pushdown.DuckDbEngine.Parquet(data),
            FileFormat.Csv => Pushdown.DuckDbEngine.Csv(data),
            FileFormat.DuckDb when sql is not null => table is null ? Pushdown.DuckDbEngine.Query(data, sql) : throw new UsageException("give --table or --sql, not both"),
            FileFormat.DuckDb => Pushdown.DuckDbEngine.Table(data, table ?? throw new UsageException($"'{data}' is a DuckDB database file: give the table to read with --table or --sql")),
            _ => required ? throw new UsageException($"--engine duckdb reads Parquet, CSV and DuckDB files; '{data}' is an Arrow file (use --engine memory)") : null,
        };
    }

    private bool PreparesRows(ParseResult parse) =>
        parse.GetValue(_factor)?.Length > 0 || parse.GetValue(_levels)?.Length > 0 || parse.GetValue(_ordered)?.Length > 0 ||
        parse.GetValue(_na)?.Length > 0 || parse.GetValue(_subset) is not null;

    /// <summary>Loads the data set or file a model call named (<c>data = cbpp</c>), with the column options applied.</summary>
    public (Table Table, string Name) Load(ParseResult parse, string named) =>
        DataSource.Load(named, Preparation(parse), parse.InvocationConfiguration.Error, parse.GetValue(_table));

    /// <summary>The --na, --factor, --levels, --ordered and --subset options given.</summary>
    public DataPreparation Preparation(ParseResult parse) =>
        new(parse.GetValue(_factor) ?? [], parse.GetValue(_levels) ?? [], parse.GetValue(_ordered) ?? [], parse.GetValue(_na) ?? [], parse.GetValue(_subset),
            parse.GetValue(_collation) == "locale" ? Collation.Locale : Collation.Ordinal);

    /// <summary>Loads the data with the column options applied, and its display name.</summary>
    public (Table Table, string Name) Load(ParseResult parse)
    {
        string? data = parse.GetValue(_data), connection = parse.GetValue(_connection), sql = parse.GetValue(_sql);
        var prep = Preparation(parse);
        var notes = parse.InvocationConfiguration.Error;
        if (data is not null && sql is not null && connection is null)
        {
            // A query on a DuckDB database file, read-only.
            if (parse.GetValue(_table) is not null) throw new UsageException("give --table or --sql, not both");
            if (!File.Exists(data) || FileFormats.Detect(data) != FileFormat.DuckDb)
                throw new UsageException($"--sql with --data queries a DuckDB database file; '{data}' is not one (PostgreSQL: --connection with --sql)");
            return DataSource.Prepare((Table.QueryDuckDb(data, sql), "query"), prep, notes);
        }
        if (data is not null)
        {
            if (connection is not null || sql is not null) throw new UsageException("give either --data or --connection with --sql, not both");
            return DataSource.Load(data, prep, notes, parse.GetValue(_table));
        }
        if (parse.GetValue(_table) is not null && connection is not null)
            throw new UsageException("--connection with --table is summed inside the database by mixed fit (a linear mixed model given by --formula); this command reads rows: give --sql \"SELECT ...\"");
        if (parse.GetValue(_table) is not null) throw new UsageException("--table names a table of the DuckDB database file given by --data");
        if (parse.GetValue(_where) is not null) throw new UsageException("--where goes with --connection and --table in mixed fit");
        if (connection is null && sql is null) throw new UsageException("no data: give --data FILE.csv (or an embedded data set's name), or --connection and --sql");
        if (connection is null) throw new UsageException("--sql needs --connection \"Host=...;Database=...;Username=...\" to say which database to query");
        if (sql is null) throw new UsageException("--connection needs --sql \"SELECT ...\" to say which rows to read");
        return DataSource.Query(connection, sql, prep, notes);
    }
}

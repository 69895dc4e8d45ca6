using System.CommandLine;
using MixedModels.Data;

namespace MixedModels.Cli;

/// <summary>
/// The options that say where the data come from — --data (a CSV file or an embedded data set) or --connection
/// with --sql (PostgreSQL) — and how columns are typed (--factor, --levels, --ordered).
/// </summary>
internal sealed class DataOptions
{
    private readonly Option<string?> _data = new("--data", "-d") { Description = "A CSV file (- for standard input; pipes work), or the name of an embedded data set (see 'mixed datasets'); or use --connection and --sql" };
    private readonly Option<string?> _connection = new("--connection") { Description = "A PostgreSQL connection string (\"Host=...;Database=...;Username=...\"); the rows come from --sql" };
    private readonly Option<string?> _sql = new("--sql") { Description = "The SQL query whose rows are the data (with --connection); NULL is a missing value" };
    private readonly Option<string[]> _factor = new("--factor") { Description = "Treat a numeric-looking column as categorical (repeatable)" };
    private readonly Option<string[]> _levels = new("--levels") { Description = "Set a factor's level order: COL=a,b,c (repeatable)" };
    private readonly Option<string[]> _ordered = new("--ordered") { Description = "Make a factor ordered (polynomial contrasts): COL=a,b,c or COL (repeatable)" };

    /// <summary>Adds the options to a command.</summary>
    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { _data, _connection, _sql, _factor, _levels, _ordered }) command.Add(o);
    }

    /// <summary>True when --data, --connection or --sql was given.</summary>
    public bool Given(ParseResult parse) =>
        parse.GetValue(_data) is not null || parse.GetValue(_connection) is not null || parse.GetValue(_sql) is not null;

    /// <summary>Loads the data set or file a model call named (<c>data = cbpp</c>), with the column options applied.</summary>
    public (Table Table, string Name) Load(ParseResult parse, string named) =>
        DataSource.Load(named, parse.GetValue(_factor) ?? [], parse.GetValue(_levels) ?? [], parse.GetValue(_ordered) ?? []);

    /// <summary>Loads the data with the column options applied, and its display name.</summary>
    public (Table Table, string Name) Load(ParseResult parse)
    {
        string? data = parse.GetValue(_data), connection = parse.GetValue(_connection), sql = parse.GetValue(_sql);
        var factors = parse.GetValue(_factor) ?? [];
        var levels = parse.GetValue(_levels) ?? [];
        var ordered = parse.GetValue(_ordered) ?? [];
        if (data is not null)
        {
            if (connection is not null || sql is not null) throw new UsageException("give either --data or --connection with --sql, not both");
            return DataSource.Load(data, factors, levels, ordered);
        }
        if (connection is null && sql is null) throw new UsageException("no data: give --data FILE.csv (or an embedded data set's name), or --connection and --sql");
        if (connection is null) throw new UsageException("--sql needs --connection \"Host=...;Database=...;Username=...\" to say which database to query");
        if (sql is null) throw new UsageException("--connection needs --sql \"SELECT ...\" to say which rows to read");
        return DataSource.Query(connection, sql, factors, levels, ordered);
    }
}

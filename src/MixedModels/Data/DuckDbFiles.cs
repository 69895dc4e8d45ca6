using System.Data.Common;
using DuckDB.NET.Data;

namespace MixedModels.Data;

/// <summary>
/// Files read through the embedded DuckDB engine: Parquet files (DuckDB's reader) and the tables and views of a DuckDB
/// database file, opened read-only. Columns are typed as a database query's: numbers numeric, text and enums
/// categorical, booleans categorical (TRUE/FALSE), dates and times categorical ISO 8601 text; NULL missing.
/// </summary>
internal static class DuckDbFiles
{
    /// <summary>Every row of a Parquet file (or of several, a glob such as <c>dir/*.parquet</c>).</summary>
    public static Table ReadParquet(string path, IProgress<long>? rowsRead = null)
    {
        using var connection = Open(":memory:", readOnly: false);
        return Query(connection, $"SELECT * FROM read_parquet({Literal(path)})", $"the Parquet file '{path}'", rowsRead);
    }

    /// <summary>Every row of the table or view <paramref name="table"/> (<c>name</c> or <c>schema.name</c>) of a DuckDB database file.</summary>
    public static Table ReadTable(string databasePath, string table, IProgress<long>? rowsRead = null)
    {
        if (!File.Exists(databasePath)) throw new MixedModelsDataException($"cannot read '{databasePath}': there is no such file");
        string name = QualifiedName(table);
        using var connection = Open(databasePath, readOnly: true);
        CheckTable(connection, databasePath, table);
        return Query(connection, $"SELECT * FROM {name}", $"table '{table}' of '{databasePath}'", rowsRead);
    }

    /// <summary>
    /// The rows of a query on a DuckDB database file. The database is opened read-only with external access off (no
    /// other file can be read or written, no database attached), and the query must start with SELECT, WITH, VALUES,
    /// TABLE or FROM, so nothing can be changed.
    /// </summary>
    public static Table Query(string databasePath, string sql, IProgress<long>? rowsRead = null)
    {
        if (!File.Exists(databasePath)) throw new MixedModelsDataException($"cannot read '{databasePath}': there is no such file");
        CheckReadingQuery(sql);
        using var connection = Open(databasePath, readOnly: true, externalAccess: false);
        return Query(connection, sql, $"the query on '{databasePath}'", rowsRead);
    }

    private static readonly string[] ReadingStatements = ["SELECT", "WITH", "VALUES", "TABLE", "FROM"];

    /// <summary>Refuses an empty query or one that does not start by reading rows.</summary>
    internal static void CheckReadingQuery(string sql)
    {
        if (string.IsNullOrWhiteSpace(sql)) throw new MixedModelsDataException("the query is empty: give the query that returns the rows, e.g. SELECT * FROM visits");
        string first = new string(sql.TrimStart().TakeWhile(char.IsLetter).ToArray());
        if (!ReadingStatements.Contains(first, StringComparer.OrdinalIgnoreCase))
            throw new MixedModelsDataException($"the query must read rows (SELECT, WITH, VALUES, TABLE or FROM), not '{first}': the database is only ever read");
    }

    /// <summary>The names of the tables and views of a DuckDB database file.</summary>
    public static IReadOnlyList<string> TableNames(string databasePath)
    {
        using var connection = Open(databasePath, readOnly: true);
        return Names(connection);
    }

    /// <summary>
    /// Refuses a table or view the database file (opened on <paramref name="connection"/>, or attached to it as
    /// <paramref name="catalog"/>) does not have, listing those it has.
    /// </summary>
    internal static void CheckTable(DuckDBConnection connection, string databasePath, string table, string? catalog = null)
    {
        var tables = Names(connection, catalog);
        if (!tables.Contains(table, StringComparer.OrdinalIgnoreCase))
            throw new MixedModelsDataException($"'{databasePath}' has no table or view '{table}'; it has: {(tables.Count == 0 ? "none" : string.Join(", ", tables))}");
    }

    private static List<string> Names(DuckDBConnection connection, string? catalog = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CASE WHEN table_schema = 'main' THEN table_name ELSE table_schema || '.' || table_name END FROM information_schema.tables" +
            (catalog is null ? "" : $" WHERE table_catalog = {Literal(catalog)}") + " ORDER BY 1";
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    private static DuckDBConnection Open(string path, bool readOnly, bool externalAccess = true)
    {
        var builder = new DuckDBConnectionStringBuilder { DataSource = path };
        if (readOnly) builder["access_mode"] = "READ_ONLY";
        if (!externalAccess) builder["enable_external_access"] = "false";
        var connection = new DuckDBConnection(builder.ConnectionString);
        try
        {
            connection.Open();
        }
        catch (DbException e)
        {
            connection.Dispose();
            throw new MixedModelsDataException($"cannot open '{path}' as a DuckDB database: {FirstLine(e.Message)}");
        }
        return connection;
    }

    private static Table Query(DuckDBConnection connection, string sql, string what, IProgress<long>? rowsRead)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            return DataReaderLoader.Load(reader, rowsRead);
        }
        catch (DbException e)
        {
            throw new MixedModelsDataException($"cannot read {what}: {FirstLine(e.Message)}");
        }
    }

    /// <summary>A SQL string literal (single quotes doubled).</summary>
    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A quoted identifier, or schema.name with each part quoted.</summary>
    internal static string QualifiedName(string name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new MixedModelsDataException("give the table to read, e.g. --table visits");
        var parts = name.Split('.');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0)) throw new MixedModelsDataException($"'{name}' is not a table name: give name or schema.name");
        return string.Join(".", parts.Select(p => "\"" + p.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }

    private static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n');
        return (nl < 0 ? message : message[..nl]).Trim();
    }
}

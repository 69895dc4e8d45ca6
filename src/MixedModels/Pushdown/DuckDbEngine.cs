using System.Data.Common;
using DuckDB.NET.Data;
using MixedModels.Data;

namespace MixedModels.Pushdown;

/// <summary>
/// The embedded DuckDB engine over a Parquet file (or glob), a CSV file, or a table of a DuckDB database file: the
/// model's sums are computed by DuckDB's own readers without the rows entering this process. The database file is
/// attached read-only to an in-memory database, so nothing is ever written to the user's files.
/// </summary>
public sealed class DuckDbEngine : AggregateEngine
{
    private readonly DuckDBConnection _connection;
    private readonly string _source, _description, _name;
    private IReadOnlyList<SourceColumn>? _columns;

    private readonly string _spill;

    private DuckDbEngine(DuckDBConnection connection, string source, string description, string name, string spill)
    {
        _spill = spill;
        _connection = connection;
        _source = source;
        _description = description;
        _name = name;
    }

    /// <summary>A Parquet file (or a glob such as <c>dir/*.parquet</c>).</summary>
    public static DuckDbEngine Parquet(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.Contains('*', StringComparison.Ordinal) && !File.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': there is no such file");
        return Open($"read_parquet({DuckDbFiles.Literal(path)})", $"DuckDB over '{path}'", Path.GetFileNameWithoutExtension(path), null);
    }

    /// <summary>A CSV file, read by DuckDB with <c>NA</c> and empty fields as missing values.</summary>
    public static DuckDbEngine Csv(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new MixedModelsDataException($"cannot read '{path}': there is no such file");
        return Open($"read_csv({DuckDbFiles.Literal(path)}, nullstr = ['NA', ''], header = true)", $"DuckDB over '{path}'", Path.GetFileNameWithoutExtension(path), null);
    }

    /// <summary>The table or view <paramref name="table"/> (<c>name</c> or <c>schema.name</c>) of a DuckDB database file, attached read-only.</summary>
    public static DuckDbEngine Table(string databasePath, string table)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        if (!File.Exists(databasePath)) throw new MixedModelsDataException($"cannot read '{databasePath}': there is no such file");
        string name = DuckDbFiles.QualifiedName(table);
        string qualified = table.Contains('.', StringComparison.Ordinal) ? "src." + name : "src.main." + name;
        var engine = Open(qualified, $"DuckDB over table '{table}' of '{databasePath}'", table, $"ATTACH {DuckDbFiles.Literal(databasePath)} AS src (READ_ONLY)");
        try
        {
            // The table is looked up in the attached file itself: the file is opened once.
            DuckDbFiles.CheckTable(engine._connection, databasePath, table, "src");
            return engine;
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    /// <summary>DuckDB's own memory for the sums (its hash tables spill to a temporary directory beyond it).</summary>
    private const string MemoryLimit = "512MB";

    /// <summary>
    /// The rows of a query on a DuckDB database file (attached read-only). The query must read rows (SELECT, WITH,
    /// VALUES, TABLE or FROM), and once the file is attached the engine's access to any other file is switched off.
    /// </summary>
    public static DuckDbEngine Query(string databasePath, string sql)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        ArgumentNullException.ThrowIfNull(sql);
        if (!File.Exists(databasePath)) throw new MixedModelsDataException($"cannot read '{databasePath}': there is no such file");
        DuckDbFiles.CheckReadingQuery(sql);
        return Open($"(SELECT * FROM ({sql})) AS query", $"DuckDB over a query on '{databasePath}'", "query",
            $"ATTACH {DuckDbFiles.Literal(databasePath)} AS src (READ_ONLY); USE src; SET enable_external_access = false");
    }

    private static DuckDbEngine Open(string source, string description, string name, string? setup)
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        // Spilled data go to a directory of this engine's own under the system's temporary folder (DuckDB's default,
        // .tmp in the working directory, would write beside the user's files); it is removed on Dispose.
        string spill = Path.Combine(Path.GetTempPath(), "mixed-duckdb-" + Guid.NewGuid().ToString("N"));
        try
        {
            connection.Open();
            using (var limits = connection.CreateCommand())
            {
                limits.CommandText = $"SET memory_limit = '{MemoryLimit}'; SET temp_directory = {DuckDbFiles.Literal(spill)}; SET preserve_insertion_order = false";
                limits.ExecuteNonQuery();
            }
            if (setup is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = setup;
                command.ExecuteNonQuery();
            }
        }
        catch (DbException e)
        {
            connection.Dispose();
            throw new MixedModelsDataException($"{description}: {FirstLine(e.Message)}");
        }
        return new DuckDbEngine(connection, source, description, name, spill);
    }

    /// <inheritdoc />
    public override string Description => _description;

    /// <inheritdoc />
    public override string DataName => _name;

    /// <inheritdoc />
    protected internal override string Source => _source;

    /// <inheritdoc />
    protected internal override IReadOnlyList<SourceColumn> Columns()
    {
        if (_columns is { } known) return known;
        var t = Run(_connection, $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {_source})");
        var names = (CategoricalColumn)t.Columns[0];
        var types = (CategoricalColumn)t.Columns[1];
        var list = new List<SourceColumn>(t.RowCount);
        for (int i = 0; i < t.RowCount; i++)
        {
            string type = types[i]!.ToUpperInvariant();
            bool floating = type is "DOUBLE" or "FLOAT" or "REAL";
            bool numeric = floating || type.StartsWith("DECIMAL", StringComparison.Ordinal) ||
                type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "HUGEINT" or "UTINYINT" or "USMALLINT" or "UINTEGER" or "UBIGINT" or "UHUGEINT";
            list.Add(new SourceColumn(names[i]!, numeric, floating, type == "VARCHAR"));
        }
        return _columns = list;
    }

    /// <inheritdoc />
    protected internal override string Sum(string expression) => $"fsum({expression})";

    /// <inheritdoc />
    protected internal override string IsNumber(string quotedColumn) => $"NOT isnan({quotedColumn})";

    /// <inheritdoc />
    protected internal override Table Query(string sql) => Run(_connection, sql);

    /// <summary>The cells' coefficients go to a temporary table of the in-memory database (never the user's file).</summary>
    internal override (string Relation, IDisposable Cleanup)? CellRelation(Column[] keys, double[] coefficients, int count)
    {
        const string table = "mixed_cell_coefficients";
        int cells = coefficients.Length / count;
        Execute($"CREATE OR REPLACE TEMP TABLE {table} (" +
            string.Join(", ", keys.Select((k, i) => $"\"mixed:k{i}\" {(k is NumericColumn ? "DOUBLE" : "VARCHAR")}").Concat(Enumerable.Range(0, count).Select(t => $"\"mixed:b{t}\" DOUBLE"))) + ")");
        using (var appender = _connection.CreateAppender("temp", "main", table))
            for (int c = 0; c < cells; c++)
            {
                var row = appender.CreateRow();
                foreach (var k in keys)
                {
                    if (k is NumericColumn n) row.AppendValue(n[c]);
                    else row.AppendValue(((CategoricalColumn)k)[c]);
                }
                for (int t = 0; t < count; t++) row.AppendValue(coefficients[c * count + t]);
                row.EndRow();
            }
        return ("temp.main." + table + " AS c", new Cleanup(() => Execute($"DROP TABLE IF EXISTS temp.main.{table}")));
    }

    private sealed class Cleanup(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _connection.Dispose();
        if (Directory.Exists(_spill)) Directory.Delete(_spill, recursive: true);
    }
}

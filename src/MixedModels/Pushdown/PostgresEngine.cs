using System.Globalization;
using System.Text;
using MixedModels.Data;
using Npgsql;

namespace MixedModels.Pushdown;

/// <summary>
/// A PostgreSQL table as the source of a model's sums. Every query runs in a read-only transaction (nothing is
/// written to the database). A partitioned table is summed partition by partition — each leaf (a local table or a
/// postgres_fdw foreign table on another server) gets its own GROUP BY on its own connection, in parallel, which
/// postgres_fdw ships whole to the server that holds the rows — and the parts are added up here: sums are
/// associative. An unpartitioned table is read in one repeatable-read snapshot.
/// </summary>
public sealed class PostgresEngine : AggregateEngine
{
    /// <summary>The residual quantiles' pass joins the cells' coefficients as a VALUES list up to this many cells.</summary>
    private const int MaxInlineCells = 20_000;

    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string _where, _table, _source;
    private readonly string? _filter;
    private readonly string[] _parts;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _snapshot;
    private IReadOnlyList<SourceColumn>? _columns;

    private PostgresEngine(NpgsqlConnectionStringBuilder builder, string where, string table, string? filter, NpgsqlConnection connection,
        NpgsqlTransaction snapshot, string[] parts)
    {
        _builder = builder;
        _where = where;
        _table = table;
        _filter = filter;
        _connection = connection;
        _snapshot = snapshot;
        _parts = parts;
        _source = From(DuckDbFiles.QualifiedName(table));
    }

    /// <summary>
    /// The table (or view) <paramref name="table"/> (<c>name</c> or <c>schema.name</c>) of the database
    /// <paramref name="connectionString"/> names, optionally only its rows where <paramref name="where"/> (a SQL
    /// condition) holds.
    /// </summary>
    public static PostgresEngine Table(string connectionString, string table, string? where = null)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        ArgumentNullException.ThrowIfNull(table);
        if (where is not null && (string.IsNullOrWhiteSpace(where) || where.Contains(';', StringComparison.Ordinal)))
            throw new MixedModelsDataException($"--where '{where}' is not one SQL condition");
        var (builder, server) = PostgresConnection.Parse(connectionString);
        var connection = PostgresConnection.Open(builder, server);
        try
        {
            var snapshot = connection.BeginTransaction(System.Data.IsolationLevel.RepeatableRead);
            using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, snapshot)) readOnly.ExecuteNonQuery();
            string qualified = DuckDbFiles.QualifiedName(table);
            using (var exists = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", connection, snapshot))
            {
                exists.Parameters.AddWithValue("t", qualified);
                if (exists.ExecuteScalar() is not true)
                    throw new MixedModelsDataException($"the database at {server} has no table or view '{table}'");
            }
            var parts = Leaves(connection, snapshot, qualified);
            return new PostgresEngine(builder, server, table, where, connection, snapshot, parts);
        }
        catch (PostgresException e)
        {
            connection.Dispose();
            throw new MixedModelsDataException($"the database at {server} rejected a query about '{table}': {e.MessageText}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The leaf partitions of a partitioned table (one part, the table itself, otherwise).</summary>
    private static string[] Leaves(NpgsqlConnection connection, NpgsqlTransaction tx, string qualified)
    {
        const string sql = """
            WITH RECURSIVE tree AS (
              SELECT c.oid, c.relkind FROM pg_class c WHERE c.oid = to_regclass(@t)
              UNION ALL
              SELECT i.inhrelid, c.relkind FROM tree JOIN pg_inherits i ON i.inhparent = tree.oid JOIN pg_class c ON c.oid = i.inhrelid
            )
            SELECT format('%I.%I', n.nspname, c.relname) FROM tree JOIN pg_class c ON c.oid = tree.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE tree.relkind IN ('r', 'f') AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = tree.oid)
            ORDER BY 1
            """;
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddWithValue("t", qualified);
        var parts = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) parts.Add(reader.GetString(0));
        return parts.Count > 1 ? [.. parts] : [];
    }

    /// <summary>The number of parts the sums are computed over (the leaf partitions; 1 for a plain table).</summary>
    public int Parts => Math.Max(1, _parts.Length);

    /// <summary>Reports each part's query as it completes (partition name), for progress on long queries.</summary>
    public IProgress<string>? Progress { get; set; }

    /// <inheritdoc />
    public override string Description => $"PostgreSQL at {_where} over '{_table}'{(_parts.Length > 1 ? $" ({_parts.Length} partitions)" : "")}";

    /// <inheritdoc />
    public override string DataName => _table;

    /// <inheritdoc />
    protected internal override string Source => _source;

    private string From(string relation) => _filter is null ? relation : $"(SELECT * FROM {relation} WHERE {_filter}) AS filtered";

    /// <inheritdoc />
    protected internal override IReadOnlyList<SourceColumn> Columns()
    {
        if (_columns is { } known) return known;
        using var command = new NpgsqlCommand($"SELECT * FROM {_source} LIMIT 0", _connection, _snapshot);
        var list = new List<SourceColumn>();
        try
        {
            using var reader = command.ExecuteReader(System.Data.CommandBehavior.SchemaOnly);
            for (int i = 0; i < reader.FieldCount; i++)
            {
                string type = reader.GetDataTypeName(i);
                bool floating = type is "double precision" or "real" or "numeric" || type.StartsWith("numeric", StringComparison.Ordinal);
                bool numeric = floating || type is "integer" or "bigint" or "smallint";
                list.Add(new SourceColumn(reader.GetName(i), numeric, floating, type is "text" or "character varying" or "character"));
            }
        }
        catch (PostgresException e)
        {
            throw new MixedModelsDataException($"{Description}: {e.MessageText}{(_filter is null ? "" : " (check --where)")}");
        }
        return _columns = list;
    }

    /// <inheritdoc />
    protected internal override string Sum(string expression) => $"sum({expression})";

    /// <inheritdoc />
    protected internal override string IsNumber(string quotedColumn) => $"CAST({quotedColumn} AS DOUBLE PRECISION) <> 'NaN'::float8";

    /// <inheritdoc />
    protected internal override Table Query(string sql)
    {
        try
        {
            using var command = new NpgsqlCommand(sql, _connection, _snapshot) { CommandTimeout = 0 };
            using var reader = command.ExecuteReader();
            return DataReaderLoader.Load(reader);
        }
        catch (PostgresException e)
        {
            throw new MixedModelsDataException($"{Description} could not compute the model's sums: {e.MessageText}");
        }
    }

    /// <summary>Each leaf partition on its own read-only connection, at most four at a time.</summary>
    protected internal override IReadOnlyList<Table> QueryEach(Func<string, string> sql)
    {
        if (_parts.Length <= 1) return [Query(sql(Source))];
        var results = new Table[_parts.Length];
        Parallel.For(0, _parts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            using var connection = PostgresConnection.Open(_builder, _where);
            using var tx = connection.BeginTransaction();
            using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, tx)) readOnly.ExecuteNonQuery();
            try
            {
                using var command = new NpgsqlCommand(sql(From("ONLY " + _parts[i])), connection, tx) { CommandTimeout = 0 };
                using var reader = command.ExecuteReader();
                results[i] = DataReaderLoader.Load(reader);
            }
            catch (PostgresException e)
            {
                throw new MixedModelsDataException($"{Description} could not compute the model's sums on partition {_parts[i]}: {e.MessageText}");
            }
            Progress?.Report(_parts[i]);
        });
        return results;
    }

    /// <summary>
    /// Up to <see cref="MaxInlineCells"/> cells, their coefficients as a VALUES list written into the queries (nothing
    /// is stored in the database; with more cells the residuals are not available).
    /// </summary>
    internal override (string Relation, IDisposable Cleanup)? CellRelation(Column[] keys, double[] coefficients, int count)
    {
        int cells = coefficients.Length / count;
        if (cells > MaxInlineCells) return null;
        var values = new StringBuilder("(VALUES ");
        for (int c = 0; c < cells; c++)
        {
            if (c > 0) values.Append(", ");
            values.Append('(');
            foreach (var k in keys)
                values.Append(k is NumericColumn n ? n[c].ToString("R", CultureInfo.InvariantCulture) + "::float8" : DuckDbFiles.Literal(((CategoricalColumn)k)[c] ?? "")).Append(", ");
            for (int t = 0; t < count; t++) values.Append(t > 0 ? ", " : "").Append(coefficients[c * count + t].ToString("R", CultureInfo.InvariantCulture)).Append("::float8");
            values.Append(')');
        }
        var names = Enumerable.Range(0, keys.Length).Select(k => $"\"mixed:k{k}\"").Concat(Enumerable.Range(0, count).Select(t => $"\"mixed:b{t}\""));
        return (values.Append($") AS c({string.Join(", ", names)})").ToString(), new NoCleanup());
    }

    private sealed class NoCleanup : IDisposable
    {
        public void Dispose() { }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _snapshot.Dispose();
        _connection.Dispose();
    }
}

using System.Data.Common;
using MixedModels.Data;

namespace MixedModels.Pushdown;

/// <summary>
/// A database engine that answers a model's aggregate queries where the data live (push-down): it describes its
/// source's columns and runs read-only GROUP BY queries over it, returning only their (small) results. Implementations
/// wrap an ADO.NET connection: <see cref="DuckDbEngine"/> for Parquet, CSV and DuckDB files, <see cref="PostgresEngine"/>
/// for PostgreSQL tables (partitioned ones part by part); another engine derives from this class and says how its SQL
/// sums, tests for NaN and runs a query (the queries use standard SQL: COUNT(*) FILTER, CAST, GROUP BY).
/// </summary>
public abstract class AggregateEngine : IDisposable
{
    /// <summary>Where the sums are computed, for messages and the summary (e.g. <c>DuckDB over 'visits.parquet'</c>).</summary>
    public abstract string Description { get; }

    /// <summary>The name the data go by in the summary (the file or table).</summary>
    public abstract string DataName { get; }

    /// <summary>The FROM item of the source (a table name or a table function).</summary>
    protected internal abstract string Source { get; }

    /// <summary>The source's columns: name, and whether they are numbers (and floating point, which may hold NaN).</summary>
    protected internal abstract IReadOnlyList<SourceColumn> Columns();

    /// <summary>An accurate sum of a double expression (a compensated sum where the engine has one).</summary>
    protected internal abstract string Sum(string expression);

    /// <summary>The condition that a floating-point column is a number (not NaN).</summary>
    protected internal abstract string IsNumber(string quotedColumn);

    /// <summary>Runs a read-only query and returns its rows.</summary>
    protected internal abstract Table Query(string sql);

    /// <summary>
    /// Runs an aggregate query once per part of the source (<paramref name="sql"/> given each part's FROM item) and
    /// returns each part's result; one part, the whole source, unless the engine splits it (a partitioned table).
    /// </summary>
    protected internal virtual IReadOnlyList<Table> QueryEach(Func<string, string> sql) => [Query(sql(Source))];

    /// <summary>An aggregate query whose one row holds sums and counts, added up over the source's parts.</summary>
    internal Table Totals(Func<string, string> sql) => PartialSums.Totals(QueryEach(sql));

    /// <summary>A GROUP BY query over <paramref name="keys"/> leading columns (then sums), added up by key over the source's parts.</summary>
    internal Table Cells(Func<string, string> sql, int keys) => PartialSums.Cells(QueryEach(sql), keys);

    /// <summary>How a cell's key column is matched to the rows in a later join (<see cref="CellRelation"/>).</summary>
    internal enum KeyKind { Number, Text, Other }

    /// <summary>
    /// Makes the cells' coefficients (<paramref name="coefficients"/>: per cell, <paramref name="count"/> of them)
    /// available to queries as a relation aliased c with columns <c>"mixed:k0"</c>, … (the keys, <paramref name="keys"/>:
    /// numbers as double precision, the others as text)
    /// and <c>"mixed:b0"</c>, …; returns its SQL (a FROM item) and what removes it, or null when the engine cannot
    /// (a later pass over the observations is then not made, and says so).
    /// </summary>
    internal virtual (string Relation, IDisposable Cleanup)? CellRelation(Data.Column[] keys, double[] coefficients, int count) => null;

    /// <summary>A quoted identifier.</summary>
    protected internal static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Runs <paramref name="sql"/> on <paramref name="connection"/>, turning the engine's errors into a data error naming the source.</summary>
    private protected Table Run(DbConnection connection, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            using var reader = command.ExecuteReader();
            return DataReaderLoader.Load(reader);
        }
        catch (DbException e)
        {
            throw new MixedModelsDataException($"{Description} could not compute the model's sums: {FirstLine(e.Message)}");
        }
    }

    private protected static string FirstLine(string message)
    {
        int nl = message.IndexOf('\n');
        return (nl < 0 ? message : message[..nl]).Trim();
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Closes the connection when <paramref name="disposing"/>.</summary>
    protected abstract void Dispose(bool disposing);
}

/// <summary>A column of an engine's source.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Numeric">True for numbers (integers, decimals, floating point); other columns are categorical.</param>
/// <param name="Floating">True when the column may hold NaN (a missing value, as in memory).</param>
/// <param name="Text">True for text columns (their values read as they are stored); false for numbers and for other
/// categorical types (booleans, dates, enums), which are matched by their text.</param>
public sealed record SourceColumn(string Name, bool Numeric, bool Floating, bool Text = false);

using System.Text.Json;
using MixedModels.Data;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using Npgsql;
using NpgsqlTypes;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>
/// Runs only when MIXED_TEST_POSTGRES holds a connection string (.ci/run installs PostgreSQL, starts it on
/// 127.0.0.1 and sets it); otherwise the tests show as skipped with this reason.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public static string? ConnectionString => Environment.GetEnvironmentVariable("MIXED_TEST_POSTGRES");

    public PostgresFactAttribute()
    {
        if (string.IsNullOrEmpty(ConnectionString)) Skip = "set MIXED_TEST_POSTGRES to a PostgreSQL connection string (.ci/run does) to run the database tests";
    }
}

/// <summary>Loads embedded data sets into PostgreSQL tables once for the database tests.</summary>
public sealed class PostgresFixture
{
    public PostgresFixture()
    {
        if (PostgresFactAttribute.ConnectionString is not { Length: > 0 } cs) return;
        using var conn = new NpgsqlConnection(cs);
        conn.Open();
        Load(conn, "mm_sleepstudy", Datasets.Load("sleepstudy"), integers: ["Days"]);
        Load(conn, "mm_hsb", Datasets.Load("hsb"), integers: []);
        Load(conn, "mm_sleepstudy_missing", Datasets.Load("sleepstudy_missing"), integers: []);
        Execute(conn, """
            DROP TABLE IF EXISTS mm_types;
            CREATE TABLE mm_types (d double precision, r real, n numeric(10,2), i integer, b bigint, s smallint, t text, flag boolean);
            INSERT INTO mm_types VALUES (1.5, 2.5, 3.25, 4, 5, 6, 'a', true), (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), (-1, 0, 10.5, -3, 7, 1, 'b', false);
            """);
    }

    internal static void Execute(NpgsqlConnection conn, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    /// <summary>A table with the data set's columns: numbers as double precision (or integer), factors as text; missing values as NULL.</summary>
    internal static void Load(NpgsqlConnection conn, string name, Table data, string[] integers)
    {
        string Type(Column c) => c is CategoricalColumn ? "text" : integers.Contains(c.Name) ? "integer" : "double precision";
        Execute(conn, $"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ({string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\" {Type(c)}"))});");
        using var writer = conn.BeginBinaryImport($"COPY {name} FROM STDIN (FORMAT BINARY)");
        for (int r = 0; r < data.RowCount; r++)
        {
            writer.StartRow();
            foreach (var c in data.Columns)
            {
                if (c.IsMissing(r)) writer.WriteNull();
                else if (c is CategoricalColumn f) writer.Write(f[r]!, NpgsqlDbType.Text);
                else if (integers.Contains(c.Name)) writer.Write((int)((NumericColumn)c)[r], NpgsqlDbType.Integer);
                else writer.Write(((NumericColumn)c)[r], NpgsqlDbType.Double);
            }
        }
        writer.Complete();
    }
}

/// <summary>Data from a real PostgreSQL server through Npgsql: same fits as from CSV, NULL as missing, column types, errors.</summary>
public sealed class PostgresTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private readonly PostgresFixture _fixture = fixture;

    private static Table Query(string sql)
    {
        using var conn = new NpgsqlConnection(PostgresFactAttribute.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        using var reader = cmd.ExecuteReader();
        return Table.FromDataReader(reader);
    }

    [PostgresFact]
    public void SleepstudyFromTheDatabaseFitsAsFromCsv()
    {
        GC.KeepAlive(_fixture);
        var table = Query("SELECT \"Reaction\", \"Days\", \"Subject\" FROM mm_sleepstudy");
        Assert.Equal(180, table.RowCount);
        Assert.IsType<NumericColumn>(table["Days"]);
        Assert.IsType<CategoricalColumn>(table["Subject"]);
        const string formula = "Reaction ~ Days + (Days | Subject)";
        var fromDb = LinearMixedModel.Fit(formula, table);
        var fromCsv = LinearMixedModel.Fit(formula, Datasets.Load("sleepstudy"));
        Assert.Equal(fromCsv.Objective, fromDb.Objective, 10);
        Assert.Equal(fromCsv.FixedEffects.Select(e => e.Estimate), fromDb.FixedEffects.Select(e => e.Estimate));
        Assert.Equal(fromCsv.Theta, fromDb.Theta);
    }

    [PostgresFact]
    public void HsbThroughTheCliMatchesTheCsvFit()
    {
        const string formula = "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)";
        var (code, dbJson, err) = CliTests.Run("fit", "--connection", PostgresFactAttribute.ConnectionString!, "--sql", "SELECT * FROM mm_hsb",
            "--formula", formula, "--format", "json");
        Assert.True(code == 0, err);
        var (_, csvJson, _) = CliTests.Run("fit", "--data", "hsb", "--formula", formula, "--format", "json");
        var a = JsonDocument.Parse(dbJson).RootElement;
        var b = JsonDocument.Parse(csvJson).RootElement;
        Assert.Equal(b.GetProperty("nobs").GetInt32(), a.GetProperty("nobs").GetInt32());
        Assert.Equal(b.GetProperty("objective").GetDouble(), a.GetProperty("objective").GetDouble(), 8);
        Assert.Equal(b.GetProperty("fixef").ToString(), a.GetProperty("fixef").ToString());
    }

    [PostgresFact]
    public void NullIsAMissingValue()
    {
        var table = Query("SELECT * FROM mm_sleepstudy_missing");
        var csv = Datasets.Load("sleepstudy_missing");
        Assert.Equal(csv["Reaction"].MissingCount(), table["Reaction"].MissingCount());
        Assert.Equal(csv["Days"].MissingCount(), table["Days"].MissingCount());
        var m = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", table);
        Assert.Equal(LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", csv).Observations, m.Observations);
    }

    [PostgresFact]
    public void NumericIntegerTextAndBooleanColumns()
    {
        var t = Query("SELECT * FROM mm_types ORDER BY i NULLS LAST");
        foreach (var name in new[] { "d", "r", "n", "i", "b", "s" })
        {
            var c = Assert.IsType<NumericColumn>(t[name]);
            Assert.Equal(1, c.MissingCount());
        }
        Assert.Equal(new[] { -3.0, 4.0 }, ((NumericColumn)t["i"]).Values[..2].ToArray());
        Assert.Equal(10.5, ((NumericColumn)t["n"])[0]);
        var text = Assert.IsType<CategoricalColumn>(t["t"]);
        Assert.Equal(new[] { "a", "b" }, text.Levels);
        var flag = Assert.IsType<CategoricalColumn>(t["flag"]);
        Assert.Equal(new[] { "FALSE", "TRUE" }, flag.Levels);
        Assert.True(flag.IsMissing(2));
    }

    [PostgresFact]
    public void BadSqlIsAClearError()
    {
        var (code, _, err) = CliTests.Run("fit", "--connection", PostgresFactAttribute.ConnectionString!, "--sql", "SELECT * FROM no_such_table",
            "--formula", "y ~ x + (1 | g)");
        Assert.Equal(1, code);
        Assert.Contains("rejected the query", err);
        Assert.Contains("no_such_table", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact] // needs no server: nothing listens on port 1
    public void FailedConnectionIsAClearError()
    {
        var (code, _, err) = CliTests.Run("fit", "--connection", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=3", "--sql", "SELECT 1",
            "--formula", "y ~ x + (1 | g)");
        Assert.Equal(1, code);
        Assert.Contains("cannot connect to the database at 127.0.0.1:1", err);
        Assert.DoesNotContain("   at ", err);
    }
}

using MixedModels.Tests.Cli;
using Npgsql;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>
/// --sql runs nothing that could change the database (issue 10, point 4): DROP, a second statement after a SELECT,
/// DELETE ... RETURNING inside a WITH, and COPY are refused and the table keeps its rows; a failed login says so.
/// </summary>
public sealed class PostgresReadOnlyTests
{
    private static string Cs => PostgresFactAttribute.ConnectionString!;

    private static long Rows(string table)
    {
        using var conn = new NpgsqlConnection(Cs);
        conn.Open();
        using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", conn);
        return (long)cmd.ExecuteScalar()!;
    }

    private static void CreateKeepMe()
    {
        using var conn = new NpgsqlConnection(Cs);
        conn.Open();
        using var cmd = new NpgsqlCommand("DROP TABLE IF EXISTS mm_keepme; CREATE TABLE mm_keepme (y double precision, g text); INSERT INTO mm_keepme VALUES (1, 'a'), (2, 'a'), (3, 'b'), (5, 'b'), (2, 'c'), (4, 'c');", conn);
        cmd.ExecuteNonQuery();
    }

    private static void Refused(string sql, params string[] expected)
    {
        CreateKeepMe();
        BadInputTests.AssertUserError(["fit", "--connection", Cs, "--sql", sql, "--formula", "y ~ 1 + (1 | g)"], expected);
        Assert.Equal(6, Rows("mm_keepme"));
    }

    [PostgresFact]
    public void DropIsRefused() => Refused("DROP TABLE mm_keepme", "only ever read");

    [PostgresFact]
    public void ASecondStatementIsRefused() => Refused("SELECT * FROM mm_keepme; DROP TABLE mm_keepme", "more than one statement");

    [PostgresFact]
    public void AModifyingWithIsRefusedByTheReadOnlyTransaction() =>
        Refused("WITH d AS (DELETE FROM mm_keepme RETURNING *) SELECT * FROM d", "would change the database");

    [PostgresFact]
    public void CopyIsRefused() => Refused("COPY mm_keepme TO '/tmp/mm_keepme.txt'", "only ever read");

    [PostgresFact]
    public void AReadingQueryStillFits()
    {
        CreateKeepMe();
        var (code, _, err) = CliTests.Run("fit", "--connection", Cs, "--sql", "/* rows */ (SELECT * FROM mm_keepme)", "--formula", "y ~ 1 + (1 | g)");
        Assert.True(code == 0, err);
    }

    [PostgresFact]
    public void AFailedLoginSaysSoWithoutThePassword()
    {
        var b = new NpgsqlConnectionStringBuilder(Cs) { Password = "not-the-password-42" };
        BadInputTests.AssertUserError(["fit", "--connection", b.ConnectionString, "--sql", "SELECT 1", "--formula", "y ~ 1 + (1 | g)"],
            "refused the login of user");
        var (_, _, err) = CliTests.Run("fit", "--connection", b.ConnectionString, "--sql", "SELECT 1", "--formula", "y ~ 1 + (1 | g)");
        Assert.DoesNotContain("not-the-password-42", err);
    }

    [PostgresFact]
    public void NumericNaNAndHugeValuesAreAClearError()
    {
        BadInputTests.AssertUserError(["describe", "--connection", Cs, "--sql", "SELECT 'NaN'::numeric AS y, 1 AS x"], "column 'y' (numeric)", "y::float8");
        BadInputTests.AssertUserError(["describe", "--connection", Cs, "--sql", "SELECT 1e400::numeric AS y"], "column 'y' (numeric)");
        var (code, _, err) = CliTests.Run("describe", "--connection", Cs, "--sql", "SELECT 'NaN'::numeric::float8 AS y, 1 AS x");
        Assert.True(code == 0, err);
    }
}

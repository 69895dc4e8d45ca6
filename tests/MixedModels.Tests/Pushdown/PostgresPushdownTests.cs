using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Pushdown;
using MixedModels.Results;
using MixedModels.Tests.Data;
using Npgsql;
using Xunit;
using Table = MixedModels.Data.Table;

namespace MixedModels.Tests.Pushdown;

/// <summary>
/// Tables for the PostgreSQL push-down tests: sleepstudy, hsb and InstEval on the first cluster, and a table
/// partitioned by subject whose first partition is local and whose second is a postgres_fdw foreign table on the
/// second cluster (MIXED_TEST_POSTGRES_SHARD) — rows with missing values, and subjects found in one partition only.
/// </summary>
public sealed class PostgresPushdownFixture
{
    public static string? Shard => Environment.GetEnvironmentVariable("MIXED_TEST_POSTGRES_SHARD");

    public PostgresPushdownFixture()
    {
        if (PostgresFactAttribute.ConnectionString is not { Length: > 0 } cs || Shard is not { Length: > 0 } shard) return;
        using var main = new NpgsqlConnection(cs);
        main.Open();
        PostgresFixture.Load(main, "pd_sleepstudy", Datasets.Load("sleepstudy"), integers: ["Days"]);
        PostgresFixture.Load(main, "pd_hsb", Datasets.Load("hsb"), integers: []);
        PostgresFixture.Load(main, "pd_insteval", Datasets.Load("insteval"), integers: []);
        var data = Datasets.Load("sleepstudy_missing");
        var subject = (CategoricalColumn)data["Subject"];
        var second = subject.Levels.Skip(subject.Levels.Count / 2).ToArray();
        var inSecond = Enumerable.Range(0, data.RowCount).Where(r => second.Contains(subject[r])).ToArray();
        var inFirst = Enumerable.Range(0, data.RowCount).Except(inSecond).ToArray();
        using (var remote = new NpgsqlConnection(shard))
        {
            remote.Open();
            PostgresFixture.Load(remote, "pd_sleep_part_b", data.Select(inSecond), integers: []);
        }
        var b = new NpgsqlConnectionStringBuilder(shard);
        string columns = string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\" {(c is CategoricalColumn ? "text" : "double precision")}"));
        string list = string.Join(", ", second.Select(s => $"'{s}'"));
        PostgresFixture.Execute(main, $"""
            CREATE EXTENSION IF NOT EXISTS postgres_fdw;
            DROP TABLE IF EXISTS pd_sleep_part CASCADE;
            DROP SERVER IF EXISTS pd_shard CASCADE;
            CREATE SERVER pd_shard FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '{b.Host}', port '{b.Port}', dbname '{b.Database}');
            CREATE USER MAPPING FOR CURRENT_USER SERVER pd_shard OPTIONS (user '{b.Username}', password '{b.Password}');
            CREATE TABLE pd_sleep_part ({columns}) PARTITION BY LIST ("Subject");
            CREATE FOREIGN TABLE pd_sleep_part_b PARTITION OF pd_sleep_part FOR VALUES IN ({list}) SERVER pd_shard OPTIONS (table_name 'pd_sleep_part_b');
            CREATE TABLE pd_sleep_part_a PARTITION OF pd_sleep_part DEFAULT;
            """);
        PostgresFixture.Load(main, "pd_sleep_part_a_load", data.Select(inFirst), integers: []);
        PostgresFixture.Execute(main, "INSERT INTO pd_sleep_part_a SELECT * FROM pd_sleep_part_a_load; DROP TABLE pd_sleep_part_a_load;");
    }
}

/// <summary>Runs when both clusters are given (.ci/run sets MIXED_TEST_POSTGRES and MIXED_TEST_POSTGRES_SHARD).</summary>
public sealed class PostgresPushdownFactAttribute : FactAttribute
{
    public PostgresPushdownFactAttribute()
    {
        if (string.IsNullOrEmpty(PostgresFactAttribute.ConnectionString) || string.IsNullOrEmpty(PostgresPushdownFixture.Shard))
            Skip = "set MIXED_TEST_POSTGRES and MIXED_TEST_POSTGRES_SHARD (.ci/run does) to run the PostgreSQL push-down tests";
    }
}

/// <summary>
/// Push-down through PostgreSQL: sleepstudy, hsb and InstEval fitted from the database's sums give the in-memory fits
/// (objective 1e-9); a table partitioned across two clusters (postgres_fdw) is summed partition by partition and gives
/// the fit of its rows; nothing is written to the database; bad names and SQL errors are clear messages.
/// </summary>
public sealed class PostgresPushdownTests(PostgresPushdownFixture fixture) : IClassFixture<PostgresPushdownFixture>
{
    private readonly PostgresPushdownFixture _fixture = fixture;

    private static string Cs => PostgresFactAttribute.ConnectionString!;

    private static void SameFit(string formula, Table data, AggregateEngine engine, bool reml = true)
    {
        var options = new FitOptions { Reml = reml, Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit(formula, data, options);
        var pushed = AggregatedFit.Fit(formula, engine, options);
        Assert.True(pushed.Design.IsAggregated);
        Assert.Equal(memory.Observations, pushed.Observations);
        Assert.Equal(memory.DroppedRows, pushed.DroppedRows);
        Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        for (int i = 0; i < memory.FixedEffects.Count; i++)
            Assert.Equal(memory.FixedEffects[i].Estimate, pushed.FixedEffects[i].Estimate, 2e-5 * Math.Max(1, Math.Abs(memory.FixedEffects[i].Estimate)));
        if (pushed.ScaledResidualQuantiles().Count == 0 && pushed.Design.RowCount > 20_000)
        {
            // Too many cells to join inline (InstEval: one per rating): said so, not made up.
            Assert.Contains("Scaled residuals: not available", pushed.Summary(), StringComparison.Ordinal);
            return;
        }
        for (int i = 0; i < 5; i++)
            Assert.Equal(memory.ScaledResidualQuantiles()[i], pushed.ScaledResidualQuantiles()[i], 1e-4);
    }

    [PostgresPushdownFact]
    public void SleepstudyHsbAndInstEvalFromTheDatabaseGiveTheInMemoryFits()
    {
        using (var e = PostgresEngine.Table(Cs, "pd_sleepstudy")) SameFit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy"), e);
        using (var e = PostgresEngine.Table(Cs, "pd_hsb")) SameFit("MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", Datasets.Load("hsb"), e);
        using (var e = PostgresEngine.Table(Cs, "public.pd_insteval")) SameFit("y ~ service + (1 | s) + (1 | d) + (1 | dept)", Datasets.Load("insteval"), e, reml: false);
    }

    [PostgresPushdownFact]
    public void ATablePartitionedAcrossTwoClustersIsSummedPartitionByPartition()
    {
        using var engine = PostgresEngine.Table(Cs, "pd_sleep_part");
        Assert.Equal(2, engine.Parts);
        var done = new List<string>();
        engine.Progress = new SynchronousProgress(done);
        SameFit("Reaction ~ Days + (Days | Subject)", Datasets.Load("sleepstudy_missing"), engine);
        Assert.Contains(done, p => p.EndsWith("pd_sleep_part_b", StringComparison.Ordinal));

        // postgres_fdw ships each cells query whole to the server that holds the partition: the coordinator's plan is
        // a foreign scan of an aggregate, not of rows.
        var plan = AggregatePlan.Create(MixedModels.Formulas.Formula.Parse("Reaction ~ Days + (Days | Subject)"), engine, null);
        using var conn = new NpgsqlConnection(Cs);
        conn.Open();
        using var explain = new NpgsqlCommand("EXPLAIN VERBOSE " + plan.CellsQuery(engine, new double[plan.Pieces.Length + 1], "ONLY public.pd_sleep_part_b"), conn);
        var lines = new List<string>();
        using (var reader = explain.ExecuteReader()) while (reader.Read()) lines.Add(reader.GetString(0));
        Assert.Contains(lines, l => l.Contains("Aggregate on (public.pd_sleep_part_b)", StringComparison.Ordinal));
    }

    [PostgresPushdownFact]
    public void AWhereConditionSelectsTheRows()
    {
        var data = Datasets.Load("sleepstudy");
        var days = (NumericColumn)data["Days"];
        var kept = data.Select(Enumerable.Range(0, data.RowCount).Where(r => days[r] >= 2).ToArray());
        using var engine = PostgresEngine.Table(Cs, "pd_sleepstudy", "\"Days\" >= 2");
        SameFit("Reaction ~ Days + (Days | Subject)", kept, engine);
    }

    [PostgresPushdownFact]
    public void NothingIsWrittenToTheDatabase()
    {
        using var conn = new NpgsqlConnection(Cs);
        conn.Open();
        long Relations() { using var c = new NpgsqlCommand("SELECT count(*) FROM pg_class", conn); return (long)c.ExecuteScalar()!; }
        long Rows() { using var c = new NpgsqlCommand("SELECT count(*) FROM pd_sleepstudy", conn); return (long)c.ExecuteScalar()!; }
        long before = Relations(), rows = Rows();
        using (var engine = PostgresEngine.Table(Cs, "pd_sleepstudy")) AggregatedFit.Fit("Reaction ~ Days + (Days | Subject)", engine);
        Assert.Equal(before, Relations());
        Assert.Equal(rows, Rows());
    }

    [PostgresPushdownFact]
    public void BadNamesAndSqlErrorsAreClearMessages()
    {
        var table = Assert.Throws<MixedModelsDataException>(() => PostgresEngine.Table(Cs, "pd_no_such_table"));
        Assert.Contains("no table or view 'pd_no_such_table'", table.Message, StringComparison.Ordinal);
        using (var engine = PostgresEngine.Table(Cs, "pd_sleepstudy"))
        {
            var column = Assert.Throws<FormulaException>(() => AggregatedFit.Fit("Reaction ~ Dayz + (1 | Subject)", engine));
            Assert.Contains("'Dayz' is not a column", column.Message, StringComparison.Ordinal);
        }
        using (var engine = PostgresEngine.Table(Cs, "pd_sleepstudy", "no_such_column > 1"))
        {
            var sql = Assert.Throws<MixedModelsDataException>(() => AggregatedFit.Fit("Reaction ~ Days + (1 | Subject)", engine));
            Assert.Contains("no_such_column", sql.Message, StringComparison.Ordinal);
        }
        var login = Assert.Throws<MixedModelsDataException>(() => PostgresEngine.Table(Cs.Replace("Password=mixed", "Password=wrong", StringComparison.Ordinal), "pd_sleepstudy"));
        Assert.Contains("refused the login", login.Message, StringComparison.Ordinal);
    }

    private sealed class SynchronousProgress(List<string> list) : IProgress<string>
    {
        public void Report(string value) { lock (list) list.Add(value); }
    }
}

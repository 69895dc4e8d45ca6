using DuckDB.NET.Data;
using MixedModels.Data;
using MixedModels.Estimation;
using MixedModels.Pushdown;
using MixedModels.Results;
using MixedModels.Tests.Reference;
using Xunit;
using Xunit.Abstractions;
using Table = MixedModels.Data.Table;

namespace MixedModels.Tests.Pushdown;

/// <summary>
/// Every reference model fitted from sums DuckDB computes over a database table (push-down) gives the in-memory fit of
/// the same table: objective to 1e-9 relative, and with the same optimizer path (lme4's start for both) θ, β, standard
/// errors, σ, conditional modes and their variances.
/// </summary>
public sealed class PushdownFitTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-pushdown-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<object[]> Fits() =>
        ReferenceRecord.FitIds("fits").Select(id => new object[] { "fits", id }).Concat(ReferenceRecord.FitIds("extra").Select(id => new object[] { "extra", id }));

    /// <summary>A DuckDB database file with the data set as table <c>t</c>: numeric columns DOUBLE, categorical ones VARCHAR.</summary>
    internal static string Database(string dir, Table data)
    {
        string path = Path.Combine(dir, "data.duckdb");
        using var connection = new DuckDBConnection($"Data Source={path}");
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE TABLE t (" + string.Join(", ", data.Columns.Select(c => $"\"{c.Name}\" {(c is NumericColumn ? "DOUBLE" : "VARCHAR")}")) + ")";
            command.ExecuteNonQuery();
        }
        using var appender = connection.CreateAppender("t");
        for (int r = 0; r < data.RowCount; r++)
        {
            var row = appender.CreateRow();
            foreach (var c in data.Columns)
            {
                if (c.IsMissing(r)) row.AppendNullValue();
                else if (c is NumericColumn n) row.AppendValue(n[r]);
                else row.AppendValue(((CategoricalColumn)c)[r]);
            }
            row.EndRow();
        }
        return path;
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void PushedDownFitEqualsTheInMemoryFit(string set, string id)
    {
        var reference = ReferenceRecord.Load(set, id);
        string db = Database(_dir, Datasets.Load(reference.DataName));
        var table = Table.ReadDuckDb(db, "t");
        var options = new FitOptions { Reml = reference.Reml, Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit(reference.Formula, table, options, reference.DesignOptions());
        using var engine = DuckDbEngine.Table(db, "t");
        var pushed = AggregatedFit.Fit(reference.Formula, engine, options, reference.DesignOptions());
        var design = pushed.Design;
        Assert.True(design.IsAggregated);
        static double MaxRelative(IReadOnlyList<double> a, IReadOnlyList<double> b) =>
            a.Select((v, i) => Math.Abs(v - b[i]) / Math.Max(a.Select(Math.Abs).Max(), 1e-300)).DefaultIfEmpty(0).Max();
        output.WriteLine($"{id}: {design.RowCount} aggregated rows for {design.Observations} observations; objective {pushed.Objective:R} vs {memory.Objective:R} " +
            $"(relative {Math.Abs(pushed.Objective - memory.Objective) / Math.Abs(memory.Objective):E1}); theta {MaxRelative(memory.Theta, pushed.Theta):E1}, " +
            $"beta {MaxRelative(memory.FixedEffects.Select(f => f.Estimate).ToArray(), pushed.FixedEffects.Select(f => f.Estimate).ToArray()):E1}");

        Assert.Equal(memory.Observations, pushed.Observations);
        Assert.Equal(memory.DroppedRows, pushed.DroppedRows);
        Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        Assert.Equal(memory.FixedEffects.Names, pushed.FixedEffects.Names);
        Assert.Equal(memory.Design.X.DroppedColumns, pushed.Design.X.DroppedColumns);
        Assert.Equal(memory.Messages, pushed.Messages);
        Close(memory.Theta, pushed.Theta, Estimates, "theta");
        Close(memory.FixedEffects.Select(f => f.Estimate).ToArray(), pushed.FixedEffects.Select(f => f.Estimate).ToArray(), Estimates, "beta");
        Close(memory.FixedEffects.Select(f => f.StandardError).ToArray(), pushed.FixedEffects.Select(f => f.StandardError).ToArray(), Estimates, "se");
        Close([memory.Sigma], [pushed.Sigma], Estimates, "sigma");
        var rm = memory.RandomEffects();
        var rp = pushed.RandomEffects();
        for (int j = 0; j < rm.Count; j++)
        {
            Assert.Equal(rm[j].Levels, rp[j].Levels);
            int d = rm[j].Columns.Count, l = rm[j].Levels.Count;
            Close(Enumerable.Range(0, l * d).Select(i => rm[j].Mode(i / d, i % d)).ToArray(), Enumerable.Range(0, l * d).Select(i => rp[j].Mode(i / d, i % d)).ToArray(), Estimates, $"modes of {rm[j].Group}");
            Close(Enumerable.Range(0, l * d).Select(i => rm[j].ConditionalSd(i / d, i % d)).ToArray(), Enumerable.Range(0, l * d).Select(i => rp[j].ConditionalSd(i / d, i % d)).ToArray(), Estimates, $"conditional SDs of {rm[j].Group}");
        }
        Assert.Empty(pushed.Fitted);
        // The residual pass inside the engine gives the in-memory residual quantiles.
        Close(memory.ScaledResidualQuantiles(), pushed.ScaledResidualQuantiles(), Estimates, "scaled residual quantiles");
    }

    [Theory]
    [InlineData("Reaction ~ Days + (Days | Subject)", "Days + 1", true)]
    [InlineData("Reaction ~ scale(Days) + (1 | Subject)", "1 / (Days + 2)", false)]
    [InlineData("Reaction ~ poly(Days, 3) + (poly(Days, 2) | Subject)", "Days + 1", true)]
    [InlineData("Reaction ~ poly(Days, 2, raw = TRUE) + (1 | Subject)", "1", true)]
    [InlineData("Reaction ~ scale(Days, center = FALSE) + log(Days + 1) + (1 | Subject)", "2", false)]
    public void PriorWeightsScaleAndPolyGiveTheInMemoryFit(string formula, string weights, bool reml)
    {
        string db = Database(_dir, Datasets.Load("sleepstudy"));
        var table = Table.ReadDuckDb(db, "t");
        var options = new FitOptions { Reml = reml, Start = StartMethod.Unit };
        var design = new MixedModels.Design.DesignOptions { Frame = new MixedModels.Design.FrameOptions { Weights = weights } };
        var memory = LinearMixedModel.Fit(formula, table, options, design);
        using var engine = DuckDbEngine.Table(db, "t");
        var pushed = AggregatedFit.Fit(formula, engine, options, design);
        Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        Close(memory.FixedEffects.Select(f => f.Estimate).ToArray(), pushed.FixedEffects.Select(f => f.Estimate).ToArray(), Estimates, "beta");
        Close(memory.ScaledResidualQuantiles(), pushed.ScaledResidualQuantiles(), Estimates, "scaled residual quantiles");
        Assert.True(pushed.Summary().Replace(" ", "").Contains("Weights:" + weights.Replace(" ", ""), StringComparison.Ordinal), pushed.Summary());
        // predict() on new data uses the scale() constants computed inside the engine.
        var newData = Table.FromRecords([new { Days = 3.0, Subject = "308" }]);
        double expected = memory.Predict(newData)[0].Fit;
        Assert.Equal(expected, pushed.Predict(newData)[0].Fit, Estimates * Math.Abs(expected));
    }

    [Theory]
    [InlineData("sleepstudy_missing", "Reaction ~ Days + (Days | Subject)")]
    [InlineData("pastes", "strength ~ 1 + (1 | batch/cask)")]
    public void ACsvFileSummedByDuckDbFitsAsTheCsvReadIntoMemory(string data, string formula)
    {
        string csv = Path.Combine(_dir, data + ".csv");
        using (var w = new StreamWriter(csv)) Datasets.Load(data).WriteCsv(w);
        var options = new FitOptions { Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit(formula, Table.ReadCsv(csv), options);
        using var engine = DuckDbEngine.Csv(csv);
        var pushed = AggregatedFit.Fit(formula, engine, options);
        Assert.Equal(memory.Observations, pushed.Observations);
        Assert.Equal(memory.DroppedRows, pushed.DroppedRows);
        Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        Assert.Equal(memory.Groups, pushed.Groups);
    }

    [Fact]
    public void AQueryOnADuckDbFileIsSummedAsItsRows()
    {
        string db = Database(_dir, Datasets.Load("sleepstudy"));
        const string sql = "SELECT * FROM t WHERE Days >= 2";
        var options = new FitOptions { Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", Table.QueryDuckDb(db, sql), options);
        using (var engine = DuckDbEngine.Query(db, sql))
        {
            var pushed = AggregatedFit.Fit("Reaction ~ Days + (Days | Subject)", engine, options);
            Assert.Equal(144, pushed.Observations);
            Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        }
        // Read-only: a statement that writes is refused before it runs, and the query cannot reach other files.
        Assert.Throws<MixedModelsDataException>(() => DuckDbEngine.Query(db, "DELETE FROM t"));
        string outside = Path.Combine(_dir, "outside.csv");
        File.WriteAllText(outside, "Reaction,Days,Subject\n1,2,a\n");
        using var sneaky = DuckDbEngine.Query(db, $"SELECT * FROM read_csv('{outside}')");
        var e = Assert.Throws<MixedModelsDataException>(() => AggregatedFit.Fit("Reaction ~ Days + (1 | Subject)", sneaky));
        Assert.Contains("DuckDB over a query", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InferenceFromAggregatesEqualsTheInMemoryInference()
    {
        string db = Database(_dir, Datasets.Load("sleepstudy"));
        const string formula = "Reaction ~ Days + (Days | Subject)";
        var options = new FitOptions { Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit(formula, Table.ReadDuckDb(db, "t"), options);
        using var engine = DuckDbEngine.Table(db, "t");
        var pushed = AggregatedFit.Fit(formula, engine, options);
        // Satterthwaite's and Kenward-Roger's df and tests, and profile intervals, follow from A and θ.
        foreach (var ddf in new[] { MixedModels.Inference.DdfMethod.Satterthwaite, MixedModels.Inference.DdfMethod.KenwardRoger })
        {
            var a = MixedModels.Inference.FixedEffectTests.Compute(memory, ddf);
            var b = MixedModels.Inference.FixedEffectTests.Compute(pushed, ddf);
            for (int i = 0; i < a.Count; i++) Assert.Equal(a[i].Df, b[i].Df, 1e-4 * a[i].Df);
        }
        var ciMemory = memory.ConfidenceIntervals();
        var ciPushed = pushed.ConfidenceIntervals();
        for (int i = 0; i < ciMemory.Count; i++)
        {
            Assert.Equal(ciMemory[i].Lower, ciPushed[i].Lower, 1e-4 * Math.Max(1, Math.Abs(ciMemory[i].Lower)));
            Assert.Equal(ciMemory[i].Upper, ciPushed[i].Upper, 1e-4 * Math.Max(1, Math.Abs(ciMemory[i].Upper)));
        }
        // What needs each observation is refused with the reason, not made up.
        var simulate = Assert.Throws<ModelException>(() => pushed.Simulate(1, 1));
        Assert.Contains("needs the observations", simulate.Message, StringComparison.Ordinal);
        Assert.Throws<ModelException>(() => pushed.Augment());
        Assert.Empty(pushed.Residuals);
    }

    [Fact]
    public void BooleanAndIntegerKeysAreGroupedAndJoinedAsInMemory()
    {
        string db = Database(_dir, Datasets.Load("sleepstudy"));
        using (var connection = new DuckDBConnection($"Data Source={db}"))
        {
            connection.Open();
            using var c = connection.CreateCommand();
            c.CommandText = "CREATE TABLE typed AS SELECT Reaction, Days, Days >= 5 AS late, CAST(Subject AS INTEGER) AS id FROM t";
            c.ExecuteNonQuery();
        }
        const string formula = "Reaction ~ late + Days + (1 | id)";
        var options = new FitOptions { Start = StartMethod.Unit };
        var memory = LinearMixedModel.Fit(formula, Table.ReadDuckDb(db, "typed"), options);
        using var engine = DuckDbEngine.Table(db, "typed");
        var pushed = AggregatedFit.Fit(formula, engine, options);
        Assert.Equal(memory.FixedEffects.Names, pushed.FixedEffects.Names);
        Assert.Equal(memory.Objective, pushed.Objective, 1e-9 * Math.Abs(memory.Objective));
        Close(memory.ScaledResidualQuantiles(), pushed.ScaledResidualQuantiles(), Estimates, "scaled residual quantiles");
    }

    /// <summary>
    /// Estimates agree to the optimizer's own precision: A agrees with the in-memory A to rounding, and on a flat
    /// optimum (Orthodont, hsb nested) that moves BOBYQA's stopping point by ~1e-6 relative at an equal objective.
    /// </summary>
    private const double Estimates = 2e-5;

    private static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tol, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Select(Math.Abs).DefaultIfEmpty(0).Max();
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(scale, 1e-300) + 1e-12,
                $"{what}[{i}]: in memory {expected[i]:R}, pushed down {actual[i]:R}");
    }
}

/// <summary>
/// A source whose rows change between the query of the counts and the query of the cells (a table being written) is
/// detected and refused, not fitted from sums of two different sets of rows.
/// </summary>
public sealed class ChangingSourceTests
{
    /// <summary>An in-memory DuckDB table that gains a row after the first query.</summary>
    private sealed class GrowingEngine : AggregateEngine
    {
        private readonly DuckDBConnection _connection = new("DataSource=:memory:");
        private int _queries;

        public GrowingEngine()
        {
            _connection.Open();
            Execute("CREATE TABLE t AS SELECT range % 10 AS g, range::DOUBLE AS x, (range * 7 % 13)::DOUBLE AS y FROM range(200)");
        }

        private void Execute(string sql)
        {
            using var c = _connection.CreateCommand();
            c.CommandText = sql;
            c.ExecuteNonQuery();
        }

        public override string Description => "a growing table";

        public override string DataName => "t";

        protected internal override string Source => "t";

        protected internal override IReadOnlyList<SourceColumn> Columns() => [new("g", true, false), new("x", true, true), new("y", true, true)];

        protected internal override string Sum(string expression) => $"sum({expression})";

        protected internal override string IsNumber(string quotedColumn) => $"NOT isnan({quotedColumn})";

        protected internal override Table Query(string sql)
        {
            if (_queries++ == 1) Execute("INSERT INTO t VALUES (3, 1.5, 2.5)");
            using var c = _connection.CreateCommand();
            c.CommandText = sql;
            using var reader = c.ExecuteReader();
            return DataReaderLoader.Load(reader);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _connection.Dispose();
        }
    }

    [Fact]
    public void ATableThatChangesBetweenQueriesIsRefused()
    {
        using var engine = new GrowingEngine();
        var e = Assert.Throws<MixedModelsDataException>(() => AggregatedFit.Fit("y ~ x + (1 | g)", engine));
        Assert.Contains("the data changed while the model's sums were computed (200 complete rows, then 201)", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>The command line: --engine duckdb over a Parquet file prints the in-memory fit's summary; clear errors otherwise.</summary>
public sealed class PushdownCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-pushdown-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void MixedFitWithTheDuckDbEngineSumsAParquetFile()
    {
        string db = PushdownFitTests.Database(_dir, Datasets.Load("sleepstudy"));
        string parquet = Path.Combine(_dir, "sleep.parquet");
        using (var connection = new DuckDBConnection($"Data Source={db}"))
        {
            connection.Open();
            using var c = connection.CreateCommand();
            c.CommandText = $"COPY t TO '{parquet}' (FORMAT parquet)";
            c.ExecuteNonQuery();
        }
        var (code, text, err) = MixedModels.Tests.Cli.CliTests.Run("fit", "--data", parquet, "--engine", "duckdb", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code == 0, err);
        Assert.Contains("REML criterion at convergence: 1743.6", text, StringComparison.Ordinal);
        Assert.Contains("Scaled residuals:", text, StringComparison.Ordinal);
        Assert.Contains("fitted from sums computed by DuckDB", err, StringComparison.Ordinal);

        var missing = MixedModels.Tests.Cli.CliTests.Run("fit", "--data", Path.Combine(_dir, "nope.parquet"), "--engine", "duckdb", "--formula", "y ~ x + (1 | g)");
        Assert.NotEqual(0, missing.Code);
        Assert.Contains("there is no such file", missing.Err, StringComparison.Ordinal);
        var family = MixedModels.Tests.Cli.CliTests.Run("fit", "--data", parquet, "--engine", "duckdb", "--family", "poisson", "--formula", "Days ~ 1 + (1 | Subject)");
        Assert.Contains("--family needs --engine memory", family.Err, StringComparison.Ordinal);
    }
}

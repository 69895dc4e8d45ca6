using System.Security.Cryptography;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using DuckDB.NET.Data;
using MixedModels.Data;
using Table = MixedModels.Data.Table;
using MixedModels.Estimation;
using MixedModels.Results;
using MixedModels.Tests.Cli;
using Xunit;

namespace MixedModels.Tests.Data;

/// <summary>
/// Parquet (DuckDB's reader), Arrow IPC/Feather (Apache.Arrow) and DuckDB database files: the same fit as from the CSV
/// of the same rows, the column types as the other sources map them (numbers numeric; text, dictionary, enum and
/// boolean categorical; dates ISO text; nulls missing), clear errors, and a database file left unmodified.
/// </summary>
public sealed class ColumnarFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mixed-columnar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    private static void Sql(string database, params string[] statements)
    {
        using var connection = new DuckDBConnection($"Data Source={database}");
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private string SleepstudyCsv()
    {
        string csv = PathOf("sleepstudy.csv");
        using (var w = new StreamWriter(csv)) Datasets.Load("sleepstudy").WriteCsv(w);
        return csv;
    }

    private static double Reml(Table t) => LinearMixedModel.Fit("Reaction ~ Days + (Days | Subject)", t, new FitOptions()).Objective;

    [Fact]
    public void AParquetFileFitsAsItsCsv()
    {
        string csv = SleepstudyCsv(), parquet = PathOf("sleep.parquet");
        Sql(":memory:", $"COPY (SELECT * FROM read_csv('{csv}')) TO '{parquet}' (FORMAT parquet)");
        var t = Table.ReadParquet(parquet);
        Assert.IsType<NumericColumn>(t["Days"]);
        Assert.Equal(Reml(Table.ReadCsv(csv)), Reml(t), 1e-9);
        var (code, text, err) = CliTests.Run("fit", "--data", parquet, "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code == 0, err);
        Assert.Contains("REML criterion at convergence: 1743.6", text);
    }

    [Fact]
    public void ParquetTypesMapAsTheOtherSources()
    {
        string parquet = PathOf("types.parquet");
        Sql(":memory:", "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
            "CREATE TABLE t AS SELECT * FROM (VALUES (1::TINYINT, 2.5::DECIMAL(5,2), 'a', TRUE, DATE '2024-01-02', NULL::DOUBLE, 'ok'::mood, 10::HUGEINT), " +
            "(2, 3.5, NULL, FALSE, DATE '2024-01-03', 4.0, 'happy', 11), (NULL, 4.5, 'b', NULL, NULL, 5.0, 'sad', 12)) v(i, d, s, b, dt, x, m, h)",
            $"COPY t TO '{parquet}' (FORMAT parquet)");
        var t = Table.ReadParquet(parquet);
        var i = Assert.IsType<NumericColumn>(t["i"]);
        Assert.True(double.IsNaN(i[2]));
        Assert.Equal(2.5, Assert.IsType<NumericColumn>(t["d"])[0]);
        Assert.Equal(12, Assert.IsType<NumericColumn>(t["h"])[2]);
        var s = Assert.IsType<CategoricalColumn>(t["s"]);
        Assert.Equal(-1, s.Codes[1]);
        Assert.Equal(["FALSE", "TRUE"], Assert.IsType<CategoricalColumn>(t["b"]).Levels.Order());
        Assert.Contains("2024-01-02", Assert.IsType<CategoricalColumn>(t["dt"]).Levels);
        Assert.True(double.IsNaN(Assert.IsType<NumericColumn>(t["x"])[0]));
        Assert.Equal(3, Assert.IsType<CategoricalColumn>(t["m"]).Levels.Count);
        string nested = PathOf("nested.parquet");
        Sql(":memory:", $"COPY (SELECT [1, 2] AS xs, 1 AS y) TO '{nested}' (FORMAT parquet)");
        var e = Assert.Throws<MixedModelsDataException>(() => Table.ReadParquet(nested));
        Assert.Contains("column 'xs'", e.Message);
        string notParquet = PathOf("not.parquet");
        File.WriteAllText(notParquet, "a,b\n1,2\n");
        Assert.Contains("cannot read the Parquet file", Assert.Throws<MixedModelsDataException>(() => Table.ReadParquet(notParquet)).Message);
    }

    [Fact]
    public void ArrowFilesAndStreamsMapTheirTypes()
    {
        var subject = new DictionaryArray(new DictionaryType(Int32Type.Default, StringType.Default, false),
            new Int32Array.Builder().Append(0).Append(1).Append(0).AppendNull().Build(), new StringArray.Builder().Append("s1").Append("s2").Build());
        var batch = new RecordBatch.Builder()
            .Append("y", false, new DoubleArray.Builder().Append(1.5).Append(2.5).AppendNull().Append(4).Build())
            .Append("k", true, new Int64Array.Builder().Append(7).AppendNull().Append(9).Append(10).Build())
            .Append("name", true, new StringArray.Builder().Append("a").Append("b").AppendNull().Append("a").Build())
            .Append("flag", true, new BooleanArray.Builder().Append(true).Append(false).Append(true).AppendNull().Build())
            .Append("day", true, new Date32Array.Builder().Append(new DateTime(2024, 1, 2)).Append(new DateTime(2024, 1, 3)).AppendNull().Append(new DateTime(2024, 1, 4)).Build())
            .Build();
        var withDictionary = new RecordBatch(new Schema.Builder().Field(f => f.Name("subject").DataType(subject.Data.DataType)).Build(), [subject], 4);
        foreach (var (file, stream) in new[] { (PathOf("x.arrow"), false), (PathOf("x.arrows"), true) })
        {
            using (var fs = File.Create(file))
            {
                using ArrowStreamWriter writer = stream ? new ArrowStreamWriter(fs, batch.Schema) : new ArrowFileWriter(fs, batch.Schema);
                writer.WriteRecordBatch(batch);
                writer.WriteEnd();
            }
            var t = Table.ReadArrow(file);
            var y = Assert.IsType<NumericColumn>(t["y"]);
            Assert.Equal(2.5, y[1]);
            Assert.True(double.IsNaN(y[2]));
            Assert.True(double.IsNaN(Assert.IsType<NumericColumn>(t["k"])[1]));
            var name = Assert.IsType<CategoricalColumn>(t["name"]);
            Assert.Equal(-1, name.Codes[2]);
            Assert.Equal(name.Codes[0], name.Codes[3]);
            Assert.Equal(-1, Assert.IsType<CategoricalColumn>(t["flag"]).Codes[3]);
            Assert.Contains("2024-01-03", Assert.IsType<CategoricalColumn>(t["day"]).Levels);
        }
        string dict = PathOf("dict.feather");
        using (var fs = File.Create(dict))
        {
            using var writer = new ArrowFileWriter(fs, withDictionary.Schema);
            writer.WriteRecordBatch(withDictionary);
            writer.WriteEnd();
        }
        var d = Assert.IsType<CategoricalColumn>(Table.ReadArrow(dict)["subject"]);
        Assert.Equal(d.Codes[0], d.Codes[2]);
        Assert.NotEqual(d.Codes[0], d.Codes[1]);
        Assert.Equal(-1, d.Codes[3]);
    }

    [Fact]
    public void ADuckDbTableIsReadOnlyAndNamedByTable()
    {
        string csv = SleepstudyCsv(), db = PathOf("study.duckdb");
        Sql(db, $"CREATE TABLE sleep AS SELECT * FROM read_csv('{csv}')", "CREATE SCHEMA lab", "CREATE VIEW lab.recent AS SELECT * FROM sleep WHERE Days >= 2");
        byte[] before = SHA256.HashData(File.ReadAllBytes(db));
        Assert.Equal(Reml(Table.ReadCsv(csv)), Reml(Table.ReadDuckDb(db, "sleep")), 1e-9);
        Assert.Equal(144, Table.ReadDuckDb(db, "lab.recent").RowCount);
        Assert.Equal(["lab.recent", "sleep"], Table.DuckDbTables(db));
        var e = Assert.Throws<MixedModelsDataException>(() => Table.ReadDuckDb(db, "visits"));
        Assert.Contains("has no table or view 'visits'; it has: lab.recent, sleep", e.Message);
        var (code, text, err) = CliTests.Run("fit", "--data", db, "--table", "sleep", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code == 0, err);
        Assert.Contains("REML criterion at convergence: 1743.6", text);
        var (code2, _, err2) = CliTests.Run("fit", "--data", db, "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Equal(1, code2);
        Assert.Contains("say which table to read with --table (it has: lab.recent, sleep)", err2);
        var (code3, _, err3) = CliTests.Run("fit", "--data", csv, "--table", "sleep", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.Equal(1, code3);
        Assert.Contains("--table goes with a DuckDB database file", err3);
        var (code4, text4, err4) = CliTests.Run("fit", "--data", db, "--sql", "SELECT * FROM sleep WHERE Days >= 2", "--formula", "Reaction ~ Days + (Days | Subject)");
        Assert.True(code4 == 0, err4);
        Assert.Contains("Number of obs: 144", text4);
        foreach (var bad in new[] { "DELETE FROM sleep", "COPY sleep TO 'x.csv'", $"SELECT * FROM read_csv('{csv}')", "SELECT 1; DROP TABLE sleep" })
        {
            var (c, _, e2) = CliTests.Run("fit", "--data", db, "--sql", bad, "--formula", "Reaction ~ Days + (Days | Subject)");
            Assert.Equal(1, c);
            Assert.DoesNotContain("   at ", e2);
        }
        Assert.Equal(4, Table.QueryDuckDb(db, "SELECT * FROM sleep LIMIT 4").RowCount);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(db)));
    }
}

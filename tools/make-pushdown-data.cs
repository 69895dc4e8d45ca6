#:package DuckDB.NET.Data.Full@1.5.6.1
// Writes the seeded benchmark data sets of issue 14 as Parquet files, generated inside DuckDB (no rows pass through
// this process). Normal draws come from Box-Muller on hash()-based uniforms of (seed, row), so the same arguments
// always give the same file, whatever DuckDB's thread count.
//   dotnet run tools/make-pushdown-data.cs -- nested ROWS GROUPS OUT.parquet
//       y ~ x1 + x2 + (1 + x1 | g): g = row mod GROUPS; intercept SD 1, slope SD 0.5 (correlation 0), residual SD 1
//   dotnet run tools/make-pushdown-data.cs -- crossed ROWS A_LEVELS B_LEVELS OUT.parquet
//       y ~ 1 + (1 | a) + (1 | b): a and b drawn uniformly; SDs 1 and 0.7, residual SD 1
using DuckDB.NET.Data;

if (args.Length < 4) { Console.Error.WriteLine("usage: nested ROWS GROUPS OUT | crossed ROWS A B OUT"); return 2; }
string U(string key, int stream) => $"((hash({key}, {stream}, 20261206) >> 11)::DOUBLE + 0.5) / 9007199254740992.0";
string N(string key, int stream) => $"(sqrt(-2 * ln({U(key, stream)})) * cos(2 * pi() * {U(key, stream + 1)}))";
long rows = long.Parse(args[1]);
string sql;
if (args[0] == "nested")
{
    long groups = long.Parse(args[2]);
    string output = args[3];
    sql = $"""
        COPY (
          SELECT g, x1, x2, 1 + 0.5 * x1 - 0.3 * x2 + {N("g", 10)} + 0.5 * {N("g", 20)} * x1 + {N("i", 30)} AS y
          FROM (SELECT i, (i % {groups})::INTEGER AS g, {N("i", 1)} AS x1, {N("i", 3)} AS x2 FROM range({rows}) r(i))
        ) TO '{output}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """;
}
else
{
    long la = long.Parse(args[2]), lb = long.Parse(args[3]);
    string output = args[4];
    sql = $"""
        COPY (
          SELECT 'a' || a AS a, 'b' || b AS b, 2 + {N("a", 10)} + 0.7 * {N("b", 20)} + {N("i", 30)} AS y
          FROM (SELECT i, (floor({U("i", 1)} * {la}))::INTEGER AS a, (floor({U("i", 2)} * {lb}))::INTEGER AS b FROM range({rows}) r(i))
        ) TO '{output}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """;
}
using var connection = new DuckDBConnection("DataSource=:memory:");
connection.Open();
using var command = connection.CreateCommand();
command.CommandText = sql;
command.CommandTimeout = 0;
command.ExecuteNonQuery();
Console.WriteLine($"wrote {rows} rows to {args[^1]}");
return 0;

#!/usr/bin/env bash
# Issue 14's scale benchmarks: fits computed where the data live, end to end (`mixed fit`, wall time and peak RSS
# from /usr/bin/time). Makes the seeded Parquet files with tools/make-pushdown-data.cs, loads the 10M-row nested
# data into a table partitioned across two local PostgreSQL clusters (.ci/postgres starts them: 5432 and 5433; the
# second partition is a postgres_fdw foreign table), and times:
#   nested 100M rows, y ~ x1 + x2 + (1 + x1 | g), 100,000 groups, Parquet (DuckDB)
#   crossed 10M rows, y ~ 1 + (1 | a) + (1 | b), 10,000 x 1,000 levels, Parquet (DuckDB)
#   nested 10M rows, 100,000 groups: Parquet (DuckDB), PostgreSQL over two clusters, and in memory
# Usage: tools/bench-pushdown.sh [WORKDIR]   (needs ~6 GB of disk in WORKDIR, default /tmp/mixed-pushdown-bench)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/mixed-pushdown-bench}"
mkdir -p "$work"
dotnet build "$root/src/MixedModels.Cli" -c Release -v q >/dev/null
mixed=(dotnet "$root/src/MixedModels.Cli/bin/Release/net10.0/mixed.dll")
make() { [ -f "$work/$2" ] || dotnet run "$root/tools/make-pushdown-data.cs" -- "$1" "${@:3}" "$work/$2"; }
make nested nested100m.parquet 100000000 100000
make crossed crossed10m.parquet 10000000 10000 1000
make nested nested10m.parquet 10000000 100000

export PGPASSWORD=mixed
psql_main() { psql -h 127.0.0.1 -p 5432 -U postgres -qAt "$@"; }
psql_shard() { psql -h 127.0.0.1 -p 5433 -U postgres -qAt "$@"; }
if [ "$(psql_main -c "SELECT count(*) FROM pg_class WHERE relname = 'bench_nested10m'")" = 0 ]; then
  cat > "$work/split.cs" <<'CS'
#:package DuckDB.NET.Data.Full@1.5.6.1
using DuckDB.NET.Data;
using var c = new DuckDBConnection("DataSource=:memory:");
c.Open();
using var cmd = c.CreateCommand();
cmd.CommandText = $"COPY (SELECT * FROM read_parquet('{args[0]}') WHERE g < 50000) TO '{args[1]}' (HEADER false); COPY (SELECT * FROM read_parquet('{args[0]}') WHERE g >= 50000) TO '{args[2]}' (HEADER false)";
cmd.ExecuteNonQuery();
CS
  dotnet run "$work/split.cs" -- "$work/nested10m.parquet" "$work/part_a.csv" "$work/part_b.csv"
  psql_shard -c "DROP TABLE IF EXISTS bench_nested10m_b; CREATE TABLE bench_nested10m_b (g integer, x1 float8, x2 float8, y float8);"
  psql_shard -c "\\copy bench_nested10m_b FROM '$work/part_b.csv' (FORMAT csv)"
  psql_shard -c "ANALYZE bench_nested10m_b"
  psql_main -c "CREATE EXTENSION IF NOT EXISTS postgres_fdw; DROP SERVER IF EXISTS bench_shard CASCADE;
    CREATE SERVER bench_shard FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '5433', dbname 'postgres');
    CREATE USER MAPPING FOR CURRENT_USER SERVER bench_shard OPTIONS (user 'postgres', password 'mixed');
    CREATE TABLE bench_nested10m (g integer, x1 float8, x2 float8, y float8) PARTITION BY RANGE (g);
    CREATE TABLE bench_nested10m_a PARTITION OF bench_nested10m FOR VALUES FROM (MINVALUE) TO (50000);
    CREATE FOREIGN TABLE bench_nested10m_b PARTITION OF bench_nested10m FOR VALUES FROM (50000) TO (MAXVALUE) SERVER bench_shard OPTIONS (table_name 'bench_nested10m_b');"
  psql_main -c "\\copy bench_nested10m_a FROM '$work/part_a.csv' (FORMAT csv)"
  psql_main -c "ANALYZE bench_nested10m_a"
fi

# Times `mixed fit` as a user runs it (lmerTest's summary: Satterthwaite df, residual quantiles).
run() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/$label.txt" 2>/dev/null
  read -r seconds kb < "$work/time.txt"
  printf "%-26s %8.1f s %7.0f MB  %s\n" "$label" "$seconds" "$((kb / 1024))" "$(grep -m1 -E 'criterion' "$work/$label.txt")"
}
# The full-precision objective (JSON), to show that two engines give the same fit.
objective() { "$@" --format json 2>/dev/null | grep -o '"objective": *[-0-9.e+]*' | head -1; }
nested="y ~ x1 + x2 + (1 + x1 | g)"
pg="Host=127.0.0.1;Port=5432;Username=postgres;Password=mixed;Database=postgres"
run nested100m-parquet "${mixed[@]}" fit --data "$work/nested100m.parquet" --engine duckdb --formula "$nested"
run crossed10m-parquet "${mixed[@]}" fit --data "$work/crossed10m.parquet" --engine duckdb --formula "y ~ 1 + (1 | a) + (1 | b)"
run nested10m-parquet "${mixed[@]}" fit --data "$work/nested10m.parquet" --engine duckdb --formula "$nested"
run nested10m-postgres-2 "${mixed[@]}" fit --connection "$pg" --table bench_nested10m --formula "$nested"
run nested10m-memory "${mixed[@]}" fit --data "$work/nested10m.parquet" --engine memory --formula "$nested"
run crossed10m-memory "${mixed[@]}" fit --data "$work/crossed10m.parquet" --engine memory --formula "y ~ 1 + (1 | a) + (1 | b)"
echo "nested10m objective: Parquet $(objective "${mixed[@]}" fit --data "$work/nested10m.parquet" --engine duckdb --formula "$nested"), PostgreSQL $(objective "${mixed[@]}" fit --connection "$pg" --table bench_nested10m --formula "$nested"), memory $(objective "${mixed[@]}" fit --data "$work/nested10m.parquet" --engine memory --formula "$nested")"

#!/bin/sh
# The 10-million-row check of issue 5: writes a CSV of N rows (default 10,000,000; y, x, g with 10,000 groups)
# and reports the time and peak resident memory of `mixed describe` and `mixed fit` on it (GNU time).
# Usage from the repository root: tools/big-csv.sh [rows] [file]
set -e
rows=${1:-10000000}
file=${2:-/tmp/mixed-big.csv}
awk -v n="$rows" 'BEGIN {
  srand(7); print "y,x,g";
  for (i = 0; i < 10000; i++) e[i] = 2 * (rand() - 0.5);
  for (i = 0; i < n; i++) { g = int(rand() * 10000); x = rand() * 10; printf "%.5f,%.5f,g%d\n", 1 + 0.5 * x + e[g] + (rand() - 0.5), x, g }
}' > "$file"
ls -l "$file"
dotnet build src/MixedModels.Cli -c Release -v q -nologo >/dev/null
mixed=src/MixedModels.Cli/bin/Release/net10.0/mixed
for args in "describe --data $file --group g" "fit --data $file --formula y~x+(1|g) --ddf none"; do
  echo "== mixed $args"
  /usr/bin/time -f "elapsed %e s, peak RSS %M KB" $mixed $args > /tmp/mixed-big.out
  tail -n 3 /tmp/mixed-big.out
done

#!/bin/sh
# Measures lme4 and `mixed bench` one after the other on this machine and prints the ratios (lme4 / ours).
# Usage from the repository root: tools/bench-both.sh [names...]    (Release build; takes ~15 minutes for all)
# tools/bench-glmm-lme4.json and tools/bench-glmm-mixed.json hold the run of the glmer rows (cbpp verbagg grouseticks binary1m).
set -e
dir=${MIXED_BENCH_DATA:-/tmp/mixed-bench-data}
dotnet build src/MixedModels.Cli -c Release -v q -nologo >/dev/null
mixed=src/MixedModels.Cli/bin/Release/net10.0/mixed
only=""
for n in "$@"; do only="$only --only $n"; done
$mixed bench --export "$dir" $only >/dev/null
(cd tools && Rscript bench-lme4.R "$dir" 11 "$@")
$mixed bench $only --format json --output tools/bench-mixed.json
Rscript -e '
suppressMessages(library(jsonlite))
r <- fromJSON("tools/bench-lme4.json"); m <- fromJSON("tools/bench-mixed.json")
x <- merge(r, m, by = "name", suffixes = c(".lme4", ".mixed"), sort = FALSE)
x$ratio <- x$median_ms.lme4 / x$median_ms.mixed
x$rel_objective <- (x$objective.mixed - x$objective.lme4) / abs(x$objective.lme4)
print(x[, c("name", "median_ms.lme4", "median_ms.mixed", "ratio", "evaluations.lme4", "evaluations.mixed", "objective.lme4", "objective.mixed", "rel_objective")], digits = 6, row.names = FALSE)'

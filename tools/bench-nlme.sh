#!/bin/sh
# Measures nlme and `mixed bench` one after the other on this machine on the nlme rows of the benchmark suite and
# prints the ratios (nlme / ours). Usage from the repository root: tools/bench-nlme.sh [names...]   (Release build;
# about 5 minutes, most of it nlme's 100,000-row fit). Writes tools/bench-nlme.json and tools/bench-nlme-mixed.json.
set -e
dir=${MIXED_BENCH_DATA:-/tmp/mixed-bench-data}
names=${*:-gls-ovary-ar1 lme-ovary-ar1 lme-bodyweight-car1-power gls-orthodont-symm lme-longitudinal-ar1}
dotnet build src/MixedModels.Cli -c Release -v q -nologo >/dev/null
mixed=src/MixedModels.Cli/bin/Release/net10.0/mixed
only=""
for n in $names; do only="$only --only $n"; done
$mixed bench --export "$dir" $only >/dev/null
(cd tools && Rscript bench-nlme.R "$dir" 11 $names)
$mixed bench $only --format json --output tools/bench-nlme-mixed.json
Rscript -e '
suppressMessages(library(jsonlite))
r <- fromJSON("tools/bench-nlme.json"); m <- fromJSON("tools/bench-nlme-mixed.json")
x <- merge(r, m, by = "name", suffixes = c(".nlme", ".mixed"), sort = FALSE)
x$ratio <- x$median_ms.nlme / x$median_ms.mixed
x$ratio_default <- x$default_ms / x$median_ms.mixed
x$loglik_gain <- (x$objective.nlme - x$objective.mixed) / 2
print(x[, c("name", "median_ms.nlme", "default_ms", "median_ms.mixed", "ratio", "ratio_default", "evaluations", "objective.nlme", "objective.mixed", "loglik_gain")], digits = 8, row.names = FALSE)'

# Times robustlmm's rlmer on the robust rows of the benchmark suite (rlmer-rehab, rlmer-sleepstudy, rlmer-hsb), on
# the files `mixed bench --export` writes, so that both are measured on the same machine in one run.
# robustlmm is not packaged for Debian: build robustlmm 3.1-2 and fastGHQuad 1.0.1 from their CRAN mirror
# repositories into a private library first on .libPaths (R_LIBS=/path/to/lib).
# From the repository root:
#   dotnet run --project src/MixedModels.Cli -c Release -- bench --export /tmp/mixed-bench-data --only rlmer-rehab ...
#   (cd tools && R_LIBS=/path/to/lib Rscript bench-robustlmm.R /tmp/mixed-bench-data [reps] [limit_seconds] [names...])
# writes tools/bench-robustlmm.json (name, median_ms, evaluations = rlmer's iterations, objective = sigma, reps); a
# model whose first fit takes longer than limit_seconds (default 1800) is reported with its time and not repeated.
suppressMessages({ library(robustlmm); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "/tmp/mixed-bench-data"
reps <- if (length(args) > 1) as.integer(args[2]) else 5
limit <- if (length(args) > 2) as.numeric(args[3]) else 1800
only <- if (length(args) > 3) args[-(1:3)] else NULL
models <- list(
  list("rlmer-rehab", "resemblance ~ intervention + gep_level + tse_months + (intervention | id_clin)", "id_clin",
       list(intervention = c("Waiting list", "Gene therapy"), gep_level = c("Low intensity", "High intensity"))),
  list("rlmer-sleepstudy", "Reaction ~ Days + (Days | Subject)", "Subject", list()),
  list("rlmer-hsb", "MathAch ~ SES + (SES | School)", "School", list()))
results <- list()
for (m in models) {
  if (!is.null(only) && !(m[[1]] %in% only)) next
  d <- read.csv(file.path(dir, paste0(m[[1]], ".csv")), stringsAsFactors = FALSE)
  for (f in m[[3]]) d[[f]] <- factor(d[[f]])
  for (f in names(m[[4]])) d[[f]] <- factor(d[[f]], levels = m[[4]][[f]])
  f <- as.formula(m[[2]])
  fitone <- function() suppressMessages(suppressWarnings(rlmer(f, d)))
  t1 <- system.time(fit <- fitone())[["elapsed"]]
  n <- if (t1 > limit) 1 else max(3, min(reps, floor(120 / max(t1, 1e-3))))
  times <- c(t1, if (n > 1) vapply(seq_len(n - 1), function(i) system.time(fit <<- fitone())[["elapsed"]], 0))
  r <- list(name = m[[1]], median_ms = 1000 * median(times), evaluations = fit@optinfo$feval, objective = sigma(fit), reps = n)
  results[[length(results) + 1]] <- r
  cat(sprintf("%-18s median %12.2f ms  iterations %4d  sigma %.10f  (%d runs)\n", r$name, r$median_ms, r$evaluations, r$objective, n))
}
writeLines(toJSON(results, auto_unbox = TRUE, digits = 10, pretty = TRUE), "bench-robustlmm.json")

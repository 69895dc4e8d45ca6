# Times lme4 on the benchmark models, inside R (median of repeated lmer() calls; data already loaded), so that the
# ratios to this project's BenchmarkDotNet medians are measured on the same machine in the same session.
# Run from tools/:  Rscript bench-lme4.R [reps]     (prints a table and writes bench-lme4.json)
source("reference-common.R")
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args) > 0) as.integer(args[1]) else 11
models <- list(
  list("sleepstudy", "sleepstudy", "Reaction ~ Days + (Days | Subject)", TRUE),
  list("penicillin", "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", TRUE),
  list("pastes", "pastes", "strength ~ 1 + (1 | batch/cask)", TRUE),
  list("hsb", "hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", TRUE),
  list("insteval", "insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", FALSE))
results <- list()
for (m in models) {
  d <- load_data(m[[2]])
  f <- as.formula(m[[3]])
  n <- if (m[[1]] == "insteval") max(3, reps %/% 4) else reps
  fit <- NULL
  times <- vapply(seq_len(n), function(i) {
    t0 <- proc.time()[["elapsed"]]
    fit <<- suppressMessages(suppressWarnings(lmer(f, d, REML = m[[4]])))
    proc.time()[["elapsed"]] - t0
  }, 0)
  r <- list(name = m[[1]], median_ms = 1000 * median(times), evaluations = fit@optinfo$feval,
            objective = if (m[[4]]) REMLcrit(fit) else deviance(fit), reps = n)
  results[[length(results) + 1]] <- r
  cat(sprintf("%-12s median %10.2f ms  evaluations %4d  objective %.10f  (%d runs)\n", r$name, r$median_ms, r$evaluations, r$objective, n))
}
writeLines(toJSON(results, auto_unbox = TRUE, digits = 10, pretty = TRUE), "bench-lme4.json")

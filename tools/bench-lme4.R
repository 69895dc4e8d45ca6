# Times lme4 on the benchmark suite of `mixed bench` (median of repeated lmer() calls timed inside R, data already
# loaded), so both can be measured on the same machine in one run. The data are the files `mixed bench --export`
# writes (the embedded data sets and the seeded simulations, identical rows), read as the CLI reads them.
#
# From the repository root:
#   dotnet run --project src/MixedModels.Cli -c Release -- bench --export /tmp/mixed-bench-data
#   (cd tools && Rscript bench-lme4.R /tmp/mixed-bench-data [reps] [names...])
# prints a table and writes tools/bench-lme4.json (name, median_ms, evaluations, objective, reps). The GLMM models
# (cbpp, verbagg, grouseticks, binary1m) are fitted by glmer with its defaults (nAGQ = 1); their objective is
# -2 log-likelihood, the Laplace criterion.
suppressMessages({ library(lme4); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "/tmp/mixed-bench-data"
reps <- if (length(args) > 1) as.integer(args[2]) else 11
only <- if (length(args) > 2) args[-(1:2)] else NULL
models <- list(
  list("sleepstudy", "Reaction ~ Days + (Days | Subject)", TRUE, "Subject"),
  list("penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", TRUE, c("plate", "sample")),
  list("pastes", "strength ~ 1 + (1 | batch/cask)", TRUE, c("batch", "cask")),
  list("hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", TRUE, c("School", "Minority", "Sex", "Sector")),
  list("insteval", "y ~ 1 + service + (1 | s) + (1 | d) + (1 | dept)", FALSE, c("s", "d", "service", "dept")),
  list("kb07like", "y ~ 1 + a + b + c + (1 + a + b + c | subj) + (1 + a + b + c | item)", TRUE, c("subj", "item")),
  list("nested1m", "y ~ x1 + x2 + (1 + x1 | g)", TRUE, "g"),
  list("crossed500k", "y ~ 1 + (1 | a) + (1 | b)", TRUE, c("a", "b")),
  list("ml1m", "y ~ 1 + (1 | user) + (1 | movie)", TRUE, c("user", "movie")),
  list("cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", FALSE, c("herd", "period"), "binomial"),
  list("verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", FALSE, c("id", "item"), "binomial"),
  list("grouseticks", "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)", FALSE, c("BROOD", "INDEX", "YEAR", "LOCATION"), "poisson"),
  list("binary1m", "y ~ x + (1 + x | g)", FALSE, "g", "binomial"))
results <- list()
for (m in models) {
  if (!is.null(only) && !(m[[1]] %in% only)) next
  d <- read.csv(file.path(dir, paste0(m[[1]], ".csv")), stringsAsFactors = TRUE)
  for (f in m[[4]]) d[[f]] <- factor(d[[f]])
  f <- as.formula(m[[2]])
  # glmer (default control, nAGQ = 1) for the models with a family, lmer otherwise.
  fam <- if (length(m) >= 5) get(m[[5]]) else NULL
  fitone <- function() suppressMessages(suppressWarnings(
    if (is.null(fam)) lmer(f, d, REML = m[[3]]) else glmer(f, d, family = fam)))
  t1 <- system.time(fit <- fitone())[["elapsed"]]
  # Repeats: as many as fit in about a minute (at least 3, at most reps), the first fit included.
  n <- max(3, min(reps, floor(60 / max(t1, 1e-3))))
  times <- c(t1, vapply(seq_len(n - 1), function(i) {
    system.time(fit <<- fitone())[["elapsed"]]
  }, 0))
  r <- list(name = m[[1]], median_ms = 1000 * median(times), evaluations = fit@optinfo$feval,
            objective = if (m[[3]]) REMLcrit(fit) else if (is.null(fam)) deviance(fit) else -2 * as.numeric(logLik(fit)), reps = n)
  results[[length(results) + 1]] <- r
  cat(sprintf("%-12s median %10.2f ms  evaluations %4d  objective %.10f  (%d runs)\n", r$name, r$median_ms, r$evaluations, r$objective, n))
}
writeLines(toJSON(results, auto_unbox = TRUE, digits = 10, pretty = TRUE), "bench-lme4.json")

# Times nlme's gls and lme on the nlme rows of the benchmark suite, on the files `mixed bench --export` writes, so
# that both are measured on the same machine in one run. From the repository root:
#   dotnet run --project src/MixedModels.Cli -c Release -- bench --export /tmp/mixed-bench-data --only gls-ovary-ar1 ...
#   (cd tools && Rscript bench-nlme.R /tmp/mixed-bench-data [reps] [names...])
# writes tools/bench-nlme.json (name, median_ms, objective = -2 logLik, reps = fits timed). nlme's control is tightened as in
# tools/reference-nlme-structures.R so that it reaches its optimum; its default control is timed too (default_ms).
suppressMessages({ library(nlme); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) > 0) args[1] else "/tmp/mixed-bench-data"
reps <- if (length(args) > 1) as.integer(args[2]) else 5
only <- if (length(args) > 2) args[-(1:2)] else NULL
tight <- function(gls = FALSE) if (gls) glsControl(maxIter = 500, msMaxIter = 500, tolerance = 1e-8, msTol = 1e-10) else
  lmeControl(maxIter = 500, msMaxIter = 500, niterEM = 100, tolerance = 1e-8, msTol = 1e-10, returnObject = TRUE)
models <- list(
  list("gls-ovary-ar1", function(d, ctl) gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = d,
       correlation = corAR1(form = ~ 1 | Mare), control = ctl(TRUE)), "Mare"),
  list("lme-ovary-ar1", function(d, ctl) lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = d,
       random = ~ 1 | Mare, correlation = corAR1(), control = ctl()), "Mare"),
  list("lme-bodyweight-car1-power", function(d, ctl) lme(weight ~ Time * Diet, data = d, random = ~ Time | Rat,
       weights = varPower(), correlation = corCAR1(form = ~ Time), control = ctl()), c("Rat", "Diet")),
  list("gls-orthodont-symm", function(d, ctl) gls(distance ~ age * Sex, data = d, correlation = corSymm(form = ~ 1 | Subject),
       weights = varIdent(form = ~ 1 | age), control = ctl(TRUE)), c("Subject", "Sex")),
  list("lme-longitudinal-ar1", function(d, ctl) lme(y ~ time, data = d, random = ~ time | id, correlation = corAR1(),
       control = ctl()), "id"))
results <- list()
for (m in models) {
  if (!is.null(only) && !(m[[1]] %in% only)) next
  d <- read.csv(file.path(dir, paste0(m[[1]], ".csv")), stringsAsFactors = FALSE)
  for (f in m[[3]]) d[[f]] <- factor(d[[f]], levels = unique(d[[f]]))
  # A fit faster than 0.2 s is timed in batches of k fits (system.time's resolution is 1 ms); the first fit is a warm-up.
  time_fit <- function(ctl) {
    t1 <- system.time(fit <- m[[2]](d, ctl))[["elapsed"]]
    k <- if (t1 < 0.2) ceiling(0.2 / max(t1, 1e-3)) else 1
    n <- max(3, min(reps, floor(60 / max(t1 * k, 1e-3))))
    times <- vapply(seq_len(n), function(i) system.time(for (j in seq_len(k)) fit <<- m[[2]](d, ctl))[["elapsed"]] / k, 0)
    list(fit = fit, median = 1000 * median(times), n = n * k)
  }
  a <- time_fit(tight)
  b <- time_fit(function(gls = FALSE) if (gls) glsControl() else lmeControl())
  r <- list(name = m[[1]], median_ms = a$median, objective = -2 * as.numeric(logLik(a$fit)), reps = a$n,
            default_ms = b$median, default_objective = -2 * as.numeric(logLik(b$fit)))
  results[[length(results) + 1]] <- r
  cat(sprintf("%-28s median %10.2f ms  -2logLik %.8f  (default control %10.2f ms, %.8f)\n", r$name, r$median_ms, r$objective,
              r$default_ms, r$default_objective))
}
writeLines(toJSON(results, auto_unbox = TRUE, digits = 12, pretty = TRUE), "bench-nlme.json")

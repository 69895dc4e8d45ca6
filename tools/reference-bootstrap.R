# Parametric bootstrap percentile intervals from lme4 1.1-31 (confint(method = "boot", boot.type = "perc")), with
# many replicates so that their Monte Carlo error is small; the tests compare our bootstrap with these within the
# Monte Carlo error of both. Also lme4's profile intervals for the same fits. Writes
# tests/MixedModels.Tests/Reference/inference/bootstrap.json. Run from tools/:  Rscript reference-bootstrap.R
source("reference-common.R")
out <- "../tests/MixedModels.Tests/Reference/inference"
nsim <- 2000
models <- list(
  list("sleepstudy_ml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", FALSE),
  list("sleepstudy_reml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", TRUE),
  list("hsb_ses_ml", "hsb", "MathAch ~ SES + (1 | School)", FALSE))
records <- lapply(models, function(spec) {
  d <- load_data(spec[[2]])
  m <- lmer(as.formula(spec[[3]]), d, REML = spec[[4]], control = tight)
  set.seed(20261122)
  t0 <- Sys.time()
  ci <- suppressWarnings(suppressMessages(confint(m, method = "boot", nsim = nsim, boot.type = "perc", oldNames = FALSE)))
  seconds <- as.numeric(difftime(Sys.time(), t0, units = "secs"))
  pr <- suppressWarnings(suppressMessages(confint(m, method = "profile", oldNames = FALSE)))
  cat(sprintf("%-16s %d replicates in %.1f s\n", spec[[1]], nsim, seconds))
  list(id = spec[[1]], data = paste0(spec[[2]], ".csv"), formula = spec[[3]], reml = spec[[4]], nsim = nsim,
       seconds = seconds, names = rownames(ci), lower = unname(ci[, 1]), upper = unname(ci[, 2]),
       profile_lower = unname(pr[, 1]), profile_upper = unname(pr[, 2]))
})
writeLines(toJSON(records, auto_unbox = TRUE, digits = 12), file.path(out, "bootstrap.json"))

# Reference values for nlme's summary() layout (issue 12): lme and gls fits refitted with tight control (nlme's
# defaults stop early; lme4-style optimizers here reach the tight optimum), printed summaries.
# Rscript tools/reference-nlme.R [datadir] [outdir]; writes tests/MixedModels.Tests/Reference/nlme/extra/*.json.
suppressMessages({ library(nlme); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
datadir <- if (length(args) >= 1) args[1] else "../shared/reference/data"
outdir <- if (length(args) >= 2) args[2] else "tests/MixedModels.Tests/Reference/nlme/extra"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)
tight <- lmeControl(msTol = 1e-14, tolerance = 1e-12, niterEM = 100, msMaxIter = 1000, maxIter = 1000)
read <- function(name, factors) {
  d <- read.csv(file.path(datadir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  for (f in names(factors)) d[[f]] <- if (is.null(factors[[f]])) factor(d[[f]]) else factor(d[[f]], levels = factors[[f]])
  d
}
rehabF <- list(id_clin = NULL, intervention = c("Waiting list", "Gene therapy"), gep_level = c("Low intensity", "High intensity"))
cases <- list(
  list(id = "rehab_tse_ml", data = "rehab", factors = rehabF,
       call = quote(lme(resemblance ~ intervention + gep_level + tse_months, random = ~intervention | id_clin, data = rehab, method = "ML", control = tight))),
  list(id = "rehab_ri_reml", data = "rehab", factors = rehabF,
       call = quote(lme(resemblance ~ intervention, random = ~1 | id_clin, data = rehab, control = tight))),
  list(id = "rehab_base_gls", data = "rehab", factors = rehabF,
       call = quote(gls(resemblance ~ intervention, data = rehab))),
  list(id = "sleepstudy_reml", data = "sleepstudy", factors = list(Subject = NULL),
       call = quote(lme(Reaction ~ Days, random = ~Days | Subject, data = sleepstudy, control = tight))),
  list(id = "pastes_nested", data = "pastes", factors = list(batch = NULL, cask = NULL),
       call = quote(lme(strength ~ 1, random = ~1 | batch/cask, data = pastes, control = tight))),
  list(id = "orthodont_sex_ml", data = "orthodont", factors = list(Subject = NULL, Sex = c("Male", "Female")),
       call = quote(lme(distance ~ age * Sex, random = ~1 | Subject, data = orthodont, method = "ML", control = tight))))
for (cs in cases) {
  assign(cs$data, read(cs$data, cs$factors))
  fit <- eval(cs$call)
  cl <- cs$call; cl$control <- NULL
  out <- list(id = cs$id, data = paste0(cs$data, ".csv"), call = paste(deparse(cl), collapse = " "),
              factors = lapply(setNames(names(cs$factors), names(cs$factors)), function(f) list(levels = levels(get(cs$data)[[f]]))),
              loglik = as.numeric(logLik(fit)),
              summary = paste(capture.output(print(summary(fit))), collapse = "\n"),
              anova_sequential = paste(capture.output(print(anova(fit))), collapse = "\n"),
              anova_marginal = paste(capture.output(print(anova(fit, type = "marginal"))), collapse = "\n"),
              intervals = if (inherits(fit, "lme")) paste(capture.output(print(intervals(fit))), collapse = "\n") else NULL)
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(outdir, paste0(cs$id, ".json")))
  cat(cs$id, "\n")
}

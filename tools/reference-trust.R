# Reference values for the trust checks (issue 10): fits where a start other than lme4's can end at a worse
# boundary point. For each: lme4's default fit (what a user of lmer sees) and a tightly converged refit.
# Run from tools/:  Rscript reference-trust.R
source("reference-common.R")
out <- "../tests/MixedModels.Tests/Reference/trust"
dir.create(out, showWarnings = FALSE)
models <- list(
  list("igf_slope", "igf", "conc ~ age + (age | Lot)")
)
for (spec in models) {
  d <- load_data(spec[[2]])
  m <- lmer(as.formula(spec[[3]]), d)
  t <- lmer(as.formula(spec[[3]]), d, control = tight)
  rec <- list(id = spec[[1]], data = spec[[2]], formula = spec[[3]], reml = TRUE,
              lme4_default = list(objective = REMLcrit(m), theta = unname(getME(m, "theta")), singular = isSingular(m)),
              tight = list(objective = REMLcrit(t), theta = unname(getME(t, "theta")), sigma = sigma(t),
                           beta = unname(fixef(t)), se = unname(sqrt(diag(as.matrix(vcov(t)))))),
              lme4_version = as.character(packageVersion("lme4")))
  writeLines(toJSON(rec, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(out, paste0(spec[[1]], ".json")))
  cat(sprintf("%-12s default %.10f  tight %.10f\n", spec[[1]], REMLcrit(m), REMLcrit(t)))
}

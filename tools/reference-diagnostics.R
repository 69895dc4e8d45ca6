# Reference values for the random-effects and diagnostics features: lme4's coef() (fixed + random per level),
# the full conditional covariance blocks of ranef(condVar = TRUE), residuals by type, and the per-cluster Cook's
# distance of deleting each cluster (influence.ME's definition, computed here by refitting lme4 without the cluster,
# tightly converged). Writes tests/MixedModels.Tests/Reference/inference/diagnostics.json.
# Run from tools/:  Rscript reference-diagnostics.R
source("reference-common.R")
out <- "../tests/MixedModels.Tests/Reference/inference"
ss <- load_data("sleepstudy")
m <- lmer(Reaction ~ Days + (Days | Subject), ss, control = tight)
mu <- lmer(Reaction ~ Days + (Days || Subject), ss, control = tight)
pv <- attr(ranef(m, condVar = TRUE)$Subject, "postVar")
cf <- coef(m)$Subject
cfu <- coef(mu)$Subject
V <- as.matrix(vcov(m))
cooks <- sapply(levels(ss$Subject), function(s) {
  mi <- lmer(Reaction ~ Days + (Days | Subject), ss[ss$Subject != s, ], control = tight)
  d <- fixef(m) - fixef(mi)
  as.numeric(t(d) %*% solve(V) %*% d) / length(d)
})
o <- lmer(distance ~ age * Sex + (age | Subject), load_data("orthodont"), control = tight)
rec <- list(
  sleepstudy = list(
    levels = rownames(cf), coef_names = colnames(cf), coef = unname(as.matrix(cf)),
    postvar = lapply(seq_len(dim(pv)[3]), function(i) unname(pv[, , i])),
    cooks = unname(cooks),
    residual_response = unname(residuals(m, type = "response"))[1:5],
    residual_pearson = unname(residuals(m, type = "pearson"))[1:5],
    residual_scaled = unname(residuals(m, scaled = TRUE))[1:5]),
  sleepstudy_uncorrelated = list(coef_names = colnames(cfu), coef = unname(as.matrix(cfu))),
  orthodont = list(coef_names = colnames(coef(o)$Subject), coef_first = unname(unlist(coef(o)$Subject[1, ]))))
writeLines(toJSON(rec, auto_unbox = TRUE, digits = 12), file.path(out, "diagnostics.json"))
cat("cooks:", format(cooks, digits = 4), "\n")

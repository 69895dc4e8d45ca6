# Reference values for inference, from lmerTest 3.1-3, pbkrtest 0.5.2, lme4 1.1-31 and performance 0.10.2, on
# tightly converged fits (insight 0.19.0 for the variance parts): Satterthwaite and Kenward-Roger t-tests, type III ANOVA tables with both methods,
# lmerTest's printed summary and anova, Nakagawa R² and ICC, standard errors of the variance components
# (observed information of the deviance on the variance/covariance scale), and model comparisons.
# Writes tests/MixedModels.Tests/Reference/inference/*.json. Run from tools/:  Rscript reference-inference.R
source("reference-common.R")
suppressMessages({ library(lmerTest); library(pbkrtest); library(performance); library(numDeriv) })
out <- "../tests/MixedModels.Tests/Reference/inference"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

models <- list(
  list("sleepstudy_slope_reml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_intercept", "sleepstudy", "Reaction ~ 1 + (1 | Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_days_ri", "sleepstudy", "Reaction ~ 1 + Days + (1 | Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_uncorrelated", "sleepstudy", "Reaction ~ Days + (Days || Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_slope_only", "sleepstudy", "Reaction ~ Days + (0 + Days | Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_missing", "sleepstudy_missing", "Reaction ~ Days + (Days | Subject)", TRUE, NULL, TRUE),
  list("sleepstudy_slope_ml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", FALSE, NULL, FALSE),
  list("dyestuff_reml", "dyestuff", "Yield ~ 1 + (1 | Batch)", TRUE, NULL, TRUE),
  list("orthodont_age_sex", "orthodont", "distance ~ age * Sex + (age | Subject)", TRUE, NULL, TRUE),
  list("hsb_cross_level", "hsb", "MathAch ~ SES * Sector + MEANSES + Sex + Minority + (SES | School)", TRUE, NULL, TRUE),
  list("hsb_ses_slope", "hsb", "MathAch ~ SES + (SES | School)", TRUE, NULL, FALSE),
  list("pastes_nested", "pastes", "strength ~ 1 + (1 | batch/cask)", TRUE, NULL, TRUE),
  list("penicillin_crossed", "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", TRUE, NULL, TRUE),
  list("prepost_time", "prepost", "score ~ time + (1 | id)", TRUE, NULL, TRUE),
  list("prepost_group_time", "prepost", "score ~ group * time + EM + (1 | id)", TRUE, NULL, TRUE),
  list("prepost_time_em", "prepost", "score ~ group * time + EM * time + (1 | id)", TRUE, NULL, TRUE),
  list("ortho_sum", "orthodont", "distance ~ age * Sex + (1 | Subject)", TRUE, list(Sex = "contr.sum"), TRUE),
  list("pastes_helmert", "pastes", "strength ~ batch + (1 | cask:batch)", TRUE, list(batch = "contr.helmert"), TRUE),
  list("hsb_power", "hsb", "MathAch ~ (SES + MEANSES + Sector)^2 + (1 | School)", TRUE, NULL, FALSE),
  list("sleep_factor_days", "sleepstudy", "Reaction ~ factor(Days) + (1 | Subject)", TRUE, NULL, TRUE),
  list("prepost_ordered_ml", "prepost", "score ~ time * group + (1 | id)", FALSE, NULL, FALSE))

table_rows <- function(tab) {
  lapply(seq_len(nrow(tab)), function(i) list(term = rownames(tab)[i], sumsq = tab[i, "Sum Sq"], meansq = tab[i, "Mean Sq"],
    numdf = tab[i, "NumDF"], dendf = tab[i, "DenDF"], f = tab[i, "F value"], p = tab[i, "Pr(>F)"]))
}

# The deviance on the scale of the variance parameters, in the order of as.data.frame(VarCorr(m)): per term its
# variances, then its covariances; last the residual variance.
vc_deviance <- function(m) {
  dfun <- update(m, devFunOnly = TRUE)
  reml <- isREML(m)
  dims <- vapply(m@cnms, length, 1L)
  function(gamma) {
    s2 <- gamma[length(gamma)]
    theta <- c()
    k <- 0
    for (d in dims) {
      S <- diag(gamma[k + seq_len(d)], d); k <- k + d
      if (d > 1) {
        S[lower.tri(S)] <- gamma[k + seq_len(d * (d - 1) / 2)]; k <- k + d * (d - 1) / 2
        S[upper.tri(S)] <- t(S)[upper.tri(S)]
      }
      L <- t(chol(S / s2))
      theta <- c(theta, L[lower.tri(L, diag = TRUE)])
    }
    lmerTest:::devfun_vp(c(theta, sqrt(s2)), dfun, reml)
  }
}

for (spec in models) {
  id <- spec[[1]]
  d <- load_data(spec[[2]])
  m <- lmerTest::lmer(as.formula(spec[[3]]), d, REML = spec[[4]], control = tight, contrasts = spec[[5]])
  # A copy whose call reads as lmer(formula, data = <data set name>) for the printed summary.
  mp <- m
  mp@call$data <- as.name(spec[[2]]); mp@call$control <- NULL; mp@call$formula <- as.formula(spec[[3]])
  cs <- summary(m, ddf = "Satterthwaite")$coefficients
  rec <- list(id = id, data = paste0(spec[[2]], ".csv"), formula = spec[[3]], reml = spec[[4]], contrasts = spec[[5]],
    objective = if (spec[[4]]) REMLcrit(m) else deviance(m),
    coef = list(names = rownames(cs), estimate = unname(cs[, 1]), se = unname(cs[, 2]), df = unname(cs[, 3]),
                t = unname(cs[, 4]), p = unname(cs[, 5])),
    lmertest_summary = paste(capture.output(print(summary(mp))), collapse = "\n"))
  if (nrow(cs) > 1 || length(attr(terms(m), "term.labels")) > 0) {
    a <- anova(m, type = 3, ddf = "Satterthwaite")
    rec$anova_satterthwaite <- table_rows(a)
    rec$lmertest_anova <- paste(capture.output(print(a)), collapse = "\n")
  }
  if (spec[[4]] && spec[[6]]) {
    ck <- summary(m, ddf = "Kenward-Roger")$coefficients
    rec$coef_kr <- list(se = unname(ck[, 2]), df = unname(ck[, 3]), t = unname(ck[, 4]), p = unname(ck[, 5]))
    if (!is.null(rec$anova_satterthwaite)) rec$anova_kr <- table_rows(anova(m, type = 3, ddf = "Kenward-Roger"))
  }
  r2 <- suppressWarnings(performance::r2_nakagawa(m))
  ic <- suppressWarnings(performance::icc(m))
  rec$r2 <- list(marginal = unname(r2$R2_marginal), conditional = unname(r2$R2_conditional))
  if (!is.null(ic) && !all(is.na(unlist(ic)))) rec$icc <- list(adjusted = unname(ic$ICC_adjusted), conditional = unname(ic$ICC_conditional))
  # The variance parts of Nakagawa's R². insight sums z'Σz only over the VarCorr entries named like ranef()'s
  # grouping factors, so the second term of (x || g) (VarCorr's "g.1") is left out (easystats/insight#304);
  # random_all_terms is the same sum over every VarCorr entry.
  gv <- suppressWarnings(insight::get_variance(m))
  X <- getME(m, "X")
  all_terms <- sum(sapply(VarCorr(m), function(S) { Z <- X[, rownames(S), drop = FALSE]; sum(diag(crossprod(Z %*% S, Z))) / nrow(X) }))
  rec$variance_parts <- list(fixed = gv$var.fixed, random = gv$var.random, residual = gv$var.residual,
                             random_all_terms = all_terms, insight_drops_terms = length(VarCorr(m)) > length(ranef(m)))
  vc <- as.data.frame(VarCorr(m))
  gamma <- vc$vcov
  h <- numDeriv::hessian(vc_deviance(m), gamma)
  rec$varcomp <- list(names = paste(vc$grp, vc$var1, vc$var2, sep = "|"), estimate = gamma, se = sqrt(diag(2 * solve(h))))
  writeLines(toJSON(rec, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, paste0(id, ".json")))
  cat(sprintf("%-24s df %s\n", id, paste(format(cs[, 3], digits = 6), collapse = " ")))
}

# Model comparisons (lme4's anova: REML fits are refitted by ML).
ortho <- load_data("orthodont")
o1 <- lme4::lmer(distance ~ age + (1 | Subject), ortho, control = tight)
o2 <- lme4::lmer(distance ~ age + Sex + (1 | Subject), ortho, control = tight)
o3 <- lme4::lmer(distance ~ age * Sex + (age | Subject), ortho, control = tight)
a <- suppressMessages(anova(o1, o2, o3))
cmp <- list(id = "orthodont_anova", data = "orthodont.csv",
  formulas = c("distance ~ age + (1 | Subject)", "distance ~ age + Sex + (1 | Subject)", "distance ~ age * Sex + (age | Subject)"),
  npar = a$npar, aic = a$AIC, bic = a$BIC, loglik = a$logLik, deviance = a$deviance, chisq = a$Chisq, df = a$Df, p = a[["Pr(>Chisq)"]],
  r_table = paste(capture.output(print(a)), collapse = "\n"))
writeLines(toJSON(cmp, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, "orthodont_anova.json"))

# A baseline without random effects compared with mixed models (ML): lm's log-likelihood.
ss <- load_data("sleepstudy")
b0 <- lm(Reaction ~ Days, ss)
s1 <- lme4::lmer(Reaction ~ Days + (1 | Subject), ss, REML = FALSE, control = tight)
s2 <- lme4::lmer(Reaction ~ Days + (Days | Subject), ss, REML = FALSE, control = tight)
ll <- c(as.numeric(logLik(b0)), as.numeric(logLik(s1)), as.numeric(logLik(s2)))
np <- c(3, 4, 6)
chisq <- c(NA, 2 * diff(ll))
base <- list(id = "sleepstudy_base_comparison", formulas = c("Reaction ~ Days", "Reaction ~ Days + (1 | Subject)", "Reaction ~ Days + (Days | Subject)"),
  npar = np, loglik = ll, aic = -2 * ll + 2 * np, bic = -2 * ll + log(180) * np, chisq = chisq, df = c(NA, diff(np)),
  p = c(NA, pchisq(chisq[-1], diff(np), lower.tail = FALSE)),
  p_boundary = c(NA, 0.5 * pchisq(chisq[2], 1, lower.tail = FALSE), NA))
writeLines(toJSON(base, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, "sleepstudy_base_comparison.json"))

# lm summary figures for another baseline
h <- load_data("hsb")
lmh <- lm(MathAch ~ SES + Sector, h)
sh <- summary(lmh)
ols <- list(id = "hsb_ols", data = "hsb.csv", formula = "MathAch ~ SES + Sector",
  fixef = list(names = names(coef(lmh)), estimate = unname(coef(lmh)), se_ols = unname(sh$coefficients[, 2]),
               t = unname(sh$coefficients[, 3]), p = unname(sh$coefficients[, 4])),
  sigma_ols = sh$sigma, loglik = as.numeric(logLik(lmh)), aic = AIC(lmh), bic = BIC(lmh),
  r_squared = sh$r.squared, adj_r_squared = sh$adj.r.squared, fstatistic = unname(sh$fstatistic),
  lm_summary = paste(capture.output(print(sh)), collapse = "\n"))
writeLines(toJSON(ols, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, "hsb_ols.json"))
cat("done\n")

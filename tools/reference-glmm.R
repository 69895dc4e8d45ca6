# Reference values for generalized linear mixed models (lme4::glmer) and weighted lmer fits.
# Writes the data sets used (from R's lme4 and mlmRev packages) to the project's embedded data sets, and one JSON
# record per model to tests/MixedModels.Tests/Reference/glmm/. Each model is fitted with glmer's default control
# and again with a tightly converged bobyqa (PIRLS to tolPwrss = 1e-13: with looser PIRLS the finite-difference
# Hessian behind glmer's standard errors carries noise of ~1e-3); the record keeps the fit with the lower deviance and says which
# (glmer's default optimizer often stops a little early).
# Run from tools/:  Rscript reference-glmm.R
source("reference-common.R")   # lme4, jsonlite, ranef_record(), data_dir
suppressMessages(library(mlmRev))
out <- "../tests/MixedModels.Tests/Reference/glmm"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

write_data <- function(d, name) {
  con <- gzfile(file.path(data_dir, paste0(name, ".csv.gz")), "w")
  write.csv(d, con, row.names = FALSE, na = "")
  close(con)
}
data("cbpp", package = "lme4"); data("VerbAgg", package = "lme4"); data("grouseticks", package = "lme4")
data("Contraception", package = "mlmRev")
cbpp <- lme4::cbpp
verbagg <- lme4::VerbAgg[, c("Anger", "Gender", "item", "resp", "id", "btype", "situ", "mode", "r2")]
verbagg$resp <- as.character(verbagg$resp)
grouse <- lme4::grouseticks
contra <- mlmRev::Contraception
write_data(cbpp, "cbpp")
write_data(verbagg, "verbagg")
write_data(grouse, "grouseticks")
write_data(contra, "contraception")
datasets <- list(cbpp = cbpp, verbagg = lme4::VerbAgg, grouseticks = grouse, contraception = contra,
                 sleepstudy = lme4::sleepstudy)
cat("levels for Datasets.cs\n")
cat("verbagg item:", paste0('"', levels(lme4::VerbAgg$item), '"', collapse = ", "), "\n")
cat("verbagg mode:", levels(lme4::VerbAgg$mode), "\n")

tight_glmer <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5, rhoend = 1e-10), tolPwrss = 1e-13)
tight_lmer <- lmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5, rhoend = 1e-10))

glmm_record <- function(id, data_name, formula, family = NULL, nAGQ = 1, weights = NULL, reml = TRUE) {
  d <- datasets[[data_name]]
  if (!is.null(weights)) d$.w <- eval(parse(text = weights), d)
  f <- as.formula(formula)
  fit <- function(control) {
    if (is.null(family)) {
      if (is.null(weights)) lmer(f, d, REML = reml, control = control)
      else lmer(f, d, REML = reml, control = control, weights = .w)
    } else {
      if (is.null(weights)) glmer(f, d, family = family, nAGQ = nAGQ, control = control)
      else glmer(f, d, family = family, nAGQ = nAGQ, control = control, weights = .w)
    }
  }
  t0 <- proc.time()[[3]]
  m_default <- fit(if (is.null(family)) lmerControl() else glmerControl())
  seconds <- proc.time()[[3]] - t0
  m_tight <- fit(if (is.null(family)) tight_lmer else tight_glmer)
  crit <- function(m) if (isLMM(m)) (if (reml) REMLcrit(m) else deviance(m)) else -2 * as.numeric(logLik(m))
  use_tight <- crit(m_tight) < crit(m_default)
  m <- if (use_tight) m_tight else m_default
  cf <- summary(m)$coefficients
  vc <- as.data.frame(VarCorr(m))
  ranef_list <- ranef_record(m)
  # The summary as for a call on the data set's name with default control.
  m@call$data <- as.name(data_name); m@call$control <- NULL
  if (!is.null(weights)) m@call$weights <- parse(text = weights)[[1]]
  fam <- if (is.null(family)) NULL else stats::family(m)
  glm_fit <- NULL
  if (!is.null(family)) {
    fixed_only <- nobars(f)
    g <- tryCatch(if (is.null(weights)) glm(fixed_only, d, family = family) else glm(fixed_only, d, family = family, weights = .w),
                  error = function(e) NULL)
    if (!is.null(g)) glm_fit <- list(coef = unname(coef(g)), se = unname(summary(g)$coefficients[, 2]), deviance = deviance(g),
                    loglik = as.numeric(logLik(g)), aic = AIC(g))
  }
  rec <- list(
    id = id, data = data_name, formula = formula, family = if (is.null(fam)) NULL else fam$family,
    link = if (is.null(fam)) NULL else fam$link, nagq = nAGQ, weights = weights, reml = if (is.null(family)) reml else NULL,
    tight_refit_used = use_tight, default_criterion = crit(m_default), criterion = crit(m), r_seconds = seconds,
    nobs = nobs(m), ngroups = as.list(ngrps(m)),
    fixef = list(names = rownames(cf), estimate = unname(cf[, 1]), se = unname(cf[, 2]), statistic = unname(cf[, 3]),
                 p = if (ncol(cf) >= 4) unname(cf[, 4]) else NULL),
    vcov_fixef = unname(as.matrix(vcov(m))), theta = unname(getME(m, "theta")), sigma = sigma(m),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(group = vc$grp[i], var1 = if (is.na(vc$var1[i])) NULL else vc$var1[i],
                                                          var2 = if (is.na(vc$var2[i])) NULL else vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i])),
    loglik = as.numeric(logLik(m)), deviance_lme4 = if (isLMM(m)) deviance(m, REML = FALSE) else deviance(m), aic = AIC(m), bic = BIC(m),
    npar = attr(logLik(m), "df"), df_resid = df.residual(m),
    pearson_quantiles = unname(quantile(residuals(m, "pearson", scaled = TRUE))),
    fitted_head = unname(head(fitted(m), 10)),
    residual_head = list(deviance = unname(head(residuals(m, "deviance"), 10)), pearson = unname(head(residuals(m, "pearson"), 10)),
                         working = unname(head(residuals(m, "working"), 10)), response = unname(head(residuals(m, "response"), 10))),
    eta_head = unname(head(predict(m), 10)),
    singular = isSingular(m), ranef = ranef_list, glm = glm_fit,
    summary = paste(capture.output(print(summary(m))), collapse = "\n"),
    fit_messages = m@optinfo$conv$lme4$messages
  )
  writeLines(toJSON(rec, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, paste0(id, ".json")))
  cat(sprintf("%-26s criterion %.8f (default %.8f)%s  %.2fs\n", id, crit(m), crit(m_default), if (use_tight) " tight" else "", seconds))
}

glmm_record("cbpp_binomial", "cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", binomial)
glmm_record("cbpp_proportion", "cbpp", "incidence/size ~ period + (1 | herd)", binomial, weights = "size")
glmm_record("cbpp_probit", "cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", binomial(link = "probit"))
glmm_record("cbpp_nagq9", "cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", binomial, nAGQ = 9)
glmm_record("cbpp_nagq0", "cbpp", "cbind(incidence, size - incidence) ~ period + (1 | herd)", binomial, nAGQ = 0)
glmm_record("cbpp_poisson_offset", "cbpp", "incidence ~ period + offset(log(size)) + (1 | herd)", poisson)
glmm_record("verbagg_crossed", "verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", binomial)
glmm_record("verbagg_nagq0", "verbagg", "r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)", binomial, nAGQ = 0)
glmm_record("contraception_slope", "contraception", "use ~ age + I(age^2) + urban + livch + (urban | district)", binomial)
glmm_record("contraception_cloglog", "contraception", "use ~ age + urban + livch + (1 | district)", binomial(link = "cloglog"))
glmm_record("grouseticks_nested", "grouseticks", "TICKS ~ YEAR + cHEIGHT + (1 | BROOD) + (1 | INDEX) + (1 | LOCATION)", poisson)
glmm_record("cbpp_poisson_sqrt", "cbpp", "incidence ~ period + (1 | herd)", poisson(link = "sqrt"))
glmm_record("sleepstudy_gamma", "sleepstudy", "Reaction ~ Days + (1 | Subject)", Gamma(link = "log"))
glmm_record("sleepstudy_invgauss", "sleepstudy", "Reaction ~ Days + (1 | Subject)", inverse.gaussian(link = "log"))
glmm_record("cbpp_lmer_weighted", "cbpp", "incidence/size ~ period + (1 | herd)", weights = "size")
glmm_record("cbpp_lmer_weighted_ml", "cbpp", "incidence/size ~ period + (1 | herd)", weights = "size", reml = FALSE)
glmm_record("sleepstudy_lmer_weighted", "sleepstudy", "Reaction ~ Days + (Days | Subject)", weights = "1 + Days/3")

# Shared helpers for the reference scripts: load the data sets as the project's embedded data sets are loaded
# (numeric-looking grouping columns as factors with levels in numeric order), and turn a fit into the JSON record
# layout of ../shared/reference/fits (see tests/MixedModels.Tests/Reference/README-lme4-reference.md).
suppressMessages({ library(lme4); library(jsonlite) })

data_dir <- Sys.getenv("MIXED_DATA_DIR", "../src/MixedModels/Data/Datasets")

load_data <- function(name) {
  path <- file.path(data_dir, paste0(name, ".csv.gz"))
  d <- read.csv(gzfile(path), stringsAsFactors = TRUE)
  factors <- list(sleepstudy = "Subject", sleepstudy_missing = "Subject", dyestuff = "Batch", dyestuff2 = "Batch",
                  penicillin = c("plate", "sample"), pastes = c("batch", "cask"),
                  hsb = c("School", "Minority", "Sex", "Sector"), orthodont = c("Subject", "Sex"),
                  prepost = c("id", "group"), igf = "Lot", insteval = c("s", "d", "studage", "lectage", "service", "dept"))[[name]]
  for (f in factors) d[[f]] <- factor(d[[f]])
  if (name == "prepost") d$time <- factor(d$time, levels = c("pre", "post"), ordered = TRUE)
  d
}

# Conditional modes and conditional SDs of every level, per grouping factor.
ranef_record <- function(m) {
  re <- ranef(m, condVar = TRUE)
  lapply(names(re), function(g) {
    x <- re[[g]]
    pv <- attr(x, "postVar")
    if (!is.list(pv)) pv <- list(pv)
    condsd <- unname(unlist(lapply(pv, function(a) lapply(seq_len(dim(a)[1]), function(j) sqrt(a[j, j, ]))), recursive = FALSE))
    list(group = g, levels = rownames(x), columns = colnames(x),
         values = lapply(seq_len(ncol(x)), function(j) unname(x[[j]])), condsd = condsd)
  })
}

tight <- lmerControl(optimizer = "nloptwrap",
                     optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14, xtol_rel = 1e-12, maxeval = 1e5))

fit_record <- function(id, data_name, formula, reml = TRUE, control = tight, contrasts = NULL) {
  d <- load_data(data_name)
  f <- as.formula(formula)
  m <- lmer(f, d, REML = reml, control = control, contrasts = contrasts)
  # Print the summary as for lmer(formula, data = <data set name>) with default control.
  m@call$data <- as.name(data_name)
  m@call$control <- NULL
  m@call$formula <- f
  mf <- model.frame(m)
  fac <- list()
  for (v in names(mf)) if (is.factor(mf[[v]])) fac[[v]] <- list(levels = levels(mf[[v]]), ordered = is.ordered(mf[[v]]))
  cf <- summary(m)$coefficients
  vc <- as.data.frame(VarCorr(m))
  ranef_list <- ranef_record(m)
  list(
    id = id, data = paste0(data_name, ".csv"), formula = formula, reml = reml, factors = fac,
    contrasts = contrasts,
    nobs = nobs(m), ngroups = as.list(ngrps(m)),
    fixef = list(names = rownames(cf), estimate = unname(cf[, 1]), se = unname(cf[, 2]), t = unname(cf[, 3])),
    vcov_fixef = unname(as.matrix(vcov(m))), theta = unname(getME(m, "theta")), sigma = sigma(m),
    varcorr = lapply(seq_len(nrow(vc)), function(i) list(group = vc$grp[i], var1 = if (is.na(vc$var1[i])) NULL else vc$var1[i],
                                                          var2 = if (is.na(vc$var2[i])) NULL else vc$var2[i], vcov = vc$vcov[i], sdcor = vc$sdcor[i])),
    loglik = as.numeric(logLik(m)), objective = if (reml) REMLcrit(m) else deviance(m),
    deviance_ml = as.numeric(-2 * logLik(m, REML = FALSE)), aic = AIC(m), bic = BIC(m), npar = attr(logLik(m), "df"),
    scaled_residual_quantiles = unname(quantile(residuals(m, scaled = TRUE))),
    fitted_head = unname(head(fitted(m), 10)), residual_head = unname(head(residuals(m), 10)),
    singular = isSingular(m), ranef = ranef_list,
    lme4_summary = paste(capture.output(print(summary(m))), collapse = "\n"),
    fit_messages = m@optinfo$conv$lme4$messages,
    rank_dropped = names(attr(getME(m, "X"), "col.dropped"))
  )
}

write_record <- function(rec, dir) {
  dir.create(dir, showWarnings = FALSE, recursive = TRUE)
  writeLines(toJSON(rec, auto_unbox = TRUE, digits = 12, null = "null", na = "null", pretty = FALSE),
             file.path(dir, paste0(rec$id, ".json")))
}

# Reference values for nlme's variance functions and correlation structures (issue 12): gls and lme fits of nlme's
# own data sets (Pinheiro & Bates 2000), refitted with tight control, with their estimates, logLik, summary() text and
# the structures' parameters. Writes the data (as CSV, in the data's row order) and one JSON per fit.
# Rscript tools/reference-nlme-structures.R [outdir]   (default tests/MixedModels.Tests/Reference/nlme)
suppressMessages({ library(nlme); library(jsonlite) })
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "tests/MixedModels.Tests/Reference/nlme"
dir.create(file.path(outdir, "structures"), recursive = TRUE, showWarnings = FALSE)
dir.create(file.path(outdir, "data"), recursive = TRUE, showWarnings = FALSE)
ltight <- lmeControl(msTol = 1e-14, tolerance = 1e-12, niterEM = 100, msMaxIter = 1000, maxIter = 1000, msMaxEval = 2000)
gtight <- glsControl(msTol = 1e-14, tolerance = 1e-12, msMaxIter = 1000, maxIter = 1000)
plain <- function(d, keep) {
  d <- as.data.frame(d)[, keep]
  for (v in names(d)) if (is.factor(d[[v]])) d[[v]] <- factor(as.character(d[[v]]), levels = unique(as.character(d[[v]])))
  d
}
sets <- list(
  orthodont = plain(Orthodont, c("distance", "age", "Subject", "Sex")),
  ovary = plain(Ovary, c("Mare", "Time", "follicles")),
  bodyweight = plain(BodyWeight, c("weight", "Time", "Rat", "Diet")),
  dialyzer = plain(Dialyzer, c("Subject", "QB", "pressure", "rate", "index")),
  oxboys = plain(Oxboys, c("Subject", "age", "height", "Occasion")),
  pixel = plain(Pixel, c("Dog", "Side", "day", "pixel")),
  wheat2 = plain(Wheat2, c("Block", "variety", "yield", "latitude", "longitude")))
sets$orthodont$Sex <- factor(as.character(sets$orthodont$Sex), levels = c("Male", "Female"))
sets$bodyweight$Diet <- factor(as.character(sets$bodyweight$Diet), levels = c("1", "2", "3"))
sets$dialyzer$QB <- factor(as.character(sets$dialyzer$QB), levels = c("200", "300"))
sets$oxboys$Occasion <- as.numeric(as.character(sets$oxboys$Occasion))
sets$wheat2$variety <- factor(as.character(sets$wheat2$variety), levels = sort(unique(as.character(sets$wheat2$variety))))
for (nm in names(sets)) write.csv(sets[[nm]], file.path(outdir, "data", paste0(nm, ".csv")), row.names = FALSE)
cases <- list(
  list(id = "orth_gls_ar1", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corAR1(form = ~1 | Subject)))),
  list(id = "orth_gls_varident_ml", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, weights = varIdent(form = ~1 | Sex), method = "ML"))),
  list(id = "orth_gls_cs", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corCompSymm(form = ~1 | Subject)))),
  list(id = "orth_gls_symm_ident", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corSymm(form = ~1 | Subject), weights = varIdent(form = ~1 | age)))),
  list(id = "orth_lme_ar1", data = "orthodont", call = quote(lme(distance ~ age, data = orthodont, random = ~1 | Subject, correlation = corAR1()))),
  list(id = "orth_lme_varident_ml", data = "orthodont", call = quote(lme(distance ~ age * Sex, data = orthodont, random = ~1 | Subject, weights = varIdent(form = ~1 | Sex), method = "ML"))),
  list(id = "orth_gls_varexp", data = "orthodont", call = quote(gls(distance ~ age, data = orthodont, weights = varExp(form = ~age)))),
  list(id = "orth_gls_varfixed", data = "orthodont", call = quote(gls(distance ~ age, data = orthodont, weights = varFixed(~age)))),
  list(id = "orth_gls_varcomb", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, weights = varComb(varIdent(form = ~1 | Sex), varPower(form = ~age))))),
  list(id = "ovary_lme_ar1", data = "ovary", call = quote(lme(follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time), data = ovary, random = ~1 | Mare, correlation = corAR1()))),
  list(id = "ovary_lme_arma11", data = "ovary", call = quote(lme(follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time), data = ovary, random = ~1 | Mare, correlation = corARMA(p = 1, q = 1)))),
  list(id = "ovary_gls_ar2_ml", data = "ovary", call = quote(gls(follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time), data = ovary, correlation = corARMA(form = ~1 | Mare, p = 2), method = "ML"))),
  list(id = "bw_lme_varpower", data = "bodyweight", call = quote(lme(weight ~ Time * Diet, data = bodyweight, random = ~Time | Rat, weights = varPower()))),
  list(id = "bw_lme_car1_varpower", data = "bodyweight", call = quote(lme(weight ~ Time * Diet, data = bodyweight, random = ~Time | Rat, weights = varPower(), correlation = corCAR1(form = ~Time)))),
  list(id = "dial_gls_varpower_ml", data = "dialyzer", call = quote(gls(rate ~ (pressure + I(pressure^2)) * QB, data = dialyzer, weights = varPower(form = ~pressure), method = "ML"))),
  list(id = "dial_gls_constpower", data = "dialyzer", call = quote(gls(rate ~ (pressure + I(pressure^2)) * QB, data = dialyzer, weights = varConstPower(form = ~pressure)))),
  list(id = "dial_lme_ar1_varpower", data = "dialyzer", call = quote(lme(rate ~ (pressure + I(pressure^2)) * QB, data = dialyzer, random = ~pressure | Subject, weights = varPower(form = ~pressure), correlation = corAR1()))),
  list(id = "oxboys_lme_ar1_ml", data = "oxboys", call = quote(lme(height ~ age, data = oxboys, random = ~age | Subject, correlation = corAR1(form = ~Occasion | Subject), method = "ML"))),
  list(id = "pixel_lme_nested_ident", data = "pixel", call = quote(lme(pixel ~ day + I(day^2), data = pixel, random = ~1 | Dog/Side, weights = varIdent(form = ~1 | Dog)))),
  list(id = "wheat2_gls_spher", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corSpher(c(28, 0.2), form = ~latitude + longitude, nugget = TRUE)))),
  list(id = "wheat2_gls_exp", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corExp(form = ~latitude + longitude)))),
  list(id = "wheat2_gls_gaus_ml", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corGaus(form = ~latitude + longitude, nugget = TRUE), method = "ML"))),
  list(id = "wheat2_gls_ratio", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corRatio(form = ~latitude + longitude, nugget = TRUE)))),
  list(id = "wheat2_gls_lin", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corLin(c(20, 0.1), form = ~latitude + longitude, nugget = TRUE)))),
  list(id = "orth_lme_pddiag", data = "orthodont", call = quote(lme(distance ~ age * Sex, data = orthodont, random = list(Subject = pdDiag(~age))))),
  list(id = "pixel_lme_list", data = "pixel", call = quote(lme(pixel ~ day + I(day^2), data = pixel, random = list(Dog = ~day, Side = ~1)))),
  list(id = "oxboys_lme_pddiag_ar1_ml", data = "oxboys", call = quote(lme(height ~ age, data = oxboys, random = list(Subject = pdDiag(~age)), correlation = corAR1(), method = "ML"))),
  list(id = "orth_gls_ar1_fixed", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corAR1(0.5, form = ~1 | Subject, fixed = TRUE)))),
  list(id = "bw_lme_varpower_fixed", data = "bodyweight", call = quote(lme(weight ~ Time * Diet, data = bodyweight, random = ~Time | Rat, weights = varPower(fixed = 0.5)))),
  list(id = "orth_gls_varident_fixed_ml", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, weights = varIdent(form = ~1 | Sex, fixed = c(Female = 0.5)), method = "ML"))),
  list(id = "dial_gls_constpower_value", data = "dialyzer", call = quote(gls(rate ~ (pressure + I(pressure^2)) * QB, data = dialyzer, weights = varConstPower(const = 2, power = 0.5, form = ~pressure)))),
  list(id = "pixel_lme_ar1_coarse", data = "pixel", call = quote(lme(pixel ~ day + I(day^2), data = pixel, random = ~1 | Dog/Side, correlation = corAR1(form = ~1 | Dog)))),
  list(id = "ovary_lme_ar1_value", data = "ovary", call = quote(lme(follicles ~ sin(2 * pi * Time) + cos(2 * pi * Time), data = ovary, random = ~1 | Mare, correlation = corAR1(0.3)))))
only <- Sys.getenv("ONLY")
for (cs in cases) {
  if (nzchar(only) && !(cs$id %in% strsplit(only, ",")[[1]])) next
  assign(cs$data, sets[[cs$data]])
  cl <- cs$call
  cl$control <- if (as.character(cl[[1]]) == "lme") ltight else gtight
  fit <- tryCatch(eval(cl), error = function(e) { cat(cs$id, "failed:", conditionMessage(e), "\n"); NULL })
  if (is.null(fit)) next
  cl$control <- NULL
  ms <- fit$modelStruct
  fe <- summary(fit)$tTable
  d <- sets[[cs$data]]
  fcts <- names(d)[sapply(d, is.factor)]
  out <- list(id = cs$id, data = paste0(cs$data, ".csv"), call = paste(deparse(cl, width.cutoff = 500), collapse = " "),
              factors = lapply(setNames(fcts, fcts), function(f) levels(d[[f]])),
              reml = fit$method == "REML", loglik = as.numeric(logLik(fit)), df = attr(logLik(fit), "df"),
              aic = AIC(fit), bic = BIC(fit), sigma = fit$sigma,
              fixef = list(names = rownames(fe), estimate = unname(fe[, 1]), se = unname(fe[, 2])),
              corStruct = if (!is.null(ms$corStruct)) as.numeric(coef(ms$corStruct, unconstrained = FALSE)) else NULL,
              varStruct = if (!is.null(ms$varStruct)) as.numeric(coef(ms$varStruct, unconstrained = FALSE)) else NULL,
              unconstrained = as.numeric(coef(ms, unconstrained = TRUE)),
              reStruct = if (inherits(fit, "lme")) lapply(as.list(ms$reStruct), function(r) as.numeric(as.matrix(r) * fit$sigma^2)) else NULL,
              fitted_head = unname(head(fitted(fit), 10)),
              resid_pearson_head = unname(head(resid(fit, type = "pearson"), 10)),
              resid_normalized_head = unname(head(resid(fit, type = "normalized"), 10)),
              summary = paste(capture.output(print(summary(fit))), collapse = "\n"))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), file.path(outdir, "structures", paste0(cs$id, ".json")))
  cat(cs$id, logLik(fit), "\n")
}

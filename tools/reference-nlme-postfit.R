# Reference values for what users do with an nlme fit that has variance functions or correlation structures (issue
# 12): anova() of several gls/lme fits in the order given, anova() of one fit (sequential and marginal F tests), intervals(),
# Variogram() of spatial structures, getVarCov() (random-effects, conditional and marginal
# covariance of one group), predict() at each level, the ACF of the residuals (nlme's ACF with its bounds), and
# broom.mixed's tidy(). Uses the data files tools/reference-nlme-structures.R wrote. Tight control as there.
# Rscript tools/reference-nlme-postfit.R [outdir]   (default tests/MixedModels.Tests/Reference/nlme)
suppressMessages({ library(nlme); library(jsonlite); library(broom.mixed) })
args <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(args) >= 1) args[1] else "tests/MixedModels.Tests/Reference/nlme"
dir.create(file.path(outdir, "postfit"), recursive = TRUE, showWarnings = FALSE)
ltight <- lmeControl(msTol = 1e-14, tolerance = 1e-12, niterEM = 100, msMaxIter = 1000, maxIter = 1000, msMaxEval = 2000)
gtight <- glsControl(msTol = 1e-14, tolerance = 1e-12, msMaxIter = 1000, maxIter = 1000)
read <- function(name, factors) {
  d <- read.csv(file.path(outdir, "data", paste0(name, ".csv")), stringsAsFactors = FALSE)
  for (f in names(factors)) d[[f]] <- factor(d[[f]], levels = factors[[f]])
  d
}
ovary <- read("ovary", list(Mare = as.character(1:11)))
orthodont <- read("orthodont", list(Subject = unique(read.csv(file.path(outdir, "data", "orthodont.csv"))$Subject), Sex = c("Male", "Female")))
bodyweight <- read("bodyweight", list(Rat = as.character(1:16), Diet = c("1", "2", "3")))
w2 <- read.csv(file.path(outdir, "data", "wheat2.csv"), stringsAsFactors = FALSE)
px <- read.csv(file.path(outdir, "data", "pixel.csv"), stringsAsFactors = FALSE)
pixel <- read("pixel", list(Dog = as.character(unique(px$Dog)), Side = as.character(unique(px$Side))))
wheat2 <- read("wheat2", list(Block = as.character(unique(w2$Block)), variety = sort(unique(w2$variety))))
fit <- function(call) {
  call <- as.call(c(as.list(call), list(control = if (as.character(call[[1]]) == "lme") ltight else gtight)))
  eval(call)
}
text <- function(x) paste(capture.output(print(x)), collapse = "\n")
deparse1c <- function(call) paste(deparse(call, width.cutoff = 500), collapse = " ")
factors_of <- function(name) switch(name, ovary = list(Mare = as.character(1:11)),
  orthodont = list(Subject = levels(orthodont$Subject), Sex = c("Male", "Female")),
  bodyweight = list(Rat = as.character(1:16), Diet = c("1", "2", "3")),
  pixel = list(Dog = as.character(unique(px$Dog)), Side = as.character(unique(px$Side))),
  wheat2 = list(Block = as.character(unique(w2$Block)), variety = sort(unique(w2$variety))))

# anova(m1, m2, ...) with structures, in the order given.
comparisons <- list(
  list(id = "anova_ovary", data = "ovary", calls = list(
    quote(gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary)),
    quote(gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, correlation = corAR1(form = ~ 1 | Mare))),
    quote(lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, random = ~ 1 | Mare)),
    quote(lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, random = ~ 1 | Mare, correlation = corAR1())),
    quote(lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, random = ~ 1 | Mare, correlation = corARMA(p = 1, q = 1))))),
  list(id = "anova_orthodont_ml", data = "orthodont", calls = list(
    quote(gls(distance ~ age * Sex, data = orthodont, method = "ML")),
    quote(gls(distance ~ age * Sex, data = orthodont, correlation = corCompSymm(form = ~ 1 | Subject), method = "ML")),
    quote(gls(distance ~ age * Sex, data = orthodont, correlation = corSymm(form = ~ 1 | Subject), weights = varIdent(form = ~ 1 | age), method = "ML")),
    quote(lme(distance ~ age * Sex, data = orthodont, random = ~ 1 | Subject, weights = varIdent(form = ~ 1 | Sex), method = "ML")))))
for (cmp in comparisons) {
  fits <- lapply(cmp$calls, fit)
  names(fits) <- paste0("m", seq_along(fits))
  env <- list2env(fits)
  a <- eval(as.call(c(as.name("anova"), lapply(names(fits), as.name))), env)
  out <- list(id = cmp$id, data = paste0(cmp$data, ".csv"), factors = factors_of(cmp$data),
    calls = vapply(cmp$calls, deparse1c, ""), df = a$df, aic = a$AIC, bic = a$BIC, loglik = a$logLik,
    l_ratio = a$L.Ratio, p_value = a[["p-value"]], text = text(a))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null"), file.path(outdir, "postfit", paste0(cmp$id, ".json")))
}

# getVarCov, predict at each level, ACF and tidy of single fits.
singles <- list(
  list(id = "post_ovary_lme_ar1", data = "ovary", call = quote(lme(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, random = ~ 1 | Mare, correlation = corAR1()))),
  list(id = "post_bodyweight_lme_car1_power", data = "bodyweight", call = quote(lme(weight ~ Time * Diet, data = bodyweight, random = ~ Time | Rat, weights = varPower(), correlation = corCAR1(form = ~ Time)))),
  list(id = "post_orthodont_gls_symm", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corSymm(form = ~ 1 | Subject), weights = varIdent(form = ~ 1 | age)))),
  list(id = "post_orthodont_lme_varident_ml", data = "orthodont", call = quote(lme(distance ~ age * Sex, data = orthodont, random = ~ age | Subject, weights = varIdent(form = ~ 1 | Sex), method = "ML"))),
  list(id = "post_orthodont_lme_reml", data = "orthodont", call = quote(lme(distance ~ age, data = orthodont, random = ~ age | Subject))),
  list(id = "post_ovary_gls_arma11_ml", data = "ovary", call = quote(gls(follicles ~ sin(2*pi*Time) + cos(2*pi*Time), data = ovary, correlation = corARMA(form = ~ 1 | Mare, p = 1, q = 1), method = "ML"))),
  list(id = "post_orthodont_gls_fixed_ar1", data = "orthodont", call = quote(gls(distance ~ age * Sex, data = orthodont, correlation = corAR1(0.5, form = ~ 1 | Subject, fixed = TRUE), weights = varIdent(form = ~ 1 | Sex)))),
  list(id = "post_pixel_lme_list", data = "pixel", call = quote(lme(pixel ~ day + I(day^2), data = pixel, random = list(Dog = ~ day, Side = ~ 1)))),
  list(id = "post_wheat2_gls_ratio", data = "wheat2", call = quote(gls(yield ~ variety - 1, data = wheat2, correlation = corRatio(form = ~ latitude + longitude, nugget = TRUE)))),
  list(id = "post_orthodont_lme_exp", data = "orthodont", call = quote(lme(distance ~ age, data = orthodont, random = ~ 1 | Subject, correlation = corExp(form = ~ age | Subject)))))
for (s in singles) {
  f <- fit(s$call)
  is_lme <- inherits(f, "lme")
  out <- list(id = s$id, data = paste0(s$data, ".csv"), factors = factors_of(s$data), call = deparse1c(s$call))
  if (is_lme) {
    re <- tryCatch(getVarCov(f), error = function(e) conditionMessage(e))
    if (is.character(re)) out$varcov_error <- re else {
      out$varcov_random <- unclass(re)[, , drop = FALSE]
      out$varcov_random_text <- text(re)
      cond <- getVarCov(f, type = "conditional", individuals = 1)
      marg <- getVarCov(f, type = "marginal", individuals = 1)
      out$varcov_conditional <- unclass(cond[[1]])
      out$varcov_marginal <- unclass(marg[[1]])
      out$varcov_marginal_text <- text(marg)
    }
    q <- length(f$groups)
    p <- predict(f, level = 0:q)
    out$predict_level0 <- head(p$predict.fixed, 20)
    out$predict_level1 <- head(p[[ncol(p) - q + 1]], 20)
    if (q > 1) out$predict_level2 <- head(p[[ncol(p) - q + 2]], 20)
    acf <- ACF(f, resType = "normalized")
  } else {
    marg <- tryCatch(getVarCov(f), error = function(e) conditionMessage(e))
    if (is.character(marg)) out$varcov_error <- marg else {
      out$varcov_marginal <- unclass(marg)[, , drop = FALSE]
      out$varcov_marginal_text <- text(marg)
    }
    out$predict_level0 <- head(as.numeric(predict(f)), 20)
    acf <- ACF(f, resType = "normalized")
  }
  out$acf_lag <- acf$lag
  out$acf <- acf$ACF
  # nlme's plot.ACF bounds: ±qnorm(1 - alpha/2)/sqrt(n.used) per lag, alpha = 0.01 by default there.
  out$acf_n_used <- attr(acf, "n.used")
  seq_anova <- anova(f)
  marg_anova <- anova(f, type = "marginal")
  out$anova_f <- seq_anova[["F-value"]]
  out$anova_text <- text(seq_anova)
  out$anova_marginal_f <- marg_anova[["F-value"]]
  out$anova_marginal_text <- text(marg_anova)
  if (inherits(f$modelStruct$corStruct, "corSpatial")) {
    vg <- Variogram(f)
    out$variogram_dist <- vg$dist
    out$variogram <- vg$variog
    out$variogram_pairs <- as.numeric(vg$n.pairs)
    out$variogram_model_dist <- attr(vg, "modelVariog")$dist
    out$variogram_model <- attr(vg, "modelVariog")$variog
  }
  iv <- intervals(f)
  out$intervals_text <- text(iv)
  out$intervals_sigma <- unname(iv$sigma)
  if (!is.null(iv$corStruct)) out$intervals_cor <- unname(iv$corStruct)
  if (!is.null(iv$varStruct)) out$intervals_var <- unname(iv$varStruct)
  td <- as.data.frame(tidy(f))
  out$tidy <- td
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null", matrix = "rowmajor"), file.path(outdir, "postfit", paste0(s$id, ".json")))
}

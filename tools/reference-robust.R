# Reference values for the robust fits (issue 13): robustlmm's rlmer() on models beyond the shared reference set.
# robustlmm is not packaged for Debian: build robustlmm 3.1-2 and fastGHQuad 1.0.1 from their CRAN mirror
# repositories into a private library and put it first on .libPaths (R_LIBS=/path/to/lib Rscript ...).
# Writes tests/MixedModels.Tests/Reference/robust/extra/*.json in the layout of ../shared/reference/robust/fits.
suppressMessages({ library(robustlmm); library(jsonlite); library(broom.mixed) })
stopifnot(packageVersion("robustlmm") == "3.1.2")
args <- commandArgs(trailingOnly = TRUE)
datadir <- if (length(args) >= 1) args[1] else "../shared/reference/data"
outdir <- if (length(args) >= 2) args[2] else "tests/MixedModels.Tests/Reference/robust/extra"
dir.create(outdir, recursive = TRUE, showWarnings = FALSE)

read <- function(name, factors) {
  d <- read.csv(file.path(datadir, paste0(name, ".csv")), stringsAsFactors = FALSE)
  for (f in names(factors)) d[[f]] <- if (is.null(factors[[f]])) factor(d[[f]]) else factor(d[[f]], levels = factors[[f]])
  # numeric ids sort numerically, as read.csv gives them and as the embedded data sets order them
  d
  d
}

cases <- list(
  list(id = "penicillin_crossed", data = "penicillin", factors = list(plate = NULL, sample = NULL),
       formula = "diameter ~ 1 + (1 | plate) + (1 | sample)", args = list()),
  list(id = "pastes_nested", data = "pastes", factors = list(batch = NULL, cask = NULL),
       formula = "strength ~ 1 + (1 | batch/cask)", args = list()),
  list(id = "sleepstudy_uncorrelated", data = "sleepstudy", factors = list(Subject = NULL),
       formula = "Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)", args = list()),
  list(id = "sleepstudy_dasvar_block", data = "sleepstudy", factors = list(Subject = NULL),
       formula = "Reaction ~ Days + (Days | Subject)", args = list(method = "DASvar")),
  list(id = "sleepstudy_rsea", data = "sleepstudy", factors = list(Subject = NULL),
       formula = "Reaction ~ Days + (1 | Subject)", args = list(setting = "RSEa")),
  list(id = "sleepstudy_huber", data = "sleepstudy", factors = list(Subject = NULL),
       formula = "Reaction ~ Days + (1 | Subject)", args = list(rho.e = quote(huberPsiRcpp), rho.b = quote(huberPsiRcpp))),
  list(id = "orthodont_sex", data = "orthodont", factors = list(Subject = NULL, Sex = c("Male", "Female")),
       formula = "distance ~ age * Sex + (age | Subject)", args = list()),
  list(id = "dyestuff2_zero", data = "dyestuff2", factors = list(Batch = NULL),
       formula = "Yield ~ 1 + (1 | Batch)", args = list(method = "DASvar")),
  list(id = "orthodont_block_and_scalar", data = "orthodont", factors = list(Subject = NULL, Sex = c("Male", "Female")),
       formula = "distance ~ age + (age | Subject) + (1 | Sex)", args = list())
)
if (length(args) >= 3) cases <- Filter(function(cs) cs$id %in% args[-(1:2)], cases)

for (cs in cases) {
  d <- read(cs$data, cs$factors)
  cl <- as.call(c(list(quote(rlmer), formula = as.formula(cs$formula), data = quote(d)), cs$args))
  t0 <- proc.time()[["elapsed"]]
  fit <- eval(cl)
  secs <- proc.time()[["elapsed"]] - t0
  fe <- fixef(fit)
  se <- sqrt(diag(as.matrix(vcov(fit))))
  vc <- as.data.frame(VarCorr(fit))
  re <- ranef(fit)
  ranefs <- lapply(names(re), function(g) list(group = g, levels = rownames(re[[g]]), columns = colnames(re[[g]]),
                                               values = lapply(re[[g]], function(col) unname(col))))
  out <- list(id = cs$id, data = paste0(cs$data, ".csv"), formula = cs$formula, method = fit@method,
              call = paste(deparse(cl), collapse = " "), robustlmm_version = as.character(packageVersion("robustlmm")),
              seconds = secs, nobs = nobs(fit),
              factors = lapply(setNames(names(cs$factors), names(cs$factors)), function(f) list(levels = levels(d[[f]]))),
              fixef = list(names = names(fe), estimate = unname(fe), se = unname(se), t = unname(fe / se)),
              theta = unname(getME(fit, "theta")), sigma = sigma(fit),
              varcorr = lapply(seq_len(nrow(vc)), function(i) as.list(vc[i, ])),
              robustness_weights_residuals = unname(summary(fit)$wgt.e),
              robustness_weights_ranef = unname(summary(fit)$wgt.b),
              ranef = ranefs,
              tidy = as.data.frame(tidy(fit)),
              warnings = unlist(fit@optinfo$warnings),
              summary = paste(capture.output(print(summary(fit))), collapse = "\n"))
  writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE), file.path(outdir, paste0(cs$id, ".json")))
  cat(cs$id, secs, "\n")
}

# robustlmm's compare() of the lmer and rlmer fits (column labels lmer, rlmer), printed.
comparisons <- list(
  list(id = "compare_dyestuff", data = "dyestuff", factors = list(Batch = NULL), formula = "Yield ~ 1 + (1 | Batch)"),
  list(id = "compare_sleepstudy", data = "sleepstudy", factors = list(Subject = NULL), formula = "Reaction ~ Days + (Days | Subject)")
)
if (length(args) >= 3) comparisons <- list()
for (cs in comparisons) {
  d <- read(cs$data, cs$factors)
  fm <- lmer(as.formula(cs$formula), data = d)
  rfm <- rlmer(as.formula(cs$formula), data = d)
  out <- list(id = cs$id, data = paste0(cs$data, ".csv"), formula = cs$formula,
              compare = paste(capture.output(print(compare(fm, rfm, dnames = c("lmer", "rlmer")))), collapse = "\n"))
  writeLines(toJSON(out, auto_unbox = TRUE, pretty = TRUE), file.path(outdir, paste0(cs$id, ".json")))
  cat(cs$id, "\n")
}

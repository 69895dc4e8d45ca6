# broom.mixed 0.2.9.4 tidy tables of lmerTest fits (tidy(m, conf.int = TRUE)): fixed effects with Satterthwaite df,
# p-values and t-based Wald intervals, and the ran_pars rows with their sd__/cor__ names and order; one table with
# Kenward-Roger df. Writes tests/MixedModels.Tests/Reference/inference/tidy.json. Run from tools/: Rscript reference-tidy.R
source("reference-common.R")
suppressMessages({ library(lmerTest); library(broom.mixed) })
out <- "../tests/MixedModels.Tests/Reference/inference"
models <- list(
  list("sleepstudy_slope_reml", "sleepstudy", "Reaction ~ Days + (Days | Subject)", "Satterthwaite"),
  list("sleepstudy_uncorrelated", "sleepstudy", "Reaction ~ Days + (Days || Subject)", "Satterthwaite"),
  list("hsb_three_slopes", "hsb", "MathAch ~ SES + Sector + (SES + Minority | School)", "Satterthwaite"),
  list("pastes_nested", "pastes", "strength ~ 1 + (1 | batch/cask)", "Satterthwaite"),
  list("orthodont_kr", "orthodont", "distance ~ age * Sex + (age | Subject)", "Kenward-Roger"))
records <- lapply(models, function(spec) {
  d <- load_data(spec[[2]])
  m <- lmerTest::lmer(as.formula(spec[[3]]), d, control = tight)
  t <- as.data.frame(tidy(m, conf.int = TRUE, ddf.method = spec[[4]]))
  list(id = spec[[1]], data = paste0(spec[[2]], ".csv"), formula = spec[[3]], ddf = spec[[4]],
       effect = t$effect, group = t$group, term = t$term, estimate = t$estimate, std_error = t$std.error,
       statistic = t$statistic, df = t$df, p_value = t$p.value, conf_low = t$conf.low, conf_high = t$conf.high)
})
writeLines(toJSON(records, auto_unbox = TRUE, digits = 12, na = "null"), file.path(out, "tidy.json"))

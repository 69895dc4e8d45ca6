# Extra reference fits beyond the shared set, covering more of lme4's formula language: poly(), I(), log(),
# scale(), factor(), ordered(), offset(), sum and Helmert contrasts, no intercept, (a+b+c)^2, deletion, several
# terms on one factor, ||, explicit interactions and 2-level nesting as grouping factors, ML fits, and a
# rank-deficient design. Tight optimizer tolerances. Run from tools/:  Rscript reference-extra.R
source("reference-common.R")
out <- "../tests/MixedModels.Tests/Reference/extra"
models <- list(
  list("sleep_poly2", "sleepstudy", "Reaction ~ poly(Days, 2) + (1 | Subject)", TRUE),
  list("sleep_log_I", "sleepstudy", "log(Reaction) ~ Days + I(Days^2) + (1 | Subject)", TRUE),
  list("sleep_scale", "sleepstudy", "Reaction ~ scale(Days) + (scale(Days) | Subject)", TRUE),
  list("sleep_factor_days", "sleepstudy", "Reaction ~ factor(Days) + (1 | Subject)", TRUE),
  list("sleep_ordered_days", "sleepstudy", "Reaction ~ ordered(Days) + (1 | Subject)", FALSE),
  list("sleep_offset", "sleepstudy", "Reaction ~ Days + offset(2 * Days) + (1 | Subject)", TRUE),
  list("sleep_missing_ml", "sleepstudy_missing", "Reaction ~ Days + (Days | Subject)", FALSE),
  list("sleep_no_intercept_re", "sleepstudy", "Reaction ~ 1 + Days + (0 + Days | Subject) + (1 | Subject)", TRUE),
  list("ortho_sum", "orthodont", "distance ~ age * Sex + (1 | Subject)", TRUE, list(Sex = "contr.sum")),
  list("ortho_uncorrelated", "orthodont", "distance ~ age + (age || Subject)", TRUE),
  list("ortho_no_intercept", "orthodont", "distance ~ 0 + Sex + age + (1 | Subject)", TRUE),
  list("ortho_interaction_only", "orthodont", "distance ~ age:Sex + (1 | Subject)", TRUE),
  list("hsb_power", "hsb", "MathAch ~ (SES + MEANSES + Sector)^2 + (1 | School)", TRUE),
  list("hsb_delete", "hsb", "MathAch ~ SES * Sex - Sex + (1 | School)", TRUE),
  list("hsb_two_terms", "hsb", "MathAch ~ SES + (1 | School) + (0 + SES | School)", TRUE),
  list("hsb_nested_sector", "hsb", "MathAch ~ SES + (1 | Sector/School)", TRUE),
  list("hsb_rank_deficient", "hsb", "MathAch ~ SES + MEANSES + I(SES + MEANSES) + (1 | School)", TRUE),
  list("pastes_interaction", "pastes", "strength ~ 1 + (1 | batch) + (1 | batch:cask)", TRUE),
  list("pastes_helmert", "pastes", "strength ~ batch + (1 | cask:batch)", TRUE, list(batch = "contr.helmert")),
  list("penicillin_ml", "penicillin", "diameter ~ 1 + (1 | plate) + (1 | sample)", FALSE),
  list("prepost_ordered_ml", "prepost", "score ~ time * group + (1 | id)", FALSE),
  list("prepost_in", "prepost", "score ~ EM + time %in% group + (1 | id)", TRUE),
  list("dyestuff2_ml", "dyestuff2", "Yield ~ 1 + (1 | Batch)", FALSE)
)
for (spec in models) {
  rec <- fit_record(spec[[1]], spec[[2]], spec[[3]], reml = spec[[4]],
                    contrasts = if (length(spec) >= 5) spec[[5]] else NULL)
  write_record(rec, out)
  cat(sprintf("%-24s %-60s objective %.8f\n", spec[[1]], spec[[3]], rec$objective))
}

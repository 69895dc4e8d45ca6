# Reference values for what is computed from glmer fits: broom.mixed's tidy() (with and without exponentiate),
# lme4's anova() of nested GLMMs and of a GLMM against its glm, predict() on new data (link and response scale,
# population level and with a new level), performance's R2 and ICC, and Wald confint().
# Writes tests/MixedModels.Tests/Reference/glmm-inference/*.json.  Run from tools/:  Rscript reference-glmm-inference.R
suppressMessages({ library(lme4); library(jsonlite); library(broom.mixed); library(performance) })
out <- "../tests/MixedModels.Tests/Reference/glmm-inference"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
save <- function(x, id) writeLines(toJSON(x, auto_unbox = TRUE, digits = 12, null = "null", na = "null"), file.path(out, paste0(id, ".json")))
tight <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5, rhoend = 1e-10), tolPwrss = 1e-13)
cbpp <- lme4::cbpp
m1 <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial, control = tight)
m0 <- glmer(cbind(incidence, size - incidence) ~ 1 + (1 | herd), cbpp, binomial, control = tight)
g1 <- glm(cbind(incidence, size - incidence) ~ period, cbpp, family = binomial)
tab <- function(t) lapply(seq_len(nrow(t)), function(i) as.list(t[i, ]))
a <- anova(m0, m1)
ag <- tryCatch(anova(m1, g1), error = function(e) NULL)
nd <- data.frame(period = factor(c("1", "2", "3", "4", "2"), levels = levels(cbpp$period)),
                 herd = factor(c("1", "5", "15", "3", "99")), size = c(10, 20, 5, 8, 12), incidence = 0)
gp <- glmer(incidence ~ period + (1 | herd), cbpp, poisson, control = tight)
save(list(
  formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", data = "cbpp",
  tidy = tab(as.data.frame(tidy(m1, conf.int = TRUE))),
  tidy_exp = tab(as.data.frame(tidy(m1, conf.int = TRUE, exponentiate = TRUE))),
  confint_wald = unname(as.matrix(confint(m1, method = "Wald", parm = "beta_"))),
  anova = list(npar = unname(a$npar), aic = unname(a$AIC), bic = unname(a$BIC), loglik = unname(a$logLik),
               deviance = unname(a$deviance), chisq = unname(a$Chisq), df = unname(a$Df), p = unname(a[["Pr(>Chisq)"]])),
  anova_glm = if (is.null(ag)) NULL else list(npar = unname(ag$npar), aic = unname(ag$AIC), loglik = unname(ag$logLik),
               chisq = unname(ag$Chisq), df = unname(ag$Df), p = unname(ag[["Pr(>Chisq)"]]), models = rownames(ag)),
  newdata = nd,
  predict_link = unname(predict(m1, newdata = nd, allow.new.levels = TRUE)),
  predict_response = unname(predict(m1, newdata = nd, type = "response", allow.new.levels = TRUE)),
  predict_population = unname(predict(m1, newdata = nd, re.form = NA, type = "response")),
  r2 = as.list(unlist(r2_nakagawa(m1))), icc = as.list(unlist(icc(m1))),
  poisson_formula = "incidence ~ period + (1 | herd)",
  poisson_r2 = as.list(unlist(r2_nakagawa(gp))), poisson_icc = as.list(unlist(icc(gp))),
  overdispersion = sum(residuals(m1, "pearson")^2) / df.residual(m1)
), "cbpp")
cat("done\n")

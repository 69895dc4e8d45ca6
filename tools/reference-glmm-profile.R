# Profile intervals of a glmer fit with a vector-valued random-effects term (issue 11): lme4's
# confint(method = "profile", parm = "theta_") for Contraception's use ~ age + urban + (urban | district): the SDs and the
# correlation (the fixed effects of glmer profiles are checked elsewhere).
# Writes tests/MixedModels.Tests/Reference/glmm-inference/contraception_profile.json.  Run from tools/.
suppressMessages({ library(lme4); library(jsonlite) })
d <- read.csv(gzfile("../src/MixedModels/Data/Datasets/contraception.csv.gz"), stringsAsFactors = TRUE)
d$district <- factor(d$district)
tight <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5, rhoend = 1e-10), tolPwrss = 1e-13)
m <- glmer(use ~ age + urban + (urban | district), d, binomial, control = tight)
ci <- confint(m, method = "profile", oldNames = FALSE, parm = "theta_")
writeLines(toJSON(list(formula = "use ~ age + urban + (urban | district)", data = "contraception",
                       parameters = rownames(ci), lower = unname(ci[, 1]), upper = unname(ci[, 2]),
                       levels = lapply(d[sapply(d, is.factor)], levels)),
                  auto_unbox = TRUE, digits = 12), "../tests/MixedModels.Tests/Reference/glmm-inference/contraception_profile.json")

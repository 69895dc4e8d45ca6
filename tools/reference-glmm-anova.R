# car::Anova(type = 3) of glmer fits (issue 11): Wald chi-square tests of each term's coefficients (the intercept
# included), the table `mixed anova --family` prints. Writes tests/.../Reference/glmm-inference/anova_type3.json.
suppressMessages({ library(lme4); library(car); library(jsonlite) })
tight <- glmerControl(optimizer = "bobyqa", optCtrl = list(maxfun = 1e5, rhoend = 1e-10), tolPwrss = 1e-13)
d <- read.csv(gzfile("../src/MixedModels/Data/Datasets/contraception.csv.gz"), stringsAsFactors = TRUE)
d$district <- factor(d$district)
one <- function(m) { a <- Anova(m, type = 3); list(terms = rownames(a), chisq = unname(a$Chisq), df = unname(a$Df), p = unname(a[["Pr(>Chisq)"]])) }
m1 <- glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), lme4::cbpp, binomial, control = tight)
m2 <- glmer(use ~ age + urban * livch + (1 | district), d, binomial, control = tight)
writeLines(toJSON(list(
  cbpp = c(list(formula = "cbind(incidence, size - incidence) ~ period + (1 | herd)", data = "cbpp"), one(m1)),
  contraception = c(list(formula = "use ~ age + urban * livch + (1 | district)", data = "contraception"), one(m2))),
  auto_unbox = TRUE, digits = 12), "../tests/MixedModels.Tests/Reference/glmm-inference/anova_type3.json")

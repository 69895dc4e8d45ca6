# Reference values for the data-preparation steps of issue 15 (--subset, --na, --complete-cases, --collation):
# lmer's subset = argument, na.strings / na_if, fits on the complete cases of two models, and the order of text
# levels in an English UTF-8 locale. Run from tools/: Rscript reference-prep.R
source("reference-common.R")
out <- list()
rec <- function(m) list(objective = unname(if (isREML(m)) REMLcrit(m) else deviance(m)), nobs = nobs(m),
                        fixef = as.list(fixef(m)), se = as.list(sqrt(diag(as.matrix(vcov(m))))), theta = unname(getME(m, "theta")))
sleep <- load_data("sleepstudy")
hsb <- load_data("hsb")
out$subset_sleep <- rec(lmer(Reaction ~ Days + (Days | Subject), sleep, subset = Days >= 2 & Subject != "309", control = tight))
out$subset_hsb_in <- rec(lmer(MathAch ~ SES + (1 | School), hsb, subset = School %in% c(1224, 1462, 1477, 2458, 3088), control = tight))
out$subset_hsb_rows <- rec(lmer(MathAch ~ SES + (1 | School), hsb[seq_len(550), ], control = tight))
# --na Days=0: read.csv(na.strings) for one column is na_if(Days, 0)
s2 <- sleep; s2$Days[s2$Days == 0] <- NA
out$na_days0 <- rec(lmer(Reaction ~ Days + (1 | Subject), s2, control = tight))
# --complete-cases: SES missing where MathAch > 24; the two models fitted to the rows both can use
h2 <- hsb; h2$SES[h2$MathAch > 24] <- NA
cc <- na.omit(h2[, c("MathAch", "SES", "School")])
m0 <- lmer(MathAch ~ 1 + (1 | School), cc, REML = FALSE, control = tight)
m1 <- lmer(MathAch ~ SES + (1 | School), cc, REML = FALSE, control = tight)
a <- anova(m0, m1)
out$complete_cases <- list(nobs = nrow(cc), loglik = unname(a$logLik), chisq = unname(a$Chisq[2]), p = unname(a$`Pr(>Chisq)`[2]))
write.csv(h2, "../tests/MixedModels.Tests/Reference/prep/hsb_ses_missing.csv", row.names = FALSE, na = "")
# Level order in R's locale (the session's LC_COLLATE) and in C
labels <- c("alpha", "Beta", "beta", "Zulu", "_x", "10", "9", "a b", "ab", "B", "b", "Ab", "aB", "zeta", "Alpha", "ALPHA")
out$collation <- list(locale = Sys.getlocale("LC_COLLATE"), labels = labels, sorted = sort(labels),
                      sorted_c = { old <- Sys.getlocale("LC_COLLATE"); Sys.setlocale("LC_COLLATE", "C"); x <- sort(labels); Sys.setlocale("LC_COLLATE", old); x })
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "../tests/MixedModels.Tests/Reference/prep/prep.json")

# psych's describe() and describeBy() (type = 3 skew and kurtosis), and the null model's ICC, for `mixed describe`
suppressMessages(library(psych))
ps <- function(d) { x <- as.data.frame(describe(d)); x$variable <- rownames(x); rownames(x) <- NULL; x }
out2 <- list()
out2$psych_sleep <- ps(sleep)
out2$psych_hsb <- ps(hsb[, c("MathAch", "SES", "Size", "Sector")])
by <- describeBy(hsb[, c("MathAch", "SES")], hsb$Sector)
out2$psych_by_sector <- lapply(names(by), function(g) list(group = g, rows = { x <- as.data.frame(by[[g]]); x$variable <- rownames(x); rownames(x) <- NULL; x }))
out2$group_means_sector <- aggregate(cbind(MathAch, SES, Size) ~ Sector, hsb, mean)
m0 <- lmer(MathAch ~ 1 + (1 | School), hsb, control = tight)
vc <- as.data.frame(VarCorr(m0))
out2$icc_hsb <- vc$vcov[1] / sum(vc$vcov)
writeLines(toJSON(out2, auto_unbox = TRUE, digits = NA, pretty = TRUE, dataframe = "rows"), "../tests/MixedModels.Tests/Reference/prep/describe.json")

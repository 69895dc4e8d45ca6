# Expected outputs of R's number formatting, rounding, abbreviate() and format.pval() for the Reporting tests.
# Run from tools/:  Rscript format-reference.R
suppressMessages(library(jsonlite))
set.seed(20261122)
cases <- list()
add <- function(x, digits, nsmall = 0) {
  cases[[length(cases) + 1]] <<- list(x = x, digits = digits, nsmall = nsmall, out = format(x, digits = digits, nsmall = nsmall))
}
for (i in 1:150) {
  n <- sample(1:6, 1)
  mag <- sample(-8:8, n, replace = TRUE)
  x <- signif(rnorm(n) * 10^mag, sample(1:10, 1))
  if (runif(1) < 0.2) x[1] <- 0
  add(x, sample(1:8, 1))
}
add(c(612.100158, 35.0717, 654.94), 4); add(c(24.740658, 5.9221377, 25.591796), 4)
add(c(1, 0.066, 0.066, 1), 7, 2); add(c(1527.5, 19.38), 4); add(78.8045, 4); add(c(0.1, 0.123456789), 3)
add(c(123456789, 0.001), 4); add(c(1e-10, 1), 4); add(c(1e15, 2), 7); add(c(-0.5, 0.25), 1); add(c(99999, 1), 3)
add(c(9.9996, 1), 4); add(c(0.00012345), 4); add(c(1743.628, 1755.628), 7)
rounds <- lapply(1:200, function(i) { x <- rnorm(1) * 10^sample(-3:4, 1); d <- sample(0:5, 1); list(x = x, digits = d, out = round(x, d)) })
rounds <- c(rounds, list(list(x = 0.15, digits = 1, out = round(0.15, 1)), list(x = 2.5, digits = 0, out = round(2.5)),
                         list(x = 1743.6282719585, digits = 1, out = round(1743.6282719585, 1)), list(x = -0.0655, digits = 2, out = round(-0.0655, 2))))
signifs <- lapply(1:100, function(i) { x <- rnorm(1) * 10^sample(-5:5, 1); d <- sample(1:7, 1); list(x = x, digits = d, out = signif(x, d)) })
names_sets <- list(
  c("(Intercept)", "Days"), c("(Intercept)", "SES", "SectorPublic", "MEANSES", "SexMale", "MinorityYes", "SES:SectorPublic"),
  c("(Intercept)", "group1", "time.L", "EM", "group1:time.L", "time.L:EM"), c("(Intercept)", "age", "SexMale", "age:SexMale"),
  c("(Intercept)", "service1"), c("(Intercept)", "EM", "timepre:group0", "timepost:group0", "timepre:group1"),
  c("(Intercept)", "poly(Days, 2)1", "poly(Days, 2)2"), c("(Intercept)", "factor(Days)1", "factor(Days)2", "factor(Days)3"),
  c("(Intercept)", "ordered(Days).L", "ordered(Days).Q", "ordered(Days).C", "ordered(Days)^4", "ordered(Days)^5"),
  c("(Intercept)", "SES", "MEANSES", "SectorPublic", "SES:MEANSES", "SES:SectorPublic", "MEANSES:SectorPublic"),
  c("alpha beta", "alphabet", "a", "averyveryverylongname_with_underscores", "UPPERCASE", "x1", "x2"))
abbrevs <- list()
for (s in names_sets) for (ml in c(1, 4, 6, 11)) abbrevs[[length(abbrevs) + 1]] <- list(names = s, minlength = ml, out = unname(abbreviate(s, minlength = ml)))
pvals <- list(list(p = c(1.17e-17, 3.26e-06), digits = 3), list(p = c(0.5, 0.04, 0.0001), digits = 3),
              list(p = c(0.2345, 0.9), digits = 3), list(p = c(1e-20, 0.03), digits = 3), list(p = 0.000123456, digits = 3))
pvals <- lapply(pvals, function(v) c(v, list(out = format.pval(v$p, digits = v$digits))))
zaps <- lapply(1:30, function(i) { x <- rnorm(5) * 10^sample(-2:2, 1); list(x = x, digits = 5, out = zapsmall(x, 5)) })
out <- list(format = cases, round = rounds, signif = signifs, abbreviate = abbrevs, pval = pvals, zapsmall = zaps)
writeLines(toJSON(out, auto_unbox = FALSE, digits = I(17)), "../tests/MixedModels.Tests/Reference/r-format.json")
cat("wrote", length(cases), "format cases\n")

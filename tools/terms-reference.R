# Expected term labels, intercept flags and model matrices (column names and values) of R's terms() and
# model.matrix() for many formulas on a small synthetic data set, for the Formulas/Design tests.
# Run from tools/:  Rscript terms-reference.R
suppressMessages(library(jsonlite))
set.seed(7)
n <- 24
d <- data.frame(y = round(rnorm(n), 3), x = round(runif(n, 1, 5), 3), z = round(runif(n, 1, 5), 3),
                w = sample(1:3, n, replace = TRUE),
                f = rep(c("a", "b", "c"), 8), g = rep(c("u", "v"), each = 12), h = rep(c("p", "q", "r", "s"), 6),
                o = rep(c("lo", "mid", "hi"), length.out = n))
write.csv(d, "../tests/MixedModels.Tests/Reference/terms-data.csv", row.names = FALSE)
d$f <- factor(d$f); d$g <- factor(d$g); d$h <- factor(d$h)
d$o <- factor(d$o, levels = c("lo", "mid", "hi"), ordered = TRUE)
formulas <- c("y ~ x", "y ~ f", "y ~ 0 + f", "y ~ -1 + f + g", "y ~ f + g", "y ~ f * g", "y ~ f:g", "y ~ x:f",
  "y ~ 0 + x:f", "y ~ f/x", "y ~ x/f", "y ~ (f + g + x)^2", "y ~ f * g - f", "y ~ f * g - 1", "y ~ x + I(x^2) + log(z)",
  "y ~ poly(x, 3)", "y ~ o", "y ~ o * f", "y ~ f %in% g", "y ~ x * z * w", "y ~ (x + z) * f - x:f", "y ~ f:g:h",
  "y ~ f + f:g + f:g:h", "y ~ x + f + x:f:g", "y ~ 0 + f:g", "y ~ h + o + h:o", "y ~ scale(x) + f", "y ~ factor(w)",
  "y ~ x - 1 + f", "y ~ 1", "y ~ 0 + x", "y ~ x + offset(z)", "y ~ g:x + f", "y ~ (x + z + w)^3 - x:z:w",
  "y ~ poly(x, 2, raw = TRUE) + f", "y ~ I(x * z) + exp(x/5) + sqrt(z)", "y ~ ordered(w)", "y ~ f + 0 + g:h",
  "y ~ x %in% f", "y ~ (f + g)^2 - g", "log(y + 10) ~ x")
cases <- lapply(formulas, function(s) {
  f <- as.formula(s)
  t <- terms(f)
  mm <- model.matrix(f, model.frame(f, d))
  list(formula = s, labels = attr(t, "term.labels"), intercept = attr(t, "intercept") == 1,
       columns = colnames(mm), values = unname(as.vector(mm)))
})
writeLines(toJSON(cases, auto_unbox = FALSE, digits = I(17)), "../tests/MixedModels.Tests/Reference/r-terms.json")
cat("wrote", length(cases), "formulas\n")

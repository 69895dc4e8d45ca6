# R's loess (span 0.75, degree 2, gaussian; stats 4.x) on embedded data sets, for the scatter plot's smoother
# (issue 15): predictions on a grid with surface = "direct" (exact local fits) and with the default "interpolate".
# Run from tools/: Rscript reference-loess.R
source("reference-common.R")
sleep <- load_data("sleepstudy"); hsb <- load_data("hsb")
one <- function(d, x, y) {
  grid <- seq(min(d[[x]]), max(d[[x]]), length.out = 25)
  f <- as.formula(paste(y, "~", x))
  direct <- loess(f, d, control = loess.control(surface = "direct"))
  default <- loess(f, d)
  nd <- setNames(data.frame(grid), x)
  list(x = x, y = y, grid = grid, direct = unname(predict(direct, nd)), interpolate = unname(predict(default, nd)))
}
small <- data.frame(x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), y = c(2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1, 18.3, 19.7, 22.4, 23.9)^0.5)
out <- list(sleep = one(sleep, "Days", "Reaction"), hsb = one(hsb, "SES", "MathAch"), small = one(small, "x", "y"))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "../tests/MixedModels.Tests/Reference/prep/loess.json")

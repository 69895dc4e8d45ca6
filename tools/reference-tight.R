# Refits every model of ../shared/reference/fits with tight optimizer tolerances (lme4's default nloptwrap stops a
# little early on some models, e.g. hsb_cross_level and orthodont_age_sex). The records go to
# tests/MixedModels.Tests/Reference/tight/ and let the tests tell "lme4 stopped early" from "we are wrong".
# Run from tools/:  Rscript reference-tight.R
source("reference-common.R")
fits_dir <- Sys.getenv("MIXED_REFERENCE_FITS", "../tests/MixedModels.Tests/Reference/fits")
out <- "../tests/MixedModels.Tests/Reference/tight"
for (file in list.files(fits_dir, pattern = "\\.json$", full.names = TRUE)) {
  ref <- fromJSON(file)
  if (is.null(ref$theta) || is.null(ref$formula)) next
  rec <- fit_record(ref$id, sub("\\.csv$", "", ref$data), ref$formula, reml = ref$reml)
  write_record(rec, out)
  cat(sprintf("%-28s objective %.10f (default lme4: %.10f)\n", ref$id, rec$objective, ref$objective))
}

# Predictions of the shared *_predict.json models from tightly converged fits (lme4's default optimizer stops early
# on hsb_cross_level, and its predictions inherit that). Writes tests/MixedModels.Tests/Reference/tight/<id>.json
# with the same fields as the shared records. Run from tools/:  Rscript reference-predict.R
source("reference-common.R")
fits_dir <- Sys.getenv("MIXED_REFERENCE_FITS", "../tests/MixedModels.Tests/Reference/fits")
out <- "../tests/MixedModels.Tests/Reference/tight"
for (file in list.files(fits_dir, pattern = "_predict\\.json$", full.names = TRUE)) {
  ref <- fromJSON(file)
  d <- load_data(sub("\\.csv$", "", ref$data))
  m <- lmer(as.formula(ref$formula), d, REML = ref$reml, control = tight)
  nd <- as.data.frame(ref$newdata, stringsAsFactors = FALSE)
  ref$population <- unname(predict(m, newdata = nd, re.form = NA))
  ref$conditional <- unname(predict(m, newdata = nd, allow.new.levels = TRUE))
  writeLines(toJSON(ref, auto_unbox = TRUE, digits = 12), file.path(out, basename(file)))
  cat(sprintf("%-22s population %s\n", ref$id, paste(format(ref$population, digits = 10), collapse = " ")))
}

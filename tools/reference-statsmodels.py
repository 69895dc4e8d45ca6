"""Reference values for `mixed fit --style statsmodels` (issue 15): Python statsmodels' MixedLM fits of the
embedded data sets and their printed summaries. Debian's python3-statsmodels (0.13.5); run from tools/ with the
system Python after `mixed datasets export NAME --output /tmp/NAME.csv` for sleepstudy and hsb:
    /usr/bin/python3 reference-statsmodels.py
Writes tests/MixedModels.Tests/Reference/statsmodels/statsmodels.json."""
import json
import warnings
import pandas as pd
import statsmodels
import statsmodels.formula.api as smf

warnings.simplefilter("ignore")
sleep = pd.read_csv("/tmp/sleepstudy.csv")
hsb = pd.read_csv("/tmp/hsb.csv")

cases = [
    # id, lme4 formula as the tool takes it, data, statsmodels formula, groups column, re_formula, reml
    ("sleep_slope", "Reaction ~ Days + (Days | Subject)", "sleepstudy", sleep, "Reaction ~ Days", "Subject", "~Days", True),
    ("sleep_intercept", "Reaction ~ Days + (1 | Subject)", "sleepstudy", sleep, "Reaction ~ Days", "Subject", None, True),
    ("sleep_slope_only", "Reaction ~ Days + (0 + Days | Subject)", "sleepstudy", sleep, "Reaction ~ Days", "Subject", "0 + Days", True),
    ("sleep_slope_ml", "Reaction ~ Days + (Days | Subject)", "sleepstudy", sleep, "Reaction ~ Days", "Subject", "~Days", False),
    ("hsb_ses", "MathAch ~ SES + Sector + (SES | School)", "hsb", hsb, "MathAch ~ SES + Sector", "School", "~SES", True),
]
out = {"statsmodels": statsmodels.__version__}
for cid, formula, dname, data, smformula, group, re_formula, reml in cases:
    model = smf.mixedlm(smformula, data, groups=data[group], re_formula=re_formula)
    fit = model.fit(reml=reml)
    out[cid] = {
        "formula": formula, "data": dname, "reml": reml,
        "fe_params": list(fit.fe_params), "names": list(fit.model.data.param_names),
        "bse": list(fit.bse), "scale": fit.scale, "llf": fit.llf,
        "cov_re": fit.cov_re.values.tolist(), "summary": str(fit.summary()),
    }
with open("../tests/MixedModels.Tests/Reference/statsmodels/statsmodels.json", "w") as f:
    json.dump(out, f, indent=1)

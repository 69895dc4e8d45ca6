#!/usr/bin/env bash
# Renders every plot kind of two models with the CLI, then each SVG to PNG with headless Chromium, so that the
# plots can be looked at (they are also parsed by the tests). Needs Debian's chromium (apt-get install chromium).
# Usage (from the repository root): tools/render-plots.sh [output directory]
set -euo pipefail
out="${1:-/tmp/mixed-plots}"
mkdir -p "$out"
dotnet build -c Release src/MixedModels.Cli > /dev/null
mixed() { dotnet src/MixedModels.Cli/bin/Release/net10.0/mixed.dll "$@"; }
for kind in residuals qq qq-ranef caterpillar observed groups spaghetti; do
  mixed plot "$kind" --data sleepstudy --formula "Reaction ~ Days + (Days | Subject)" --output "$out/sleepstudy-$kind.svg"
  mixed plot "$kind" --data hsb --formula "MathAch ~ SES + (SES | School)" --x SES --max-panels 9 --output "$out/hsb-$kind.svg"
done
mixed report --data sleepstudy --formula "Reaction ~ Days + (Days | Subject)" --output "$out/report.html"
for f in "$out"/*.svg "$out"/report.html; do
  size="720,480"; [[ "$f" == *.html ]] && size="1100,4000"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$size" --screenshot="${f%.*}.png" "file://$f" 2> /dev/null
done
ls "$out"/*.png

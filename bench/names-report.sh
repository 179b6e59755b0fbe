#!/usr/bin/env bash
# Names by language (../shared/data/names): the classifier figures README reports. Trains the chosen
# classifier and the hand-built Elman cell for 5 minutes each, a class-conditioned generator for
# 5 minutes, then asks the classifier to judge 100 generated names per class. Writes docs/names.md
# and docs/names-confusion-test.png. About 16 minutes on 2 idle cores; run nothing else beside it.
#
#   bench/names-report.sh                  # the full run
#   MINUTES=0.2 SAMPLES=5 bench/names-report.sh   # smoke run: checks the plumbing, measures nothing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="${DATA:-$root/../shared/data/names}"
minutes="${MINUTES:-5}"
samples="${SAMPLES:-100}"
out="$root/runs/names-report-$(date +%Y%m%d-%H%M%S)"
report="$root/docs/names.md"
classes=(Russian English Japanese Italian German Arabic Chinese)

[[ -d "$data" ]] || { echo "names-report: no names data at $data (set DATA)" >&2; exit 2; }
[[ "$minutes" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "names-report: MINUTES must be a number" >&2; exit 2; }
[[ "$samples" =~ ^[1-9][0-9]*$ ]] || { echo "names-report: SAMPLES must be a whole number >= 1" >&2; exit 2; }
limit="$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')s"

best=(--cell lstm --bidirectional --hidden 256 --embedding 64 --dropout 0.3 --imbalance sqrt-weighted
  --select-by macro-f1)
elman=(--cell elman --embedding 0 --hidden 128 --select-by macro-f1)

cd "$root"
./rnnlab classify train --data "$data" --time-limit "$limit" "${best[@]}" --out "$out/classifier"
./rnnlab classify train --data "$data" --time-limit "$limit" "${elman[@]}" --out "$out/elman"
./rnnlab train --data "$data" --mode documents --condition-on-class --time-limit "$limit" --eval-every 500 \
  --out "$out/generator"

figures() { head -n 1 "$1/confusion-test.txt" | sed "s/ | /, /g"; }
{
  echo "# Names by language"
  echo
  echo "Written by \`bench/names-report.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores; each model trained for"
  echo "$minutes minutes on \`../shared/data/names\` (repeated (name, language) pairs dropped, seeded stratified"
  echo "80/10/10 split; figures on the test split, best epoch by validation macro-F1)."
  echo
  echo "| model | flags | test |"
  echo "|---|---|---|"
  echo "| bidirectional LSTM | \`${best[*]}\` | $(figures "$out/classifier") |"
  echo "| hand-built Elman cell | \`${elman[*]}\` | $(figures "$out/elman") |"
  echo
  echo "![test confusion matrix](names-confusion-test.png)"
  echo
  echo "## Predictions"
  echo
  echo '```'
  ./rnnlab classify predict --checkpoint "$out/classifier" --top 3 Dostoevsky Nguyen Schmidt O\'Brien \
    Rossi Tanaka Papadopoulos Kowalski Smith Garcia
  echo '```'
  echo
  echo "## Conditional generation"
  echo
  echo "A 2-layer LSTM trained with \`--condition-on-class\`; $samples names per class (\`--temperature 0.8\`),"
  echo "each judged by the classifier above."
  echo
  echo "| class | agreement | first samples |"
  echo "|---|---|---|"
  for class in "${classes[@]}"; do
    output="$(./rnnlab sample --checkpoint "$out/generator" --class "$class" --num-samples "$samples" \
      --temperature 0.8 --seed 1 --length 40 --judge "$out/classifier")"
    agreement="$(grep '^classifier agreement' <<< "$output" | sed 's/^classifier agreement: //; s/ of the samples.*//')"
    first="$(grep -v -e '^---' -e '^classifier agreement' <<< "$output" | head -n 5 | paste -sd ',' | sed 's/,/, /g')"
    echo "| $class | $agreement | $first |"
  done
} > "$report.tmp"
cp "$out/classifier/confusion-test.png" "$root/docs/names-confusion-test.png"
mv "$report.tmp" "$report"
echo "names-report: wrote $report (runs in $out)"

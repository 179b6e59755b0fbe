#!/usr/bin/env bash
# Gradient flow through time in trained vanilla RNN, LSTM and GRU language models: trains each on
# tinyshakespeare for TIME (same shape: 2 layers, hidden 128, embedding 32, Adam), then runs
# 'rnnlab gradients' over STEPS steps with all three checkpoints and untrained ones beside them.
# Writes docs/gradient-flow.md, docs/gradient-flow.png and docs/gradient-flow.csv.
#
#   bench/gradient-flow.sh                    # 4 minutes per model, 200 steps (about 13 minutes)
#   TIME=20s STEPS=50 bench/gradient-flow.sh  # smoke run: checks the plumbing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
time_limit="${TIME:-4m}"
steps="${STEPS:-200}"
docs="$root/docs"

die() {
  echo "gradient-flow: $*" >&2
  exit 2
}
[[ "$steps" =~ ^[0-9]+$ ]] && (( 10#$steps >= 2 )) || die "STEPS must be a whole number >= 2, got '$steps'"
shakespeare="$root/../shared/data/tinyshakespeare/input.txt"
[[ -f "$shakespeare" ]] || die "corpus not found: $shakespeare"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "gradient-flow: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

checkpoints=()
for cell in rnn-tanh lstm gru; do
  echo "gradient-flow: training $cell for $time_limit ..." >&2
  "${rnnlab[@]}" train --data "$shakespeare" --cell "$cell" --layers 2 --hidden 128 --embedding 32 \
    --batch-size 32 --bptt 64 --time-limit "$time_limit" --eval-every 500 --eval-batches 20 \
    --sample-length 0 --seed 1 --out "$work/trained-$cell" >"$work/$cell.log" \
    || { tail -n 20 "$work/$cell.log" >&2; die "training $cell failed"; }
  checkpoints+=(--checkpoint "$work/trained-$cell")
done

command=(gradients "${checkpoints[@]}" --text-file "$shakespeare" --steps "$steps" --out "$work/report")
echo "gradient-flow: measuring ..." >&2
"${rnnlab[@]}" "${command[@]}" >"$work/table.txt" || die "rnnlab gradients failed"
cp "$work/report/gradient-flow.png" "$docs/gradient-flow.png"
cp "$work/report/gradients.csv" "$docs/gradient-flow.csv"

# ||dL/dh_t|| of the top layer under the last step's loss, at a few distances from that step
at_distances() {
  awk -F, -v steps="$steps" 'NR > 1 && $3 == "last-step" { key = $1 "," $2; if ($4 > top[key]) top[key] = $4 }
    NR > 1 && $3 == "last-step" { norm[$1 "," $2 "," $4 "," $5] = $6; models[$1 "," $2] = 1 }
    END {
      split("0 10 25 50 100 199", d, " ")
      for (m in models) {
        name = m; sub(",", " (", name); line = "| " name ") |"
        for (i = 1; i <= 6; i++) {
          t = steps - d[i] # t counts from 1; the loss is taken at t = steps
          v = norm[m "," top[m] "," t] + 0
          line = line (t < 1 ? " |" : v == 0 ? " 0 (underflow) |" : sprintf(" %.2e |", v))
        }
        print line
      }
    }' "$docs/gradient-flow.csv" | sort
}

finals=""
for cell in rnn-tanh lstm gru; do
  finals+="| $cell | $(grep -o 'best val loss [0-9.]* (bpc [0-9.]*)' "$work/$cell.log" | tail -n 1) |"$'\n'
done

cat >"$docs/gradient-flow.md" <<MD
# Gradient flow through time: vanilla RNN, LSTM, GRU

Made by \`bench/gradient-flow.sh\` (TIME=$time_limit STEPS=$steps) on $(date -u +%Y-%m-%d), $(nproc) cores.
Each model (2 layers, hidden 128, embedding 32, batch 32, window 64, Adam) was trained on
tinyshakespeare for $time_limit, then measured with

\`\`\`
rnnlab $(echo "${command[*]}" | sed "s|$work/||g; s|$root/||g")
\`\`\`

on the first $steps characters of the text. The plot is [gradient-flow.png](gradient-flow.png), and every
number is in [gradient-flow.csv](gradient-flow.csv) (model, cell, loss, layer, t, ‖dL/dh_t‖).

| model | after training |
|---|---|
$finals
‖dL/dh_t‖ on the top layer when the loss is taken at the last step only, k steps before it:

| model | k = 0 | 10 | 25 | 50 | 100 | 199 |
|---|---|---|---|---|---|---|
$(at_distances)

With the loss summed over all steps (dashed lines in the plot) every h_t gets its own step's
gradient directly, so no step is starved, whatever the cell.

$(cat "$work/table.txt" | sed 's/^/    /')
MD
echo "gradient-flow: wrote $docs/gradient-flow.md" >&2

#!/usr/bin/env bash
# The effect of --eos-state-loss on tweets: trains the same one-layer GRU (its h is its whole state)
# in documents mode for TIME, without the loss and with weight WEIGHT, then writes the final
# validation bits per character and the mean norm of the state after each <eos> to
# docs/eos-state-loss.md.
#
#   bench/eos-state-loss.sh                     # 5 minutes per run (about 11 minutes)
#   TIME=20s bench/eos-state-loss.sh            # smoke run: checks the plumbing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
time_limit="${TIME:-5m}"
weight="${WEIGHT:-1}"
docs="$root/docs"

die() {
  echo "eos-state-loss: $*" >&2
  exit 2
}
tweets="$root/../shared/data/tweets/trump_tweets.txt"
[[ -f "$tweets" ]] || die "corpus not found: $tweets"
command -v python3 >/dev/null || die "python3 is needed to read metrics.jsonl"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "eos-state-loss: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

shape=(--mode documents --cell gru --layers 1 --hidden 256 --embedding 64 --batch-size 32 --bptt 64
  --time-limit "$time_limit" --eval-every 1000 --eval-batches 0 --sample-length 0 --seed 1)
for w in 0 "$weight"; do
  echo "eos-state-loss: training with --eos-state-loss $w for $time_limit ..." >&2
  "${rnnlab[@]}" train --data "$tweets" "${shape[@]}" --eos-state-loss "$w" --out "$work/run-$w" \
    >"$work/$w.log" || { tail -n 20 "$work/$w.log" >&2; die "training with weight $w failed"; }
done

table="$(python3 - "$work" 0 "$weight" <<'PY'
import json, sys
work, weights = sys.argv[1], sys.argv[2:]
for w in weights:
    records = [json.loads(line) for line in open(f"{work}/run-{w}/metrics.jsonl")]
    last = [r for r in records if r["kind"] == "eval"][-1]
    print(f"| {w} | {last['step']} | {last['val_bpc']:.3f} | {last['val_eos_state_norm']:.3f} |")
PY
)"
cat >"$docs/eos-state-loss.md" <<MD
# A loss on the state after \`<eos>\`: tweets

\`--eos-state-loss WEIGHT\` adds, at each \`<eos>\`, WEIGHT times the squared norm of the state after it:
its distance from the zero state every document starts from. Both runs below train the same one-layer
GRU (hidden 256, so \`h\` is its whole state) on ../shared/data/tweets in documents mode for $time_limit
each, and are scored on the whole validation split.

| --eos-state-loss | steps | val bits/char | mean ‖h‖ after \`<eos>\` |
|---|---|---|---|
$table

Measured on $(nproc) cores ($(date -u +%Y-%m-%d)) with:

    TIME=$time_limit WEIGHT=$weight bench/eos-state-loss.sh

which runs, for W in 0 and $weight:

    rnnlab train --data ../shared/data/tweets/trump_tweets.txt ${shape[*]} --eos-state-loss W
MD
cat "$docs/eos-state-loss.md"

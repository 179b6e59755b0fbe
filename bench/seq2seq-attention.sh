#!/usr/bin/env bash
# Luong attention on the PyTorch translation tutorial's French -> English subset (eng-fra.txt,
# --tutorial-filter: sentences of fewer than 10 words whose English starts "i am", "he is", ...):
# trains attention none, dot, general and concat under the same time limit, two at a time on one
# core each, decodes each test split greedily and with beam 5, draws the attention of three test
# sentences under each attention kind, and writes docs/seq2seq.md with the table and
# docs/seq2seq-attention-<n>-<kind>.png. About 2 x (TIME + 1.5 minutes) of wall time; run it under the
# shared lock on a shared machine:
#
#   flock /tmp/rnnlab-heavy.lock bench/seq2seq-attention.sh     # 4 runs of 10 minutes
#   TIME=30s ROOT=/tmp/s2s bench/seq2seq-attention.sh             # smoke run: checks the plumbing
#   MAPS_ONLY=1 bench/seq2seq-attention.sh                        # the maps and the page from the runs
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
time_limit="${TIME:-10m}"
runs="${ROOT:-runs/seq2seq-attention}"
data="$root/../shared/data/eng-fra/eng-fra.txt"
docs="$root/docs"

die() {
  echo "seq2seq-attention: $*" >&2
  exit 2
}
[[ -f "$data" ]] || die "corpus not found: $data"
maps_only="${MAPS_ONLY:-}"
if [[ -n "$maps_only" ]]; then
  [[ -f "$runs/concat/test-metrics.json" ]] || die "MAPS_ONLY needs the four finished runs in $runs"
else
  [[ -e "$runs" ]] && die "$runs exists; remove it, pass ROOT=<another folder>, or MAPS_ONLY=1 to reuse it"
fi
command -v python3 >/dev/null || die "python3 is needed to write the table"
echo "seq2seq-attention: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")
mkdir -p "$runs"

# one core per run, so two runs share the machine evenly
train() {
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 "${rnnlab[@]}" seq2seq train --data "$data" --swap --tutorial-filter \
    --attention "$1" --time-limit "$time_limit" --beam 5 --out "$runs/$1" >"$runs/$1.log" 2>&1 \
    || die "training '$1' failed; see $runs/$1.log"
}
for pair in "none dot" "general concat"; do
  [[ -n "$maps_only" ]] && break
  read -r first second <<<"$pair"
  echo "seq2seq-attention: training $first and $second for $time_limit each ..." >&2
  train "$first" &
  one=$!
  train "$second" &
  two=$!
  wait "$one" || exit 2
  wait "$two" || exit 2
done

# three test sentences (the first three of the split, the same for every run) through each attention run
mapfile -t sentences < <(sed -n '2,4p' "$runs/general/test-outputs.tsv" | cut -f1)
for n in 1 2 3; do
  for kind in dot general concat; do
    "${rnnlab[@]}" seq2seq attention --checkpoint "$runs/$kind" --beam 5 "${sentences[$((n - 1))]}" \
      --out "$docs/seq2seq-attention-$n-$kind.png" >/dev/null || die "attention map $kind $n failed"
  done
done

python3 - "$runs" "$time_limit" "$docs/seq2seq.md" "${sentences[@]}" <<'PY'
import json, os, sys
runs, limit, out, sentences = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
rows = []
for kind in ["none", "dot", "general", "concat"]:
    folder = os.path.join(runs, kind)
    metrics = json.load(open(os.path.join(folder, "test-metrics.json")))
    steps = [json.loads(l) for l in open(os.path.join(folder, "metrics.jsonl")) if '"eval"' in l]
    last = steps[-1]
    for method in ["greedy", "beam"]:
        m = metrics[method]
        rows.append(f"| {kind} | {method if method == 'greedy' else 'beam 5'} | {100 * m['bleu']:.2f} | "
                    f"{100 * m['chrf']:.2f} | {m['cer']:.4f} | {100 * m['exact_match']:.1f}% | "
                    f"{metrics['best_epoch']} | {last['step']} | {metrics['val_loss']:.4f} |")
splits = json.load(open(os.path.join(runs, "general", "splits.json")))
outputs = [l.rstrip("\n").split("\t") for l in open(os.path.join(runs, "general", "test-outputs.tsv"))][1:4]
beams = {kind: [l.rstrip("\n").split("\t")[3] for l in open(os.path.join(runs, kind, "test-outputs.tsv"))][1:4]
         for kind in ["none", "dot", "general", "concat"]}
text = f"""# Luong attention, character level, French -> English

The PyTorch translation tutorial's subset of eng-fra.txt: after its normalisation (lower-case,
accents stripped, non-letters as spaces, `.` `!` `?` split off), pairs of fewer than 10 words on each
side whose English starts with "i am", "he is", "she is", "you are", "we are", "they are" (or "i m",
"he s", ...): {splits['train'] + splits['validation'] + splits['test']:,} pairs of {splits['lines_read']:,},
split {splits['train']:,} / {splits['validation']:,} / {splits['test']:,} (train / validation / test, seed 1337).

Each model: 1-layer LSTM encoder and decoder, hidden 256, embedding 64, input feeding, Adam 2e-3 with
cosine decay, batch 64, teacher forcing 1; trained for {limit} of wall time (validation included),
two runs at a time on one core each; best epoch by validation loss; then the whole test split
decoded greedily and with beam 5 (length penalty 1: log p / length).

```
flock /tmp/rnnlab-heavy.lock bench/seq2seq-attention.sh
```

| attention | decoding | BLEU | chrF | CER | exact match | best epoch | steps | val loss |
|---|---|---:|---:|---:|---:|---:|---:|---:|
""" + "\n".join(rows) + """

BLEU: corpus BLEU-4 on words with brevity penalty, no smoothing; chrF: character 6-grams, beta 2
(both x100); CER: edit distance over reference characters; exact match: share of outputs equal
to their reference.

## Attention maps (beam 5)

The first three test sentences under each attention kind: source characters along the bottom,
output characters down the side (first at the top), colour the weight.

""" + "\n".join(f"{i + 1}. `{o[0]}`, reference `{o[1]}`; beam 5: "
               + ", ".join(f"{kind} `{beams[kind][i]}`" for kind in beams) + "\n\n   "
               + " ".join(f"![{kind} {i + 1}](seq2seq-attention-{i + 1}-{kind}.png)"
                          for kind in ["dot", "general", "concat"]) + "\n"
               for i, o in enumerate(outputs))
open(out, "w").write(text)
PY
echo "seq2seq-attention: wrote $docs/seq2seq.md and $docs/seq2seq-attention-*.png" >&2

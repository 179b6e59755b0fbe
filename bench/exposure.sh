#!/usr/bin/env bash
# Teacher forcing vs scheduled sampling vs Professor Forcing on ../shared/data/ptb_char: runs
# docs/sweeps/exposure.json (12 runs of 240 s, sampled free runs), exposure-every-8.json (3 more),
# exposure-greedy.json (6 more, greedy free runs) and exposure-greedy-light.json (3 more), two runs
# at a time on one core each (about 55 minutes on 2 cores), and writes docs/exposure.md (mean and spread over
# the seeds of validation bits per character, the teacher/free-running hidden-state MMD² and
# Fréchet distance, repetition and novelty, the same step for step, and a 1,000-character sample
# of each mode). A stopped sweep continues
# where it stopped when this script is run again. On a shared machine, run it under the heavy-job
# lock:
#
#   flock /tmp/rnnlab-heavy.lock bench/exposure.sh
#   ROOT=/tmp/runs bench/exposure.sh          # another runs root
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${ROOT:-runs}"

die() {
  echo "exposure: $*" >&2
  exit 2
}
[[ -f "$root/../shared/data/ptb_char/ptb.char.train.txt" ]] || die "corpus not found: ../shared/data/ptb_char"
command -v python3 >/dev/null || die "python3 is needed for the table"

cd "$root" # the sweep file's paths are relative to the repository root
echo "exposure: building (Release) ..." >&2
./rnnlab --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

sweeps=(exposure exposure-every-8 exposure-greedy exposure-greedy-light)
for sweep in "${sweeps[@]}"; do
  "${rnnlab[@]}" sweep --config "docs/sweeps/$sweep.json" --parallel 2 --root "$runs" || die "sweep $sweep did not finish"
done
folders="$(printf "%s:" "${sweeps[@]/#/$runs/}")"
python3 bench/exposure-table.py "${folders%:}" docs/exposure.md \
  "flock /tmp/rnnlab-heavy.lock bench/exposure.sh" ../shared/data/ptb_char || die "writing the table failed"
echo "exposure: wrote docs/exposure.md" >&2

#!/usr/bin/env bash
# Micro-benchmarks (BenchmarkDotNet, in process, short job) of the data pipeline and of one sampling
# step, written to docs/micro-benchmarks.md. Run it on an otherwise idle machine (about 3 minutes).
#
#   bench/micro.sh                 # everything
#   bench/micro.sh '*SamplerStep*' # one class (a BenchmarkDotNet filter)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
filter="${1:-*}"
[[ -d "$root/../shared/data" ]] || { echo "micro: data folder not found: $root/../shared/data" >&2; exit 2; }
export RNNLAB_SHARED_DATA="${RNNLAB_SHARED_DATA:-$(cd "$root/../shared/data" && pwd)}"

dotnet build "$root/bench/Micro/Micro.csproj" -c Release -o "$root/.artifacts/micro" --nologo -v quiet \
  -clp:NoSummary >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && dotnet "$root/.artifacts/micro/Micro.dll" --filter "$filter" --job short --inProcess \
  --exporters github --artifacts "$work/results")

{
  echo "# Micro-benchmarks"
  echo
  echo "BenchmarkDotNet (short job, in process) on $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M') UTC, commit" \
    "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none). Command: \`bench/micro.sh\`."
  echo "DataPipeline prepares corpora without the cache; SamplerStep is one step of the reference model"
  echo "(2-layer LSTM, hidden 256) through LstmStepper, and the host-side choice of the next characters."
  for file in "$work"/results/results/*-report-github.md; do
    echo
    sed -n '/^|/,$p' "$file"
  done
} >"$root/docs/micro-benchmarks.md"
echo "micro: wrote $root/docs/micro-benchmarks.md" >&2

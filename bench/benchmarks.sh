#!/usr/bin/env bash
# The whole performance comparison in one run: rnnlab against a bare TorchSharp loop, PyTorch from
# Debian (python3-torch with OpenBLAS) and this machine's matrix-multiply rate; training at several
# model and batch sizes, sampling, corpus preparation and a generated 1 GB corpus. Writes
# docs/benchmarks.md. Run it on an otherwise idle machine (about 15 minutes; every side uses all cores).
#
#   bench/benchmarks.sh            # the full run
#   QUICK=1 bench/benchmarks.sh    # smoke run (about 3 minutes): checks the plumbing, measures nothing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
report="$root/docs/benchmarks.md"
die() {
  echo "benchmarks: $*" >&2
  exit 2
}
[[ -f "$root/../shared/data/tinyshakespeare/input.txt" ]] \
  || die "corpus not found: $root/../shared/data/tinyshakespeare/input.txt"
[[ -f "$root/../shared/data/tweets/trump_tweets.txt" ]] \
  || die "corpus not found: $root/../shared/data/tweets/trump_tweets.txt"

# the PyTorch peer: Debian's python3-torch, with OpenBLAS (pthreads) as the BLAS it loads
missing=()
/usr/bin/python3 -c "import torch" 2>/dev/null || missing+=(python3-torch)
dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "install ok installed" \
  || missing+=(libopenblas0-pthread)
if (( ${#missing[@]} )); then
  sudo=()
  (( EUID == 0 )) || sudo=(sudo -n)
  echo "benchmarks: installing ${missing[*]} with apt-get ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get -y -q --no-install-recommends install "${missing[@]}" >&2 \
    || { "${sudo[@]}" apt-get -q update >&2 && "${sudo[@]}" apt-get -y -q --no-install-recommends install \
      "${missing[@]}" >&2; } || die "could not install ${missing[*]} (needs root or password-less sudo)"
fi

if pgrep -f "RnnLab.Cli.dll|Bench.dll|MSBuild.dll|torch_peer.py" >/dev/null; then
  echo "benchmarks: warning: another rnnlab, benchmark or build is running; the numbers will be low and noisy" >&2
fi

echo "benchmarks: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
dotnet build "$root/bench/Bench/Bench.csproj" -c Release -o "$root/.artifacts/bench" --nologo -v quiet \
  -clp:NoSummary >&2 || die "building bench/Bench failed (see above)"

quick=()
[[ "${QUICK:-0}" == 1 ]] && quick=(quick)
dotnet "$root/.artifacts/bench/Bench.dll" suite "$report" "${quick[@]}"

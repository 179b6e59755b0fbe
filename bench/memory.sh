#!/usr/bin/env bash
# Memory over long work: trains STEPS steps, then samples LENGTH characters, reading the process's
# resident memory (VmRSS) twice a second. The garbage collector and libtorch's allocator make RSS a
# sawtooth tens of MiB high, so growth is judged by its floor: the lowest reading of the last quarter
# minus the lowest of the second quarter (the first holds start-up and warm-up). A leak lifts the
# floor; a collection cannot hide it. Median and peak growth are reported beside it. The floor's
# growth must stay under BOUND_MB. Writes docs/memory.md; exits 1 when a bound is broken.
#
#   bench/memory.sh                                # 2,000 steps, 1,000,000 characters (about 4 min)
#   STEPS=200 LENGTH=20000 bench/memory.sh         # smoke run: checks the plumbing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${STEPS:-2000}"
length="${LENGTH:-1000000}"
bound="${BOUND_MB:-32}"
report="$root/docs/memory.md"

die() {
  echo "memory: $*" >&2
  exit 2
}
for pair in "STEPS $steps" "LENGTH $length" "BOUND_MB $bound"; do
  set -- $pair
  [[ "$2" =~ ^[0-9]+$ ]] && (( 10#$2 >= 1 )) || die "$1 must be a whole number >= 1, got '$2'"
done

shakespeare="$root/../shared/data/tinyshakespeare/input.txt"
[[ -f "$shakespeare" ]] || die "corpus not found: $shakespeare"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "memory: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

# runs a command in the background and writes "seconds rss_kib" lines until it ends
watch_rss() { # trace command...
  local trace=$1
  shift
  "$@" >"$trace.out" 2>"$trace.err" &
  local pid=$! start=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    awk -v t="$((SECONDS - start))" '/^VmRSS:/ { print t, $2 }' "/proc/$pid/status" 2>/dev/null >>"$trace" || true
    sleep 0.5
  done
  wait "$pid" || { tail -n 20 "$trace.err" >&2; die "'$*' failed"; }
}

# MiB: floor and median of the second quarter, floor and median of the last quarter; the peak;
# the number of readings
quarters() { # trace
  awk '{ rss[NR] = $2 } END {
    n = NR; peak = 0
    for (i = 1; i <= n; i++) if (rss[i] > peak) peak = rss[i]
    a = int(n / 4) + 1; b = int(n / 2); c = int(3 * n / 4) + 1
    printf "%.1f %.1f %.1f %.1f %.1f %d\n", least(a, b) / 1024, median(a, b) / 1024,
      least(c, n) / 1024, median(c, n) / 1024, peak / 1024, n
  }
  function least(from, to,   i, m) {
    m = rss[from]
    for (i = from; i <= to; i++) if (rss[i] < m) m = rss[i]
    return m
  }
  function median(from, to,   m, i, j, t, v) {
    m = 0
    for (i = from; i <= to; i++) v[++m] = rss[i]
    for (i = 2; i <= m; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }' "$1"
}

train_flags=(--data "$shakespeare" --mode stream --cell lstm --layers 2 --hidden 128 --embedding 32
  --batch-size 32 --bptt 64 --steps "$steps" --eval-every 250 --eval-batches 8 --sample-length 100
  --log-every 50 --no-cache --out "$work/run")
echo "memory: training $steps steps ..." >&2
watch_rss "$work/train.trace" "${rnnlab[@]}" train "${train_flags[@]}"
echo "memory: sampling $length characters ..." >&2
watch_rss "$work/sample.trace" "${rnnlab[@]}" sample --checkpoint "$work/run" --length "$length" --seed 1
sampled=$(wc -m <"$work/sample.trace.out")

status=0
rows=""
for job in train sample; do
  read -r floor2 median2 floor4 median4 peak n < <(quarters "$work/$job.trace")
  (( n >= 8 )) || die "$job ran too briefly to judge ($n readings); raise STEPS or LENGTH"
  growth=$(awk -v a="$floor2" -v b="$floor4" 'BEGIN { printf "%.1f", b - a }')
  median_growth=$(awk -v a="$median2" -v b="$median4" 'BEGIN { printf "%.1f", b - a }')
  verdict=$(awk -v g="$growth" -v b="$bound" 'BEGIN { print (g < b ? "ok" : "TOO MUCH") }')
  [[ "$verdict" == ok ]] || status=1
  rows+="| $job | $n | $floor2 | $floor4 | **$growth** | $median_growth | $peak | $verdict |"$'\n'
  echo "memory: $job: floor growth $growth MiB ($floor2 -> $floor4), median growth $median_growth," \
    "peak $peak" >&2
done

mkdir -p "$(dirname "$report")"
cat >"$report" <<MD
# Memory over long runs

Measured by \`bench/memory.sh\` (STEPS=$steps LENGTH=$length BOUND_MB=$bound) on $(date -u +%Y-%m-%d),
$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory.

Training: 2-layer LSTM, hidden 128, embedding 32, batch 32, window 64, on tinyshakespeare, with an
evaluation, a sample and two checkpoint saves every 250 steps. Sampling: $sampled characters
written to a file at batch 1 from the trained model. Resident memory (VmRSS) is read twice a
second. It is a sawtooth tens of MiB high (the .NET garbage collector and libtorch's allocator), so
growth is judged by its floor: the lowest reading of the last quarter minus the lowest of the
second quarter (the first quarter holds start-up). A leak lifts the floor; median and peak growth
are shown beside it.

| job | readings | 2nd-quarter floor (MiB) | last-quarter floor (MiB) | floor growth (MiB) | median growth (MiB) | peak (MiB) | bound $bound MiB |
|---|---|---|---|---|---|---|---|
$rows
MD
echo "memory: wrote $report" >&2
exit "$status"

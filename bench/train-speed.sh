#!/usr/bin/env bash
# Training-speed benchmark: rnnlab's trainer against a bare TorchSharp loop (bench/BareLoop) on the
# same model, data and optimizer, plus the time rnnlab takes to prepare a documents-mode corpus.
# Writes docs/benchmarks.md. Run it on an otherwise idle machine: both sides use every core.
#
#   bench/train-speed.sh                     # 3 rounds of 50 warm-up + 300 timed steps per side
#   ROUNDS=1 STEPS=30 bench/train-speed.sh   # smoke run: checks the plumbing, measures nothing
#
# Environment: ROUNDS (3), STEPS timed steps per run (300), WARMUP untimed steps before them (50).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-3}"
steps="${STEPS:-300}"
warmup="${WARMUP:-50}"
bare_dir="$root/.artifacts/bareloop"
report="$root/docs/benchmarks.md"

die() {
  echo "train-speed: $*" >&2
  exit 2
}

need_count() { # name value minimum
  [[ "$2" =~ ^[0-9]+$ ]] && (( 10#$2 >= $3 )) || die "$1 must be a whole number >= $3, got '$2'"
}

need_count ROUNDS "$rounds" 1
need_count STEPS "$steps" 1
need_count WARMUP "$warmup" 0
rounds=$((10#$rounds)) steps=$((10#$steps)) warmup=$((10#$warmup))

# the corpora are read in place from the shared data folder next to the repository
[[ -d "$root/../shared/data" ]] || die "data folder not found: $root/../shared/data"
data="$(cd "$root/../shared/data" && pwd)"
shakespeare="$data/tinyshakespeare/input.txt"
tweets="$data/tweets/trump_tweets.txt"
for file in "$shakespeare" "$tweets"; do
  [[ -f "$file" ]] || die "corpus not found: $file"
done

# another training run on the same cores would halve both sides and hide any real gap
if command -v pgrep >/dev/null && pgrep -f "RnnLab.Cli.dll train" >/dev/null; then
  echo "train-speed: warning: another rnnlab training is running; speeds will be low" >&2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# build both in Release: rnnlab through its launcher (it rebuilds only when sources changed)
echo "train-speed: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null
dotnet build "$root/bench/BareLoop/BareLoop.csproj" -c Release -o "$bare_dir" --nologo -v quiet \
  -clp:NoSummary >&2

# rnnlab logs only at multiples of --log-every; a divisor of both counts puts a log line exactly at
# the end of the warm-up, so the kept intervals cover the same steps the bare loop times
gcd() {
  local a=$1 b=$2
  while (( b > 0 )); do
    (( a %= b )) || true
    local t=$a
    a=$b b=$t
  done
  echo "$a"
}
log_every="$(gcd "$warmup" "$steps")"

# the reference config, spelled out so a change of rnnlab's defaults cannot move the benchmark
train_flags=(--mode stream --cell lstm --layers 2 --hidden 256 --embedding 64 --dropout 0
  --batch-size 32 --bptt 64 --optimizer adam --lr 0.002 --clip-mode norm --clip 5
  --schedule constant --warmup-steps 0 --steps $((warmup + steps)) --log-every "$log_every"
  --eval-every 100000 --eval-batches 1 --sample-length 0 --no-cache)

# reads one numeric key from a flat JSON object per line (metrics.jsonl, the bare loop's line)
json_num='function num(line, key,   i) {
  i = index(line, "\"" key "\":")
  return i ? substr(line, i + length(key) + 3) + 0 : -1
}'

median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
    END { printf "%.1f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# (max - min) / median, in percent
spread() {
  printf '%s\n' "$@" | sort -g | awk -v m="$(median "$@")" '{ v[NR] = $1 }
    END { printf "%.1f\n", 100 * (v[NR] - v[1]) / m }'
}

run_bare() { # round
  local line
  line="$(dotnet "$bare_dir/BareLoop.dll" "$warmup" "$steps" "$shakespeare")" \
    || die "bare loop failed in round $1"
  echo "$line" >"$work/bare-$1.json"
  awk "$json_num"' { printf "%.1f\n", num($0, "char_per_s") }' <<<"$line"
}

# char/s over the log intervals after the warm-up, token-weighted: all characters over all time,
# the same definition as the bare loop's (the mean of the intervals would overweight fast ones)
run_rnnlab() { # round
  local out="$work/run-$1" log="$work/rnnlab-$1.log"
  if ! "$root/rnnlab" train --data "$shakespeare" "${train_flags[@]}" --out "$out" >"$log"; then
    tail -n 20 "$log" >&2
    die "rnnlab train failed in round $1"
  fi
  awk -v warmup="$warmup" "$json_num"'
    index($0, "\"kind\":\"train\"") {
      step = num($0, "step")
      seconds = num($0, "ms_per_step") * (step - last) / 1000
      last = step
      if (step > warmup) { chars += num($0, "char_per_s") * seconds; time += seconds }
    }
    END { if (time > 0) printf "%.1f\n", chars / time; else exit 1 }' "$out/metrics.jsonl" \
    || die "no log intervals after step $warmup in $out/metrics.jsonl"
  rm -rf "$out"
}

# alternate the two sides so drift in machine speed (other load, heat) hits both alike
bare=() ours=()
for (( r = 1; r <= rounds; r++ )); do
  bare+=("$(run_bare "$r")")
  ours+=("$(run_rnnlab "$r")")
  echo "round $r/$rounds | bare ${bare[-1]} char/s | rnnlab ${ours[-1]} char/s" >&2
done
bare_median="$(median "${bare[@]}")"
ours_median="$(median "${ours[@]}")"
ratio="$(awk -v a="$ours_median" -v b="$bare_median" 'BEGIN { printf "%.3f\n", a / b }')"
goal="$(awk -v r="$ratio" 'BEGIN { print (r >= 0.97 ? "met" : "not met") }')"
threads="$(awk "$json_num"' { printf "%d set, libtorch default %d", num($0, "threads"),
  num($0, "default_threads") }' "$work/bare-1.json")"

# data preparation: read, decode, split, vocabulary, encode, as the "data:" line reports it
prep() { # extra flags for rnnlab train; prints "<prepared|from cache> <ms>"
  local line
  line="$("$root/rnnlab" train --data "$tweets" --mode documents --dry-run "$@" | grep '^data: ')" \
    || die "rnnlab train --dry-run on $tweets failed"
  sed -nE 's/.*(prepared|from cache) in ([0-9]+) ms.*/\1 \2/p' <<<"$line"
}
cold=()
for (( r = 1; r <= rounds; r++ )); do
  read -r source ms <<<"$(prep --no-cache)"
  [[ "$source" == prepared ]] || die "expected 'prepared in N ms' with --no-cache, got '$source'"
  cold+=("$ms")
done
cold_median="$(median "${cold[@]}")"

# the first run fills a private cache (so the user's own cache is neither used nor changed)
prep --cache-dir "$work/cache" >/dev/null
read -r source warm <<<"$(prep --cache-dir "$work/cache")"
[[ "$source" == "from cache" ]] || die "the second prepare did not read the cache (got '$source')"
echo "train-speed: bare ${bare_median} | rnnlab ${ours_median} char/s | ratio ${ratio} (goal" \
  "${goal}) | prepare ${cold_median} ms, from cache ${warm} ms" >&2

cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
memory="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
os="$(. /etc/os-release && echo "$PRETTY_NAME") (Linux $(uname -r))"
torchsharp="$(sed -nE 's|.*<TorchSharpVersion>(.*)</TorchSharpVersion>.*|\1|p' \
  "$root/Directory.Build.props")"
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo "none yet")"
if [[ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]]; then
  commit="$commit, with uncommitted changes"
fi
bare_spread="$(spread "${bare[@]}")"
ours_spread="$(spread "${ours[@]}")"
percent="$(awk -v r="$ratio" 'BEGIN { printf "%.1f", 100 * r }')"
smoke=""
if (( rounds < 3 || steps < 300 )); then
  smoke="**Smoke run** (ROUNDS=$rounds, STEPS=$steps): too short to measure anything; re-run with
the defaults before quoting these numbers.

"
fi

rnnlab_command="$(printf '%s ' ./rnnlab train --data ../shared/data/tinyshakespeare/input.txt \
  "${train_flags[@]}" --out '<temp>' | fold -s -w 92 | sed -e 's/ *$//' -e '$!s/$/ \\/' \
  -e '2,$s/^/  /')"

# write the report through a temporary file so a failed run never leaves half a page
mkdir -p "$(dirname "$report")"
cat >"$work/benchmarks.md" <<EOF
# Benchmarks

${smoke}The speed of \`rnnlab train\` against a bare TorchSharp loop (\`bench/BareLoop\`) on the
reference config: 2-layer LSTM, hidden 256, embedding 64, batch 32, windows of 64, Adam
(lr 0.002), global-norm clip 5, tinyshakespeare in stream mode. Each side runs $warmup untimed
warm-up steps, then $steps timed steps; $rounds rounds, the two sides alternating. rnnlab's speed
is token-weighted (all characters over all time) over its log intervals after step $warmup, which
leave evaluation out; the bare loop's is the same over its timed steps.

| measure | rnnlab | bare TorchSharp | ratio |
|---|---:|---:|---:|
| training speed, char/s (median of $rounds) | $ours_median | $bare_median | $ratio |
| preparing tweets (documents mode), ms (median of $rounds, no cache) | $cold_median | - | - |
| preparing tweets (documents mode), ms (from a warm cache, 1 run) | $warm | - | - |

Rounds, char/s: bare ${bare[*]}; rnnlab ${ours[*]} (spread ${bare_spread}% and ${ours_spread}% of
the median). Goal: ratio at least 0.97 ($goal). Preparation times are the \`prepared in N ms\` /
\`from cache in N ms\` figure of \`rnnlab train --dry-run\` on \`trump_tweets.txt\`: read, decode,
split, vocabulary and encoding, timed inside the process (JIT included, .NET start-up not).

On this machine rnnlab trained at ${percent}% of the bare loop's speed; the rounds spread by up
to ${ours_spread}%, so a gap smaller than that is noise rather than trainer overhead, and the bare
loop is a floor for our overhead on this config only, not a bound on what libtorch could do.

## Command

\`\`\`
ROUNDS=$rounds STEPS=$steps WARMUP=$warmup bench/train-speed.sh
\`\`\`

which runs, per round:

\`\`\`
dotnet .artifacts/bareloop/BareLoop.dll $warmup $steps ../shared/data/tinyshakespeare/input.txt
$rnnlab_command
\`\`\`

and then \`./rnnlab train --data ../shared/data/tweets/trump_tweets.txt --mode documents --dry-run\`
with \`--no-cache\` ($rounds times), and twice with a fresh \`--cache-dir\` (the second reads it).

## Machine

- date: $(date -u +%Y-%m-%d) (UTC), commit $commit
- CPU: $cpu, nproc $(nproc)
- memory: $memory
- OS: $os
- .NET SDK $(dotnet --version), TorchSharp-cpu $torchsharp
- libtorch threads: bare loop $threads (rnnlab keeps the default)
EOF
mv "$work/benchmarks.md" "$report"
echo "train-speed: wrote $report" >&2

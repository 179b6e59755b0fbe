#!/usr/bin/env bash
# An activations page from a small Shakespeare model, looked at in headless Chromium: trains a 2-layer
# LSTM (hidden 128, embedding 32) on tinyshakespeare for TIME unless RUN names a trained run, writes
# the page for CHARS characters from the end of the text (the validation split, which training never
# saw), takes a screenshot, checks the rendered DOM, and writes docs/activations.{html,png,md}.
# Chromium comes from Debian (apt-get install chromium) when it is missing.
#
#   bench/activations.sh                      # 3 minutes of training, 2,000 characters
#   RUN=runs/<run> bench/activations.sh       # no training
#   TIME=20s bench/activations.sh             # smoke run: checks the plumbing
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
time_limit="${TIME:-3m}"
chars="${CHARS:-2000}"
docs="$root/docs"
max_page_kb=300

die() {
  echo "activations: $*" >&2
  exit 2
}
[[ "$chars" =~ ^[0-9]+$ ]] && (( 10#$chars >= 100 )) || die "CHARS must be a whole number >= 100, got '$chars'"
shakespeare="$root/../shared/data/tinyshakespeare/input.txt"
[[ -f "$shakespeare" ]] || die "corpus not found: $shakespeare"

# the browser first, so that a machine without one fails before minutes of training
# shellcheck source=lib/chromium.sh
source "$root/bench/lib/chromium.sh"
need_chromium activations
browser=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "activations: building (Release) ..." >&2
"$root/rnnlab" --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

run="${RUN:-}"
settings="RUN=$run CHARS=$chars"
origin="given as RUN=$run"
[[ "$(basename "$run")" == *-activations-bench ]] \
  && origin="trained by an earlier run of this bench (run folders under runs/ are not committed)"
if [[ -z "$run" ]]; then
  settings="TIME=$time_limit CHARS=$chars"
  # kept under runs/ (ignored by git), so that the page can be made again without training
  run="$root/runs/$(date +%Y%m%d-%H%M%S)-activations-bench"
  origin="trained by this run of the bench for $time_limit"
  echo "activations: training a 2x128 LSTM for $time_limit into ${run#"$root/"} ..." >&2
  "${rnnlab[@]}" train --data "$shakespeare" --cell lstm --layers 2 --hidden 128 --embedding 32 \
    --time-limit "$time_limit" --eval-every 500 --eval-batches 20 --sample-length 0 --seed 1 \
    --out "$run" >"$work/train.log" || { tail -n 20 "$work/train.log" >&2; die "training failed"; }
  echo "activations: RUN=${run#"$root/"} $0 makes the page again without training" >&2
fi
"${rnnlab[@]}" info --checkpoint "$run" >"$work/info.txt" || die "cannot read the checkpoint in $run"
about() {
  grep "^$1 " "$work/info.txt" | sed "s/^$1 *//; s/ | /, /g"
}

# the last CHARS characters from a line start: held-out text (tinyshakespeare is ASCII, a byte a character)
tail -c "$((chars + 200))" "$shakespeare" | sed 1d | head -c "$chars" >"$work/text.txt"
page="$work/activations.html"
command=(activations --checkpoint "$run" --text-file "$work/text.txt" --out "$page")
"${rnnlab[@]}" "${command[@]}" >"$work/table.txt" 2>"$work/notes.txt" \
  || { cat "$work/notes.txt" >&2; die "rnnlab activations failed"; }

# the DOM after the script ran: every character in both views, every embedded unit in the list, the
# script's mark, and a switch through a #unit=N link
"${browser[@]}" --dump-dom "file://$page" >"$work/dom.html" 2>/dev/null
shown="$(wc -m <"$work/text.txt")"
units="$(grep -o '<option value="[0-9]*"' "$work/dom.html" | wc -l)"
other="$(grep -o '<option value="[0-9]*"' "$work/dom.html" | tail -n 1 | grep -o '[0-9]*')"
check() {
  local what="$1" expected="$2" actual="$3"
  [[ "$expected" == "$actual" ]] || die "rendered page: $what: expected $expected, got $actual"
  echo "activations: rendered page: $what: $actual" >&2
}
check "script ran" 1 "$(grep -c '<html lang="en" class="js">' "$work/dom.html")"
check "characters in the unit view" "$shown" "$(grep -o '<i class="a[0-9]*">' "$work/dom.html" | wc -l)"
check "characters in the surprisal view" "$shown" "$(grep -o '<i class="s[0-9x]*">' "$work/dom.html" | wc -l)"
check "legends" 2 "$(grep -o 'class="legend"' "$work/dom.html" | wc -l)"
check "feature rows" 6 "$(grep -o '<tr><td>' "$work/dom.html" | wc -l)"
"${browser[@]}" --dump-dom "file://$page#unit=$other" >"$work/switched.html" 2>/dev/null
check "unit shown after opening #unit=$other" "$other" \
  "$(grep -o '<span id="unit-name">[0-9]*' "$work/switched.html" | grep -o '[0-9]*$')"

"${browser[@]}" --screenshot="$docs/activations.png" --window-size=1280,1600 "file://$page" 2>/dev/null
[[ -s "$docs/activations.png" ]] || die "chromium wrote no screenshot"
size_kb=$(( $(stat -c %s "$page") / 1024 ))
if (( size_kb <= max_page_kb )); then
  cp "$page" "$docs/activations.html"
  kept="[activations.html](activations.html) (${size_kb} KiB; open it in a browser)"
else
  rm -f "$docs/activations.html"
  kept="not kept: the page is ${size_kb} KiB, over the ${max_page_kb} KiB kept in the repository"
fi

# what the table says about the two features the issue asked about, in words
top_of() {
  grep "^$1 " "$work/table.txt" | cut -d'|' -f2 | sed 's/^ *//'
}
quotes="$(top_of in-quotes)"
line="$(top_of line-position)"
line_r="$(sed 's/,.*//; s/.* //; s/^[+-]//' <<<"$line")"
line_said="Line position (characters since the newline): units (r) $line"
if [[ "$line" == constant* ]]; then
  line_said="Line position: constant (the text is one line)."
elif awk -v r="$line_r" 'BEGIN { exit !(r < 0.5) }'; then
  line_said+="; no unit follows it closely (|r| at most $line_r)."
else
  line_said+="."
fi
if [[ "$quotes" == constant* ]]; then
  quotes_said="Inside double quotes: no unit, because the text has no double quotes (tinyshakespeare
has none at all), so the feature is constant and r is undefined; the page says so rather than print
NaN."
else
  quotes_said="Inside double quotes: units (r) $quotes."
fi
notes=""
[[ -s "$work/notes.txt" ]] && notes=$'\nNotes it printed:\n\n'"$(sed 's/^/    /' "$work/notes.txt")"

strongest="$(awk -F'|' 'NR > 1 && NF == 2 && $2 !~ /constant|varies/ {
    split($2, first, ","); n = split(first[1], part, " "); r = part[n] + 0
    if (r < 0) r = -r
    if (r > best) { best = r; name = $1; unit = part[1]; value = part[n] }
  }
  END { gsub(/ +$/, "", name); print unit " with " name " (r = " value ")" }' "$work/table.txt")"
hidden="$(about model | grep -o 'hidden [0-9]*' | grep -o '[0-9]*')"

cat >"$docs/activations.md" <<MD
# Activations of a small Shakespeare LSTM

Made by \`bench/activations.sh\` ($settings) on $(date -u +%Y-%m-%d), $(nproc) cores shared with
other work. The page reads the last $chars characters of tinyshakespeare, from the validation split,
which training never saw:

\`\`\`
rnnlab $(echo "${command[*]}" | sed "s|$work/|<work>/|g; s|$root/||g")
\`\`\`

- model: $(about model), $origin
- training: $(about progress)
- validation: $(about validation)
- page: $kept

Left, the text coloured by one unit of the top layer (h after each character, blue negative, red
positive; the list and the unit buttons switch units, $units of $hidden embedded); right, the
surprisal of each character in bits; below, the units most correlated with simple features of the
characters. Hovering a character shows it, the unit's value and its surprisal.

![activations page](activations.png)

$quotes_said $line_said The strongest correlation in the table is unit $strongest; the
page opens on unit $(grep -o 'unit [0-9]* first' "$work/table.txt" | grep -o '[0-9]*'). The features overlap: in a play most capitals sit in the speakers' names, so
one unit can top the "uppercase" and "speaker-line" lists alike; and r says that a unit moves with a
feature over these $chars characters, not that it computes it.

What \`rnnlab activations\` printed (feature, then the top units and their Pearson r):

$(sed "s|$work/|<work>/|g; s/^/    /" "$work/table.txt")
$notes
MD
echo "activations: wrote $docs/activations.md and activations.png" >&2

#!/usr/bin/env bash
# The research diary's comparisons on tweets: runs docs/sweeps/diary.json (18 runs of 90 s, two at
# a time, one core each; about 17 minutes on 2 cores), compares them with 'rnnlab compare', renders
# the report in headless Chromium and writes docs/sweeps/diary-report.{html,png} and the PNG plots.
# A stopped sweep continues where it stopped when this script is run again.
#
#   bench/diary-sweep.sh                # the sweep into runs/diary, then the report
#   ROOT=/tmp/runs bench/diary-sweep.sh  # another runs root
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${ROOT:-runs}"
out="$root/docs/sweeps"

die() {
  echo "diary-sweep: $*" >&2
  exit 2
}
[[ -f "$root/../shared/data/tweets/trump_tweets.txt" ]] || die "corpus not found: ../shared/data/tweets"
# shellcheck source=lib/chromium.sh
source "$root/bench/lib/chromium.sh"
need_chromium diary-sweep

cd "$root" # the sweep file's paths are relative to the repository root
echo "diary-sweep: building (Release) ..." >&2
./rnnlab --help >/dev/null || die "building rnnlab failed (see above)"
rnnlab=(dotnet "$root/.artifacts/cli/RnnLab.Cli.dll")

"${rnnlab[@]}" sweep --config docs/sweeps/diary.json --parallel 2 --root "$runs" || die "the sweep did not finish"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"${rnnlab[@]}" compare --sweep diary --root "$runs" --out "$work/report.html" --png "$work/plots" \
  || die "rnnlab compare failed"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,2400 \
  --screenshot="$work/report.png" "file://$work/report.html" 2>/dev/null || die "chromium could not render the report"
# the page must have rendered its charts: one polyline per run in each of the two
polylines="$(chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$work/report.html" 2>/dev/null \
  | grep -o '<polyline[^>]*data-run' | wc -l)"
(( polylines == 2 * 18 )) || die "the rendered report has $polylines curves, not 36"

mkdir -p "$out"
cp "$work/report.html" "$out/diary-report.html"
cp "$work/report.png" "$out/diary-report.png"
cp "$work/plots/"*.png "$out/"
echo "diary-sweep: wrote docs/sweeps/diary-report.html, diary-report.png and the plots; the rendered page has" \
  "$polylines curves" >&2

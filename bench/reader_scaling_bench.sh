#!/usr/bin/env bash
# How reading a PST scales: our readers (bench/read_pst: readCalendars + readGroupware into a
# counting sink) beside `readpst -o DIR` (libpst) and `pffexport` (libpff) on the same files, in
# the same run. Files: pstgen mailboxes of 1k, 10k and 100k groupware items (60% appointments,
# 25% contacts plus a distribution list per 50, 15% tasks), generated into a temporary folder, and
# the largest real sample (shared/testdata/pst/aspose-net__SampleOstFile.ost). Prints a Markdown
# table (median wall seconds of M2Z_BENCH_REPEATS runs, default 3; items/s; median peak RSS from
# /usr/bin/time -v) for docs/performance.md.
#   bench/reader_scaling_bench.sh [--large]
#     --large  also a mailbox of at least 2 GB (large attachments), generated on the fly and
#              deleted afterwards; needs about 3x its size free in $TMPDIR.
# Environment: M2Z_BENCH_BUILD (build folder with pstgen and read_pst, default build/release),
# M2Z_BENCH_SIZES (default "1000 10000 100000"), M2Z_BENCH_REPEATS, M2Z_BENCH_REAL (0: skip the
# real sample), M2Z_BENCH_TIMEOUT (seconds per run, default 3600), M2Z_SHARED_DIR, TMPDIR.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
build="${M2Z_BENCH_BUILD:-$root/build/release}"
pstgen="$build/tools/pstgen/pstgen"
read_pst="$build/bench/read_pst"
repeats="${M2Z_BENCH_REPEATS:-3}"
limit="${M2Z_BENCH_TIMEOUT:-3600}"  # seconds per run; a reader that takes longer is stopped
sizes="${M2Z_BENCH_SIZES-1000 10000 100000}"  # set but empty: none
large=0
for arg in "$@"; do
  case "$arg" in
    --large) large=1 ;;
    *) echo "usage: $0 [--large]" >&2; exit 2 ;;
  esac
done
for tool in "$pstgen" "$read_pst"; do
  [ -x "$tool" ] || { echo "missing $tool: cmake --preset release && cmake --build --preset release --target pstgen read_pst" >&2; exit 1; }
done
for tool in readpst pffexport /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install pst-utils pff-tools time" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# measure LABEL ITEMS FILE COMMAND...: runs COMMAND $repeats times (each in a fresh output folder
# $out), prints a table row with the median wall time, items/s and the median peak RSS.
measure() {
  local label=$1 items=$2 file=$3
  shift 3
  local times=() rss=()
  for _ in $(seq 1 "$repeats"); do
    out="$work/out"
    rm -rf "$out"
    mkdir -p "$out"
    local log="$work/time.log"
    local rc=0
    /usr/bin/time -v -o "$log" timeout "$limit" "$@" >/dev/null 2>"$work/stderr.log" || rc=$?
    if [ "$rc" = 124 ]; then
      echo "| $(basename "$file") | $label | > $limit (stopped) | < $(( items / limit )) | |"
      return
    elif [ "$rc" != 0 ]; then
      echo "| $(basename "$file") | $label | failed: $(tail -n 1 "$work/stderr.log") | | |"
      return
    fi
    times+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; ++i) s = s * 60 + p[i]; print s }' "$log")")
    rss+=("$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")")
  done
  rm -rf "$work/out"
  local wall peak
  wall=$(printf '%s\n' "${times[@]}" | median)
  peak=$(printf '%s\n' "${rss[@]}" | median)
  awk -v f="$(basename "$file")" -v l="$label" -v n="$items" -v w="$wall" -v r="$peak" \
    'BEGIN { printf "| %s | %s | %.2f | %.0f | %.0f |\n", f, l, w, (w > 0 ? n / w : 0), r / 1024 }'
}

# bench FILE ITEMS: the three readers on one file.
bench() {
  local file=$1 items=$2
  measure "ours (read_pst)" "$items" "$file" "$read_pst" "$file"
  measure "readpst -o DIR" "$items" "$file" sh -c 'readpst -q -o "$0" "$1"' "$work/out" "$file"
  measure "pffexport" "$items" "$file" sh -c 'pffexport -q -t "$0/x" "$1"' "$work/out" "$file"
}

# generate ITEMS NAME [pstgen options]: a pstgen mailbox of ITEMS groupware items; prints its
# message count (items plus the distribution lists and three FAI messages pstgen adds).
generate() {
  local items=$1 name=$2
  shift 2
  local appointments=$(( items * 60 / 100 )) contacts=$(( items * 25 / 100 ))
  local tasks=$(( items - appointments - contacts ))
  "$pstgen" generate --seed 2024 --appointments "$appointments" --contacts "$contacts" --tasks "$tasks" \
    "$@" --out "$work/$name.pst" | sed -n 's/.* \([0-9]*\) messages.*/\1/p'
}

echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"\
  "$(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr);"\
  "$(readpst -V 2>&1 | head -n 1); pffexport $(pffexport -V 2>&1 | head -n 1 | awk '{ print $2 }');"\
  "median of $repeats runs; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| file | reader | wall s | items/s | peak RSS MB |"
echo "|---|---|---|---|---|"
for items in $sizes; do
  messages=$(generate "$items" "mailbox-$items" --body-kib 8 --attachment-kib 64)
  echo "| mailbox-$items.pst ($messages messages, $(( $(stat -c %s "$work/mailbox-$items.pst") / 1048576 )) MB) | | | | |"
  bench "$work/mailbox-$items.pst" "$messages"
  rm -f "$work/mailbox-$items.pst"
done

real="$shared/testdata/pst/aspose-net__SampleOstFile.ost"
if [ -f "$real" ] && [ "${M2Z_BENCH_REAL:-1}" = 1 ]; then
  # Its message count as pffexport sees it: one folder per exported item (Message00001, ...).
  pffexport -q -t "$work/count" "$real" >/dev/null 2>&1 || true
  messages=$(find "$work/count.export" -type d -regextype posix-extended -regex '.*/[A-Za-z]+[0-9]{5}' | grep -vc '/Attachments/' || true)
  rm -rf "$work/count.export"
  echo "| $(basename "$real") ($messages messages, $(( $(stat -c %s "$real") / 1048576 )) MB) | | | | |"
  bench "$real" "$messages"
fi

if [ "$large" = 1 ]; then
  # 5% of the 7,200 appointments carry one or two attachments of up to 12 MiB (uniform): about 3 GB.
  messages=$(generate 12000 mailbox-large --body-kib 64 --attachment-kib 12288)
  echo "| mailbox-large.pst ($messages messages, $(( $(stat -c %s "$work/mailbox-large.pst") / 1048576 )) MB) | | | | |"
  bench "$work/mailbox-large.pst" "$messages"
fi

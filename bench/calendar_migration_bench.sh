#!/usr/bin/env bash
# Whole-process timings: mapi2zimbra migrating a PST's calendar into the local test server,
# beside pffexport and readpst reading the same file, in the same run. Prints a Markdown table
# (wall seconds, peak RSS from /usr/bin/time) for docs/performance.md.
#   bench/calendar_migration_bench.sh [PST ...]   (default: every PST/OST in shared/testdata/pst)
# Needs a release build: cmake --preset release && cmake --build --preset release
# The client-side rate limit (default 30 requests/s, Zimbra's DoS filter) is off here so that our
# own cost is measured; M2Z_BENCH_RATE_LIMIT=30 measures what a default run against Zimbra does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
shared="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
cli="$root/build/release/tools/mapi2zimbra/mapi2zimbra"
[ -x "$cli" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
repeats="${M2Z_BENCH_REPEATS:-3}"

files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$shared"/testdata/pst/*)

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

tools/zimbra-test-server/make-test-cert.sh "$work" >/dev/null
printf 'bench-secret\n' > "$work/pw"
accounts=()
for i in $(seq 1 $(( ${#files[@]} * repeats ))); do accounts+=(--account "bench$i@test.local"); done
/usr/bin/python3 tools/zimbra-test-server/zimbra_test_server.py --host 127.0.0.1 --port 0 \
  --port-file "$work/port" --tls-cert "$work/test-server.crt" --tls-key "$work/test-server.key" \
  --schemas "$shared/zimbra-schemas/zcs8-2014a" --admin-user admin@test.local --admin-password bench-secret \
  "${accounts[@]}" 2>/dev/null &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

# measure LABEL COMMAND...: median wall seconds and max peak RSS (KiB) over $repeats runs
measure() {
  local label=$1; shift
  local walls=() rss=0
  for r in $(seq 1 "$repeats"); do
    rm -rf "$work/out"; mkdir -p "$work/out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
    # GNU time writes "Command exited with non-zero status N" first when the command fails.
    read -r wall kib < <(tail -n 1 "$work/time")
    walls+=("$wall"); [ "$kib" -gt "$rss" ] && rss=$kib
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$label $median $rss"
}

n=0
echo "| file | size | tool | appointments created | wall s (median of $repeats) | items/s | peak RSS MiB |"
echo "|---|---|---|---|---|---|---|"
for f in "${files[@]}"; do
  name=$(basename "$f"); size=$(du --apparent-size -h "$f" | cut -f1)
  n=$((n + 1))
  # One fresh account per repeat so every run really creates its items.
  count_file="$work/count"
  walls=(); rss=0
  for r in $(seq 1 "$repeats"); do
    account="bench$(( (n - 1) * repeats + r ))@test.local"
    /usr/bin/time -f "%e %M" -o "$work/time" "$cli" migrate --source "$f" --account "$account" \
      --server "https://127.0.0.1:$port/service/admin/soap" --admin-user admin@test.local \
      --admin-password-file "$work/pw" --ca-file "$work/test-server.crt" --audit-dir "$work/audit" \
      --max-requests-per-second "${M2Z_BENCH_RATE_LIMIT:-0}" --no-progress > "$work/summary" 2>&1 || true
    read -r wall kib < <(tail -n 1 "$work/time"); walls+=("$wall"); [ "$kib" -gt "$rss" ] && rss=$kib
    grep -q "all accounted for: yes" "$work/summary" || { echo "migrate failed on $name:" >&2; cat "$work/summary" >&2; exit 1; }
  done
  items=$(awk '/  created:/ {print $2}' "$work/summary")
  median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  rate=$(awk -v i="$items" -v w="$median" 'BEGIN { if (w > 0) printf "%.1f", i / w; else print "-" }')
  echo "| $name | $size | mapi2zimbra migrate (read+normalize+SOAP over TLS) | $items | $median | $rate | $(( rss / 1024 )) |"
  read -r _ wall kib < <(measure pffexport pffexport -m items -f text -q -t "$work/out/x" "$f")
  echo "| $name | $size | pffexport -m items -f text | (all items) | $wall | - | $(( kib / 1024 )) |"
  read -r _ wall kib < <(measure readpst readpst -q -o "$work/out" "$f")
  echo "| $name | $size | readpst | (all items) | $wall | - | $(( kib / 1024 )) |"
done

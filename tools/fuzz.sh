#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with Clang and runs each for SECONDS (default 60),
# seeded with the real PST/OST files of ../shared and the blobs pffexport dumps from them. Seeds
# are copied into a temporary directory at run time, never into the repository. Exits non-zero
# when a target finds a crash, a leak or a hang (the reproducer is left in build/fuzz/artifacts).
# Usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds="${1:-60}"
shared="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
build="$root/build/fuzz"
jobs="${FUZZ_JOBS:-2}"

# tests/fuzz is built inside a small wrapper project, so the fuzz build needs no switch in the
# main CMakeLists and never touches the normal build dirs. Every library is instrumented for
# coverage (fuzzer-no-link); only the fuzz targets link libFuzzer's main.
wrapper="$build/wrapper"
mkdir -p "$wrapper"
cat > "$wrapper/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.25)
project(m2z_fuzz LANGUAGES CXX C)
add_subdirectory("$root" main)
add_subdirectory("$root/tests/fuzz" fuzz)
CMAKE
CC=clang CXX=clang++ cmake -S "$wrapper" -B "$build/out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DM2Z_BUILD_TESTS=OFF -DM2Z_WERROR=OFF -DM2Z_SHARED_DIR="$shared" \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
targets=(fuzz_time_zone_blobs fuzz_global_object_id fuzz_recurrence_blob fuzz_entry_ids fuzz_property_bag fuzz_pst_reader
         readers_ics_fuzz fuzz_rtf_text readers_vcf_fuzz readers_msg_fuzz readers_ews_fuzz readers_exchange_shell_fuzz
         fuzz_rules_stream)
cmake --build "$build/out" -j "$jobs" --target "${targets[@]}"

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
for target in "${targets[@]}"; do mkdir -p "$seeds/$target"; done
for file in "$shared"/testdata/pst/*.pst "$shared"/testdata/pst/*.ost; do
  [ -f "$file" ] && cp "$file" "$seeds/fuzz_pst_reader/"
done
for file in "$shared"/testdata/ics/*.ics "$shared"/testdata/ics/*.txt "$root"/testdata/ics/*.ics; do
  [ -f "$file" ] && cp "$file" "$seeds/readers_ics_fuzz/"
done
for file in "$shared"/testdata/msg/*.msg "$shared"/testdata/msg/*.oft; do
  [ -f "$file" ] && cp "$file" "$seeds/readers_msg_fuzz/"
done
for file in "$shared"/testdata/vcf/*.vcf; do
  [ -f "$file" ] && cp "$file" "$seeds/readers_vcf_fuzz/"
done
for file in "$shared"/testdata/ews/*.xml "$shared"/testdata/ews/*/*.xml "$shared"/testdata/ews/*/*/*.xml \
    "$root"/testdata/exchange-shell/*.ews.xml; do
  [ -f "$file" ] && cp "$file" "$seeds/readers_ews_fuzz/"
done
for file in "$root"/testdata/exchange-shell/*.csv "$root"/testdata/exchange-shell/*.clixml; do
  [ -f "$file" ] && cp "$file" "$seeds/readers_exchange_shell_fuzz/"
done
# Outlook Rules Wizard exports (the PidTagRwRulesStream format) seed the rules-stream target.
n=0
while IFS= read -r -d '' rwz; do
  n=$((n + 1)); cp "$rwz" "$seeds/fuzz_rules_stream/seed$n.rwz"
done < <(find "$shared/testdata/rules/outlookrulesreader-rwz" -name '*.rwz' -print0 2>/dev/null)
# The blob properties of the real files, as pffexport -d dumps them (ItemValues.txt), one seed
# file per value: the entry type they map to decides the target.
if command -v pffexport >/dev/null; then
  mkdir -p "$seeds/export"
  for file in "$seeds"/fuzz_pst_reader/*; do
    pffexport -d -m items -f text -q -t "$seeds/export/$(basename "$file")" "$file" >/dev/null 2>&1 || true
  done
  python3 - "$seeds" <<'PY'
import os, sys
root = sys.argv[1]
# entry type (as mapped) -> target
targets = {0x825E: "fuzz_time_zone_blobs", 0x825F: "fuzz_time_zone_blobs", 0x8260: "fuzz_time_zone_blobs",
           0x8233: "fuzz_time_zone_blobs", 0x0003: "fuzz_global_object_id", 0x0023: "fuzz_global_object_id",
           0x8216: "fuzz_recurrence_blob", 0x8054: "fuzz_entry_ids", 0x8055: "fuzz_entry_ids",
           0x8085: "fuzz_entry_ids", 0x8116: "fuzz_recurrence_blob"}
count = 0
for dirpath, _, files in os.walk(os.path.join(root, "export")):
    if "ItemValues.txt" not in files:
        continue
    entry = mapped = None
    data = bytearray()
    in_value = False
    def flush():
        global count
        key = mapped if mapped is not None else entry
        if key in targets and data:
            count += 1
            with open(os.path.join(root, targets[key], "seed%05d" % count), "wb") as out:
                out.write(bytes(data))
    with open(os.path.join(dirpath, "ItemValues.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Entry type:"):
                flush()
                entry, mapped, data, in_value = int(line.split()[-1], 16), None, bytearray(), False
            elif line.startswith("Maps to entry type:"):
                mapped = int(line.split()[-1], 16)
            elif line.startswith("Value:"):
                in_value = True
            elif in_value and line.startswith("0x") and ":" in line:
                data.extend(int(t, 16) for t in line[12:60].split())
            elif not line.strip():
                in_value = False
        flush()
print(f"{count} blob seed(s) from pffexport dumps")
PY
fi
# The PSTs double as seeds for the property-bag target (arbitrary structured bytes).
cp "$seeds"/fuzz_entry_ids/* "$seeds/fuzz_property_bag/" 2>/dev/null || true
# The real files' RTF bodies, as pffexport decompresses them (Message.rtf), seed the RTF target.
if command -v pffexport >/dev/null; then
  for file in "$seeds"/fuzz_pst_reader/*; do
    pffexport -m items -f rtf -q -t "$seeds/rtf/$(basename "$file")" "$file" >/dev/null 2>&1 || true
  done
  n=0
  while IFS= read -r -d '' rtf; do
    n=$((n + 1)); cp "$rtf" "$seeds/fuzz_rtf_text/seed$n.rtf"
  done < <(find "$seeds/rtf" -name 'Message.rtf' -print0 2>/dev/null)
  echo "$n RTF seed(s) from pffexport"
fi

mkdir -p "$build/artifacts" "$build/corpus"
# libpff 20180714 itself leaks small allocations on some damaged files (e.g. in
# libpff_column_definition_initialize); those are its bugs, not ours, and are bounded per file.
printf 'leak:libpff.so\n' > "$seeds/lsan.supp"
# libolecf 20181231 leaks its tables on some damaged files: see tests/sanitizers/lsan.supp.
cat "$root/tests/sanitizers/lsan.supp" >> "$seeds/lsan.supp"
export LSAN_OPTIONS="suppressions=$seeds/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
failed=0
for target in "${targets[@]}"; do
  corpus="$build/corpus/$target"  # grows across runs; seeds are merged into it each time
  mkdir -p "$corpus"
  echo "== $target (${seconds}s)"
  extra=()
  # One PST read may legitimately take a while; anything slower than this is a hang.
  [ "$target" = fuzz_pst_reader ] && extra=(-max_len=1048576 -timeout=60 -rss_limit_mb=4096)
  if ! TMPDIR="$seeds" "$build/out/fuzz/$target" "$corpus" "$seeds/$target" -max_total_time="$seconds" \
      -artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 ${extra[@]+"${extra[@]}"} \
      > "$build/$target.log" 2>&1; then
    echo "   FAILED: see $build/$target.log and $build/artifacts/"
    tail -20 "$build/$target.log"
    failed=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$build/$target.log" | tail -2 || true
  fi
done
exit "$failed"

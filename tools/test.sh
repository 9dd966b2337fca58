#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: the normal build and its tests, a bounded
# libFuzzer run of every reader's fuzz target (seeded with the real files), then the same tests
# again under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

export M2Z_SHARED_DIR="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
jobs=$(nproc)

run_preset() {
  local preset=$1
  echo "== build ($preset)"
  cmake --preset "$preset" -DM2Z_SHARED_DIR="$M2Z_SHARED_DIR" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== test ($preset)"
  ctest --preset "$preset" -j "$jobs" --timeout 900
}

run_preset dev
# 14 targets share CI's 30-minute budget with two builds and two test runs: 15 s each in CI;
# M2Z_FUZZ_SECONDS (or tools/fuzz.sh SECONDS) runs them longer by hand.
echo "== fuzz (${M2Z_FUZZ_SECONDS:-15} s per target)"
tools/fuzz.sh "${M2Z_FUZZ_SECONDS:-15}"
run_preset asan

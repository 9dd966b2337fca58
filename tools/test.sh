#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: the normal build, then the same tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

export M2Z_SHARED_DIR="${M2Z_SHARED_DIR:-$(cd .. && pwd)/shared}"
jobs=$(nproc)

for preset in dev asan; do
  echo "== build ($preset)"
  cmake --preset "$preset" -DM2Z_SHARED_DIR="$M2Z_SHARED_DIR" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
  echo "== test ($preset)"
  ctest --preset "$preset" -j "$jobs" --timeout 600
done

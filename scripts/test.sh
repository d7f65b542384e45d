#!/bin/sh
# Installs, builds with warnings as errors, and runs every test (units and end-to-end); then the
# whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan), and a short
# libFuzzer run of each fuzz target (scripts/fuzz.sh, build-fuzz). Every stage runs even when an
# earlier one failed, so that one run shows every failure; the exit status is 1 if any failed.
# In each build the end-to-end suite runs twice: as is (e2e.*) and with every optimisation off
# (e2e-plain.*, tests/CMakeLists.txt). A test that exits 77 shows as skipped, not passed. The
# tests that run the tool as nobody run once more from a copy in a private directory, as from a
# clone below /root (scripts/e2e-private-dir.sh).
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)
failed=""
stage() {
  echo "==== $(date -u +%H:%M:%S) test.sh: $*"
}
fail() {
  echo "==== test.sh: FAILED: $*" >&2
  failed="$failed
  $*"
}

stage "installing dependencies, with the tests' own (chromium)"
sh scripts/install-deps.sh --test

stage "layers: every include of src/ points down (scripts/check-layers.sh)"
sh scripts/check-layers.sh || fail "layering (an include points up: see src/README.md)"

stage "build: configure and build (-Werror)"
if cmake -S . -B build -DHEATMAP_MERGE_WERROR=ON >/dev/null && cmake --build build -j"$jobs"; then
  stage "build: unit and end-to-end tests"
  ctest --test-dir build --output-on-failure -j"$jobs" || fail "tests (build)"
  stage "build: the tests that run the tool as nobody, from a private (mode 700) directory"
  sh scripts/e2e-private-dir.sh build || fail "tests as nobody from a private directory (build)"
else
  fail "build (build)"
fi

# The end-to-end tests run the instrumented binary, so the sanitizers see the real tool.
stage "build-asan: configure and build (ASan + UBSan, -Werror)"
if cmake -S . -B build-asan -DHEATMAP_MERGE_SANITIZE=ON -DHEATMAP_MERGE_WERROR=ON >/dev/null &&
   cmake --build build-asan -j"$jobs"; then
  stage "build-asan: unit and end-to-end tests under ASan + UBSan"
  # The power-cut matrix checks the file protocol (flushes, renames), which the build above runs;
  # under ASan it takes over 10 minutes.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" -E '^power[.]quick$' ||
    fail "tests under ASan + UBSan (build-asan)"
  stage "build-asan: the tests that run the tool as nobody, from a private (mode 700) directory"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    sh scripts/e2e-private-dir.sh build-asan ||
    fail "tests as nobody from a private directory (build-asan)"
else
  fail "build (build-asan)"
fi

stage "fuzz: 20 s per target (build-fuzz)"
sh scripts/fuzz.sh 20 || fail "fuzzing (build-fuzz)"

if [ -n "$failed" ]; then
  echo "==== $(date -u +%H:%M:%S) test.sh: FAILED:$failed" >&2
  exit 1
fi
stage "all passed"

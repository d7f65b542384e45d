#!/bin/sh
# Usage: scripts/fuzz.sh [SECONDS]
# Builds the libFuzzer targets (clang, ASan + UBSan, library instrumented too) in build-fuzz and
# runs each for SECONDS (default 20) on a copy of the seed corpus of testdata/fuzz (testdata/ is
# never written). Fails on any crash, hang, leak, sanitizer report or unexpected exception; the
# input that caused it is saved in build-fuzz/findings/. Replay one with
#   build-fuzz/tests/fuzz_open build-fuzz/findings/crash-...
# The corpus grows in build-fuzz/corpus/ across local runs.
set -eu
seconds=${1:-20}
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${JOBS:-$(nproc)}

echo "== fuzz: configuring and building $build (clang++, -fsanitize=fuzzer,address,undefined)"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DHEATMAP_MERGE_FUZZ=ON >/dev/null
cmake --build "$build" -j"$jobs" --target fuzz_timestamp fuzz_open fuzz_shared_pages fuzz_page_scan

corpus=$build/corpus
findings=$build/findings
mkdir -p "$corpus/timestamp" "$corpus/open" "$corpus/shared_pages" "$corpus/page_scan" "$findings" \
  "$build/fuzz-tmp"
rm -rf "${findings:?}"/* "$build/fuzz-tmp"/*
cp testdata/fuzz/timestamp/* "$corpus/timestamp/"
sh testdata/fuzz/make-open-seeds.sh "$corpus/open"
# fuzz_shared_pages' seeds: its valid file itself, and a twin that has gone its own way since.
rm -f "$corpus/shared_pages/valid" "$corpus/shared_pages/changed"
sqlite3 "$corpus/shared_pages/valid" < testdata/fuzz/shared_pages/valid.sql
cp "$corpus/shared_pages/valid" "$corpus/shared_pages/changed"
sqlite3 "$corpus/shared_pages/changed" \
  "UPDATE t SET v = -1 WHERE id = 500; DELETE FROM t WHERE id = 900; INSERT INTO t(pad) VALUES ('z')"
# fuzz_page_scan's seeds: a click database with every kind of row the page scan treats apart, and
# the same file VACUUMed.
rm -f "$corpus/page_scan/valid" "$corpus/page_scan/vacuumed"
sqlite3 "$corpus/page_scan/valid" < testdata/fuzz/page_scan/valid.sql
sqlite3 "$corpus/page_scan/valid" "VACUUM INTO '$corpus/page_scan/vacuumed'"

# libFuzzer itself checks for leaks at the end of each input (detect_leaks); abort_on_error
# makes any report a crash that libFuzzer saves.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# fuzz_open's scratch directory (its fixture primary and the fuzzed file); FUZZ_BUILD_DIR may be
# absolute.
case $build in
  /*) export TMPDIR="$build/fuzz-tmp" ;;
  *) export TMPDIR="$PWD/$build/fuzz-tmp" ;;
esac

status=0
for target in timestamp open shared_pages page_scan; do
  echo "== fuzz: fuzz_$target for ${seconds}s"
  # -max_len: timestamps are short; databases may grow well past the seeds' 2.5 KiB (fuzz_open),
  # 71 KiB (fuzz_shared_pages) and 14 KiB (fuzz_page_scan).
  case $target in
    timestamp) max_len=128 ;;
    shared_pages) max_len=98304 ;;
    page_scan) max_len=32768 ;;
    *) max_len=16384 ;;
  esac
  # -timeout: an input that takes 10 s is a hang, a finding.
  if ! "$build/tests/fuzz_$target" "$corpus/$target" \
      -max_total_time="$seconds" -timeout=10 -max_len="$max_len" -rss_limit_mb=2048 \
      -artifact_prefix="$findings/$target-" -print_final_stats=1 \
      >"$build/fuzz_$target.log" 2>&1; then
    status=1
    echo "== fuzz: fuzz_$target FAILED; the end of $build/fuzz_$target.log:" >&2
    tail -n 60 "$build/fuzz_$target.log" >&2
    echo "== fuzz: fuzz_$target FAILED; the finding:" >&2
    grep -E "^(fuzz_$target: |  |.*runtime error|==[0-9]+==ERROR|SUMMARY|artifact_prefix)" \
      "$build/fuzz_$target.log" | grep -vE '^ +#[0-9]+ ' | head -n 20 >&2 || true
  else
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::new_units_added)' \
      "$build/fuzz_$target.log" || true
  fi
done
if [ "$status" -ne 0 ]; then
  echo "== fuzz: FAILED (inputs in $findings)" >&2
  exit 1
fi
echo "== fuzz: no findings"

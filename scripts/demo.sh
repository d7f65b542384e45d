#!/bin/sh
# Installs, builds, and merges the sample replicas in testdata/ (a dry run, then the real run).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
sh testdata/make-fixtures.sh testdata/build
build/heatmap-merge --dry-run --window 2s testdata/build/primary.db testdata/build/secondary.db
build/heatmap-merge --force --window 2s -o testdata/build/merged.db \
  testdata/build/primary.db testdata/build/secondary.db

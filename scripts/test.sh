#!/bin/sh
# Installs, builds with warnings as errors, and runs every test (units and end-to-end).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DHEATMAP_MERGE_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"

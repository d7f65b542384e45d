#!/bin/sh
# Installs what heatmap-merge needs to build and test, from Debian 12's packages. Run as root.
# libclang-rt-14-dev is only a recommendation of clang: it holds libFuzzer and the sanitizer
# runtimes that scripts/fuzz.sh links.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  cmake make g++ clang pkg-config ca-certificates \
  libsqlitecpp-dev libsqlite3-dev libcli11-dev libfmt-dev doctest-dev nlohmann-json3-dev \
  libxxhash-dev sqlite3 mandoc libclang-rt-14-dev dpkg-dev file util-linux time >/dev/null

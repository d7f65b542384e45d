#!/bin/sh
# Installs what heatmap-merge needs to build and test, from Debian 12's packages. Run as root.
# libclang-rt-14-dev is only a recommendation of clang: it holds libFuzzer and the sanitizer
# runtimes that scripts/fuzz.sh links.
# --test also installs what only the tests need (scripts/test.sh): chromium, about 40 s, for
# tests/e2e/report/html_chromium.sh; its dependencies bring a font (fonts-dejavu-core). cron
# (crontab), systemd (systemd-analyze) and lintian check the examples and the package
# (tests/e2e/install/examples_*.sh, package_lintian.sh); bash-completion and zsh, the completions
# (install/completion_*.sh); jq reads the JSON error object (report/json_error_*.sh). python3 runs
# the differential fuzzer (tests/difffuzz, CTest's difffuzz.quick).
set -eu
export DEBIAN_FRONTEND=noninteractive
test_packages=""
case "${1-}" in
  --test) test_packages="chromium cron systemd lintian bash-completion zsh jq" ;;
  "") ;;
  *) echo "usage: install-deps.sh [--test]" >&2; exit 64 ;;
esac
apt-get update -qq
# shellcheck disable=SC2086 # test_packages is a list of words
apt-get install -y -qq --no-install-recommends \
  cmake make g++ clang pkg-config ca-certificates \
  libsqlitecpp-dev libsqlite3-dev libcli11-dev libfmt-dev doctest-dev nlohmann-json3-dev \
  libxxhash-dev libtomlplusplus-dev sqlite3 mandoc libclang-rt-14-dev dpkg-dev file util-linux time python3 \
  $test_packages >/dev/null

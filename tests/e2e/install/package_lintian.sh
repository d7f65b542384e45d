# The package made by cpack -G DEB is one Debian would take: lintian reports no error and no
# warning (pedantic tags too), its control fields are what the Debian policy asks for, and the
# binary links the shared libsqlite3.so.0, which the package depends on, so that Debian's security
# updates of SQLite reach the tool. An override would have to be listed, with its reason, in a
# lintian-overrides file installed with the package.
. "$(dirname "$0")/../common.inc"
command -v lintian >/dev/null 2>&1 ||
  skip "lintian is not installed (scripts/install-deps.sh --test)"
cpack -G DEB -B "$t/package" --config "$BUILD_DIR/CPackConfig.cmake" > cpack.log 2>&1 ||
  { cat cpack.log >&2; exit 1; }
deb=$(ls package/heatmap-merge_*.deb)
# refuse PATTERN FILE WHAT: fails when PATTERN (an ERE) matches a line of FILE.
refuse() {
  if grep -qE "$1" "$2"; then
    echo "$3:" >&2
    grep -E "$1" "$2" >&2
    exit 1
  fi
}

# Errors and warnings fail; info and pedantic tags are shown, since they may be worth a look.
status=0
lintian --fail-on error,warning --pedantic --display-info "$deb" > lintian.log 2>&1 || status=$?
cat lintian.log >&2
refuse '^[EW]: ' lintian.log "lintian reports errors or warnings"
assert_eq 0 "$status" "lintian's exit status"

# An override, if one is ever needed, says why on the comment line above it.
mkdir root
dpkg-deb -x "$deb" root
overrides=root/usr/share/lintian/overrides/heatmap-merge
if [ -e "$overrides" ]; then
  awk '/^[^#]/ && previous !~ /^#/ { print "override without a reason: " $0; bad = 1 }
       { previous = $0 } END { exit bad }' "$overrides" >&2
fi

# The control fields that lintian reported before issue 16.
dpkg-deb -f "$deb" Maintainer > maintainer
refuse '@localhost' maintainer "the maintainer's address is not a real one"
dpkg-deb -f "$deb" Description > description
test "$(wc -l < description)" -ge 5 || { echo "no extended description" >&2; exit 1; }
# CPack escapes some characters of the description as XML entities: keep them out of it.
refuse '&[a-z]+;' description "the description holds XML entities"

# The changelog is for the version packaged, compressed with gzip -9n (no name, no time).
doc=root/usr/share/doc/heatmap-merge
gzip -t "$doc/changelog.gz"
gzip -dc "$doc/changelog.gz" > changelog
assert_eq "$(dpkg-deb -f "$deb" Version)" "$(dpkg-parsechangelog -l changelog -S Version)" \
  "the changelog's latest version"
assert_eq "$(dpkg-deb -f "$deb" Version)" \
  "$(dpkg-parsechangelog -l "$SOURCE_DIR/packaging/changelog" -S Version)" "packaging/changelog"
head -1 "$SOURCE_DIR/LICENSE" | grep -q 'MIT License'
grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
  "$doc/copyright"
grep -q '^Copyright: 2026 the heatmap-merge developers' "$doc/copyright"

# SQLite is a shared library, and a dependency of the package.
readelf -d root/usr/bin/heatmap-merge > dynamic
grep -q 'NEEDED.*\[libsqlite3\.so\.0\]' dynamic ||
  { echo "the binary does not link libsqlite3.so.0 (HEATMAP_MERGE_STATIC_SQLITE=ON?)" >&2; exit 1; }
ldd root/usr/bin/heatmap-merge | grep -q 'libsqlite3\.so\.0 => /'
# No copy of SQLite inside: its entry points are imported, not defined.
nm -D --defined-only root/usr/bin/heatmap-merge > defined || true
refuse ' sqlite3_open_v2$' defined "the binary holds a copy of SQLite"
dpkg-deb -f "$deb" Depends | grep -q 'libsqlite3-0' ||
  { echo "Depends lacks libsqlite3-0: $(dpkg-deb -f "$deb" Depends)" >&2; exit 1; }

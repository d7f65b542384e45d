# cmake --install puts the binary and the man page in place, and cpack -G DEB builds a Debian
# package that holds both and depends on the shared libraries the binary links.
. "$(dirname "$0")/common.inc"
cmake --install "$BUILD_DIR" --prefix "$t/prefix" > /dev/null
test -x prefix/bin/heatmap-merge
test -s prefix/share/man/man1/heatmap-merge.1
prefix/bin/heatmap-merge --version | grep -q '^heatmap-merge [0-9]'
cpack -G DEB -B "$t/package" --config "$BUILD_DIR/CPackConfig.cmake" > cpack.log
deb=$(ls package/heatmap-merge_*.deb)
dpkg-deb -c "$deb" > contents
grep -q ' ./usr/bin/heatmap-merge$' contents
grep -q ' ./usr/share/man/man1/heatmap-merge.1' contents
depends=$(dpkg-deb -f "$deb" Depends)
libraries="libfmt9 libc6"
# SQLite is linked statically by default (HEATMAP_MERGE_STATIC_SQLITE); a shared one is a dependency.
if readelf -d prefix/bin/heatmap-merge | grep -q 'NEEDED.*libsqlite3'; then
  libraries="$libraries libsqlite3-0"
fi
for library in $libraries; do
  echo "$depends" | grep -q "$library" || { echo "Depends lacks $library: $depends" >&2; exit 1; }
done

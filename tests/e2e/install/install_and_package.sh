# cmake --install puts the binary, the man pages (gzip -9n), the shell completions, the examples,
# the copyright file and the changelog in place, and cpack -G DEB builds a Debian package that
# holds the same files and depends on the shared libraries the binary links.
. "$(dirname "$0")/../common.inc"
cmake --install "$BUILD_DIR" --prefix "$t/prefix" > /dev/null
test -x prefix/bin/heatmap-merge
prefix/bin/heatmap-merge --version | grep -q '^heatmap-merge [0-9]'
# What the prefix must hold, relative to it: every man page of man/, compressed.
{
  echo bin/heatmap-merge
  for page in "$SOURCE_DIR"/man/*.[1-9]; do
    name=$(basename "$page")
    echo "share/man/man${name##*.}/$name.gz"
  done
  echo share/bash-completion/completions/heatmap-merge
  echo share/zsh/vendor-completions/_heatmap-merge
  echo share/doc/heatmap-merge/copyright
  echo share/doc/heatmap-merge/changelog.gz
  for example in cron toml service timer; do
    echo "share/doc/heatmap-merge/examples/heatmap-merge.$example"
  done
} > expected
test "$(grep -c '^share/man/' expected)" -ge 1
while read -r file; do
  test -s "prefix/$file" || { echo "cmake --install does not install $file" >&2; exit 1; }
done < expected
for page in "$SOURCE_DIR"/man/*.[1-9]; do
  name=$(basename "$page")
  gzip -dc "prefix/share/man/man${name##*.}/$name.gz" | cmp - "$page"
done
cmp prefix/share/bash-completion/completions/heatmap-merge \
  "$SOURCE_DIR/completions/heatmap-merge.bash"
cmp prefix/share/zsh/vendor-completions/_heatmap-merge "$SOURCE_DIR/completions/_heatmap-merge"
for example in "$SOURCE_DIR"/examples/*; do
  cmp "prefix/share/doc/heatmap-merge/examples/$(basename "$example")" "$example"
done

cpack -G DEB -B "$t/package" --config "$BUILD_DIR/CPackConfig.cmake" > cpack.log 2>&1 ||
  { cat cpack.log >&2; exit 1; }
deb=$(ls package/heatmap-merge_*.deb)
dpkg-deb -c "$deb" > contents
while read -r file; do
  grep -q " ./usr/$file\$" contents || { echo "the package lacks /usr/$file" >&2; exit 1; }
done < expected
# gzip -9n: no name and no time in the header, so that two builds give the same package.
mkdir root
dpkg-deb -x "$deb" root
for gz in root/usr/share/man/man*/*.gz root/usr/share/doc/heatmap-merge/changelog.gz; do
  assert_eq 00000000 "$(od -An -tx1 -j4 -N4 "$gz" | tr -d ' ')" "mtime in $gz"
  gzip -dc "$gz" | gzip -9n | cmp - "$gz"
done
depends=$(dpkg-deb -f "$deb" Depends)
for library in libfmt9 libc6 libsqlite3-0; do
  echo "$depends" | grep -q "$library" || { echo "Depends lacks $library: $depends" >&2; exit 1; }
done

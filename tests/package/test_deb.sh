#!/usr/bin/env bash
# The Debian package (packaging/install.cmake): cpack builds it from this build tree, dpkg -x
# installs it into a temporary root, and the installed `mandala` indexes, searches and serves from
# there, from a folder outside the source tree, with the build tree hidden when the kernel allows
# a private mount namespace. Then its data folder is renamed and every command must exit with
# status 2 naming the missing file. lintian, when installed, must report no error.
# Usage: test_deb.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$tmp/pkg" > "$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; fail "cpack"; }
deb=$(ls "$tmp"/pkg/mandala_*.deb)
info=$(dpkg-deb -I "$deb")
echo "$info" | sed -n '/Package:/,$p'
depends=$(echo "$info" | sed -n 's/^ Depends: //p')
for dep in libxapian libicu libpoco libsqlite3 libpoppler-cpp libxml2 wamerican wbritish; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
dpkg-deb -c "$deb" > "$tmp/contents"
grep -q './usr/share/man/man1/mandala.1.gz' "$tmp/contents" || fail "no man page in the package"
dpkg -x "$deb" "$tmp/root"

# A corpus of our own, written here.
mkdir -p "$tmp/work/corpus"
cat > "$tmp/work/corpus/field-note.md" <<'DOC'
# Field note on the ceasefire monitors

## Patrols

The monitors patrolled the buffer zone every week and reported each violation of the ceasefire to
the joint commission, which met in the capital to settle disputes between the parties.

## Disarmament

Former fighters handed in their weapons at three cantonment sites; the disarmament, demobilization
and reintegration programme then offered them training and a small allowance.
DOC

mandala=$tmp/root/usr/bin/mandala
# A clean environment: nothing points at the source or build tree.
run() { (cd "$tmp/work" && env -i PATH=/usr/bin:/bin HOME="$tmp/work" "$mandala" "$@"); }
src_dir=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
hide='mount -t tmpfs none "$1" && mount -t tmpfs none "$2"'
if unshare --mount bash -c "$hide" hide "$build" "$src_dir" 2> /dev/null; then
  run() {
    (cd "$tmp/work" && unshare --mount bash -c "$hide"' && shift 2 && exec env -i PATH=/usr/bin:/bin HOME="$PWD" "$@"' \
      hide "$build" "$src_dir" "$mandala" "$@")
  }
  echo "the build and source trees are hidden while the installed program runs"
fi

run --version | grep -q '^mandala ' || fail "--version"
run index --corpus corpus --db db --quiet
out=$(run search "ceasefire violations" --db db)
echo "$out" | grep -qi "buffer zone" || fail "search found nothing: $out"
out=$(run search "DDR" --db db --json)
echo "$out" | grep -q "cantonment" || fail "acronym search: $out"
run serve --help | grep -q -- "--search-cache-mb" || fail "serve --help"
run config | grep -q "paths.data_dir .*/usr/share/mandala" || fail "config does not show the installed data folder"

# The data folder renamed: every command stops with status 2 and names the missing file.
mv "$tmp/root/usr/share/mandala" "$tmp/root/usr/share/mandala-moved"
commands=("index --corpus corpus --db db2" "stats --db db" "export --db db" "outline field-note --db db"
          "tag peacekeeping" "search ceasefire --db db" "related field-note#1 --db db" "trace ceasefire --db db"
          "lineage UNMIL --db db" "xref acronym DDR --db db" "entities --db db"
          "eval tagging --gold gold.jsonl --db db" "serve --db db --port 0" "config")
for c in "${commands[@]}"; do
  set +e
  # shellcheck disable=SC2086
  err=$(run $c 2>&1 >/dev/null)
  status=$?
  set -e
  [ "$status" -eq 2 ] || fail "mandala $c exited with $status, not 2: $err"
  [[ $err == *"missing data file"*"/usr/share/mandala/"* ]] || fail "mandala $c did not name the missing file: $err"
done
echo "with the data folder missing, ${#commands[@]} commands exit with status 2 naming the file"

if command -v lintian > /dev/null; then
  lintian --no-tag-display-limit "$deb" > "$tmp/lintian.log" 2>&1 || true
  cat "$tmp/lintian.log"
  if grep -q '^E:' "$tmp/lintian.log"; then fail "lintian reports errors"; fi
fi
echo "ok"

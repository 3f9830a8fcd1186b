#!/usr/bin/env bash
# The setup scripts say what they are doing. scripts/install-deps, run with
# fake dpkg-query/apt-get that report every package missing, prints what it
# installs and a line per package, and fails when apt-get fails;
# scripts/with-postgres, started from a directory the postgres user cannot
# read, prints no "could not change directory" (as root, with a server).
# Usage: scripts_test.sh SOURCE_DIR WORK_DIR
set -uo pipefail
source_dir="$1"; work="$2"
rm -rf "$work" && mkdir -p "$work/bin" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

cat >"$work/bin/dpkg-query" <<'FAKE'
#!/bin/sh
exit 1
FAKE
cat >"$work/bin/apt-get" <<'FAKE'
#!/bin/sh
case "$*" in
  *update*) echo "Hit:1 http://deb.example bookworm InRelease"; echo "Reading package lists...";;
  *install*)
    echo "Reading package lists..."; echo "Need to get 12.3 MB of archives."
    echo "Get:1 http://deb.example bookworm/main amd64 cmake amd64 3.25 [1 kB]"
    echo "Setting up cmake (3.25) ..."; echo "Setting up librsvg2-bin (2.54) ..."
    [ -n "${FAKE_APT_FAIL:-}" ] && { echo "E: Unable to locate package nope" >&2; exit 100; }
    ;;
esac
exit 0
FAKE
cat >"$work/bin/sudo" <<'FAKE'
#!/bin/sh
exec "$@"
FAKE
chmod +x "$work/bin/"*

output="$(PATH="$work/bin:$PATH" bash "$source_dir/scripts/install-deps" 2>&1)"; status=$?
[ "$status" -eq 0 ] || fail "install-deps exited $status: $output"
for wanted in "package(s) to install: build-essential" "refreshing the package lists" \
  "Need to get 12.3 MB" "Setting up cmake" "Setting up librsvg2-bin" "install-deps: done"; do
  grep -qF -- "$wanted" <<<"$output" || fail "install-deps does not say '$wanted': $output"
done
grep -qF "Get:1" <<<"$output" && fail "install-deps prints every download line: $output"

output="$(FAKE_APT_FAIL=1 PATH="$work/bin:$PATH" bash "$source_dir/scripts/install-deps" 2>&1)"
status=$?
[ "$status" -ne 0 ] || fail "install-deps exited 0 although apt-get failed: $output"
grep -qF "Unable to locate package" <<<"$output" || fail "apt-get's error is hidden: $output"

if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 &&
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  mkdir -p "$work/private" && chmod 700 "$work/private"
  output="$(cd "$work/private" && bash "$source_dir/scripts/with-postgres" pwd 2>&1)"; status=$?
  [ "$status" -eq 0 ] || fail "with-postgres exited $status: $output"
  grep -qF "could not change directory" <<<"$output" && fail "with-postgres: $output"
  grep -qxF "$work/private" <<<"$output" || fail "the command did not run where it was started: $output"
else
  echo "scripts_test: with-postgres check skipped (needs root, a postgres user and the server)"
fi

echo "scripts_test: $failures failure(s)"
[ "$failures" -eq 0 ]

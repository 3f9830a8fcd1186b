#!/usr/bin/env bash
# Installs the cli component of a built tree into a scratch prefix, then runs
# the installed highseas from the PATH, away from the build tree: its help, and
# a pool on a fresh SQLite file.
# Usage: install_test.sh CMAKE BUILD_DIR CONFIG PREFIX
set -euo pipefail
cmake="$1"; build="$2"; config="$3"; prefix="$4"
rm -rf "$prefix" && mkdir -p "$prefix"
"$cmake" --install "$build" --prefix "$prefix" --component cli ${config:+--config "$config"}

if [ ! -x "$prefix/bin/highseas" ]; then
  echo "FAIL: no executable $prefix/bin/highseas after installing the cli component"; exit 1
fi
export PATH="$prefix/bin:$PATH"
[ "$(command -v highseas)" = "$prefix/bin/highseas" ] || { echo "FAIL: highseas is not on the PATH"; exit 1; }

cd "$prefix"
help="$(highseas --help)"
grep -qF "customer public pool" <<<"$help" || { echo "FAIL: highseas --help says:"; echo "$help"; exit 1; }
highseas --db pool.db --as boss init --cap 5
highseas --db pool.db --as boss member set li pool_user
highseas --db pool.db --as boss member list | grep -q "pool_user" ||
  { echo "FAIL: the installed highseas lost the member it added"; exit 1; }
echo "cli_install: $prefix/bin/highseas works"

#!/usr/bin/env bash
# While a strict import holds the SQLite write lock, another highseas process
# that writes says why it waits and, when it gives up (--wait), says the pool
# is busy importing, by whom and how far; a notice left by a killed import is
# ignored. Usage: busy_import_test.sh HIGHSEAS_BINARY WORK_DIR
set -uo pipefail
bin="$1"; work="$2"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# wait_for_notice [PATTERN]: up to 10 s for the import's notice to appear
# (and to contain PATTERN).
wait_for_notice() {
  for _ in $(seq 100); do
    grep -qE "${1:-.}" highseas.db.importing 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

"$bin" --as boss init >/dev/null || fail "init"
"$bin" --as boss member set admin pool_admin >/dev/null || fail "member admin"
"$bin" --as boss member set li pool_user >/dev/null || fail "member li"
printf 'id,name\nX1,First\nX2,Second\n' > small.csv
"$bin" --as admin import small.csv >/dev/null || fail "small import"
# Large enough that the import holds the lock for seconds (about 4 s in a
# Debug build), small enough to keep the test short.
awk 'BEGIN { print "id,name,country"; for (i = 0; i < 40000; i++) printf "M%d,Name %d,BR\n", i, i }' > big.csv

# 1. A claim during a strict import gives up after --wait and says why.
"$bin" --as admin import --strict big.csv > import.out 2>&1 &
importer=$!
# Rows read: the import is inside its transaction, holding the lock.
wait_for_notice '"rows_read":[1-9]' || fail "no import notice with rows read appeared"
output="$("$bin" --as li --wait 1 claim X1 2>&1)"; status=$?
[ "$status" -eq 3 ] || fail "claim during the import: exit $status (want 3): $output"
grep -qF "highseas: note: the pool is busy importing (started by admin at" <<<"$output" ||
  fail "no waiting note: $output"
grep -qE "the pool is busy importing \(started by admin at [0-9]{2}:[0-9]{2} UTC, [0-9]+% read\); try again when it finishes" <<<"$output" ||
  fail "no busy message: $output"
wait "$importer" || fail "the strict import failed: $(cat import.out)"
grep -qF "imported 40000 of 40000 rows" import.out || fail "import: $(cat import.out)"
[ ! -e highseas.db.importing ] || fail "the notice outlived the import"
output="$("$bin" --as li --wait 1 claim X1 2>&1)" || fail "claim after the import: $output"
grep -qF "busy" <<<"$output" && fail "claim after the import still mentions the import: $output"

# 2. A notice left by a killed import is ignored: nobody holds the lock.
sed 's/^M/K/' big.csv > big2.csv
"$bin" --as admin import --strict big2.csv > killed.out 2>&1 &
importer=$!
wait_for_notice || fail "no import notice appeared for the second import"
kill -9 "$importer"; wait "$importer" 2>/dev/null
[ -e highseas.db.importing ] || fail "the killed import left no notice (test needs one)"
output="$("$bin" --as li --wait 1 claim X2 2>&1)"; status=$?
[ "$status" -eq 0 ] || fail "claim after a killed import: exit $status: $output"
grep -qF "busy" <<<"$output" && fail "a stale notice was believed: $output"
output="$("$bin" --as boss show K0 2>&1)"; status=$?
[ "$status" -eq 1 ] || fail "the killed import left rows behind: $output"

echo "busy_import: $failures failure(s)"
[ "$failures" -eq 0 ]

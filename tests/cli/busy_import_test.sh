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
# Far more rows than the test waits for: the import is killed once it has
# shown what it must, so the test takes seconds whatever the build's speed.
awk 'BEGIN { print "id,name,country"; for (i = 0; i < 400000; i++) printf "M%d,Name %d,BR\n", i, i }' > big.csv

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

# 2. Killed, the import leaves its notice behind, which is then ignored: its
# process is gone, and so is the lock.
kill -9 "$importer"; wait "$importer" 2>/dev/null
[ -e highseas.db.importing ] || fail "the killed import left no notice (the test needs one)"
output="$("$bin" --as li --wait 1 claim X1 2>&1)"; status=$?
[ "$status" -eq 0 ] || fail "claim after a killed import: exit $status: $output"
grep -qF "busy" <<<"$output" && fail "a stale notice was believed: $output"
output="$("$bin" --as boss show M0 2>&1)"; status=$?
[ "$status" -eq 1 ] || fail "the killed import left rows behind: $output"

# 3. A strict import that ends, committed or refused, takes its notice away.
head -n 2001 big.csv > done.csv
output="$("$bin" --as admin import --strict done.csv 2>&1)" || fail "strict import: $output"
grep -qF "imported 2000 of 2000 rows" <<<"$output" || fail "strict import: $output"
[ ! -e highseas.db.importing ] || fail "the notice outlived a committed import"
output="$("$bin" --as admin import --strict done.csv 2>&1)"; status=$?
[ "$status" -eq 1 ] || fail "a strict import of known rows: exit $status (want 1): $output"
[ ! -e highseas.db.importing ] || fail "the notice outlived a refused import"

echo "busy_import: $failures failure(s)"
[ "$failures" -eq 0 ]

#!/usr/bin/env bash
# The highseas program over a real SQLite file: a short scripted session,
# checking output and exit codes, then the demo's determinism on SQLite.
# Usage: end_to_end.sh HIGHSEAS_BINARY WORK_DIR DATA_DIR
set -uo pipefail
bin="$1"; work="$2"; data="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect STATUS PATTERN -- ARGS...: runs highseas ARGS, checks its exit status
# and that stdout+stderr contain PATTERN.
expect() {
  local status="$1" pattern="$2"; shift 3
  local output actual
  output="$("$bin" --now "${NOW:-2026-03-02T09:00:00Z}" "$@" 2>&1)"; actual=$?
  if [ "$actual" -ne "$status" ] || ! grep -qF -- "$pattern" <<<"$output"; then
    echo "FAIL: highseas $* -> exit $actual (want $status), output:"; echo "$output"
    echo "  (wanted to see: $pattern)"
    failures=$((failures + 1))
  fi
}

expect 0 "created pool 'default' in ./highseas.db; boss: boss" -- --as boss init --cap 5
expect 1 "refused: pool_exists" -- --as boss init
expect 0 "li is now pool_user" -- --as boss member set li pool_user
expect 0 "imported 3 of 3 rows" -- --as boss import "$data/customers_gbk.csv"
expect 0 "3     name    contains a control character" -- --as boss import "$data/customers_tricky.csv"
expect 0 "上海进出口贸易有限公司" -- --as li list --country CN
expect 2 "--country must be an ISO 3166-1 alpha-2 code such as BR, not 'Brazil'" -- --as li list --country Brazil
expect 0 "claimed G001 held by li until 2026-04-01T09:00:00Z (30d 0h left)" -- --as li claim G001
expect 1 "refused: already_held" -- --as li claim G001
NOW=2026-03-30T09:00:00Z expect 0 "!  G001" -- --as li mine
NOW=2026-03-30T09:00:00Z expect 0 "2d 0h left" -- --as li show G001
NOW=2026-04-02T09:00:00Z expect 0 "returned 1 holding(s)" -- --as boss sweep
NOW=2026-04-02T10:00:00Z expect 1 "refused: cooldown" -- --as li claim G001
expect 0 "\"imported\": 0" -- --as boss import "$data/customers_gbk.csv" --json
expect 2 "Usage" -- --as boss claim
expect 2 "--as USER is required" -- report
# The data outlived each process: the history shows the whole story.
NOW=2026-04-03T09:00:00Z expect 0 "returned" -- --as boss history G001

# The demo on SQLite: same seed, same summary (the timing line aside).
"$bin" demo --days 20 --customers 300 --seed 5 --db a-demo.db | grep -v '(.* s)' > a.txt || failures=$((failures + 1))
"$bin" demo --days 20 --customers 300 --seed 5 --db b-demo.db | grep -v '(.* s)' > b.txt || failures=$((failures + 1))
sed -i 's/a-demo/X-demo/g' a.txt; sed -i 's/b-demo/X-demo/g' b.txt
if ! cmp -s a.txt b.txt; then echo "FAIL: the demo differs between two runs"; diff a.txt b.txt; failures=$((failures + 1)); fi
grep -q "Per rep over the quarter" a.txt || { echo "FAIL: no demo summary"; failures=$((failures + 1)); }
[ -s a-demo.svg ] || { echo "FAIL: no chart next to the database"; failures=$((failures + 1)); }
expect 3 "exists" -- demo --db highseas.db   # never overwrites a real database

echo "end_to_end: $failures failure(s)"
[ "$failures" -eq 0 ]

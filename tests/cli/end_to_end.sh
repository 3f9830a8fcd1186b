#!/usr/bin/env bash
# The highseas program over a real SQLite file: a short scripted session,
# checking output and exit codes, then the demo's determinism on SQLite.
# Usage: end_to_end.sh HIGHSEAS_BINARY WORK_DIR DATA_DIR
set -uo pipefail
bin="$1"; work="$2"; data="$3"
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0

# expect STATUS PATTERN -- ARGS...: runs highseas ARGS, checks its exit status
# and that stdout+stderr contain PATTERN. With NOW set, runs it --now NOW
# (read-only commands: the pool as of that time). Writes run on the real clock.
expect() {
  local status="$1" pattern="$2"; shift 3
  local output actual
  output="$("$bin" ${NOW:+--now "$NOW"} "$@" 2>&1)"; actual=$?
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
# 30 days end at the end of the 30th day after today (the pool counts in UTC).
expect 0 "claimed G001 held by li until $(date -u -d '+31 days' +%F)T00:00:00Z" -- --as li claim G001
expect 1 "refused: already_held" -- --as li claim G001
# Looking ahead (read-only): two days before the deadline, the holding is urgent.
NOW="$(date -u -d '+28 days' +%FT%TZ)" expect 0 "!  G001" -- --as li mine
NOW="$(date -u -d '+28 days' +%FT%TZ)" expect 0 "left" -- --as li show G001
# Writing in the past or the future is refused, from the flag or a leftover variable.
expect 2 "'win' changes the pool and always runs on the real clock" -- --as li --now 2026-01-01 win G001
HIGHSEAS_NOW=2026-01-01 expect 2 "Unset HIGHSEAS_NOW" -- --as li release G001
expect 0 "state            held" -- --as li show G001
# A holding that returns on the real clock: 2 s holdings, then the sweep.
expect 0 "2s" -- --as boss policy --holding-period 2s --cooldown 1d
expect 0 "claimed G002 held by li" -- --as li claim G002
sleep 3
expect 0 "returned 1 holding(s)" -- --as boss sweep
expect 1 "refused: cooldown" -- --as li claim G002
expect 0 "\"imported\": 0" -- --as boss import "$data/customers_gbk.csv" --json
expect 2 "Usage" -- --as boss claim
expect 2 "--as USER is required" -- report
# The data outlived each process: the history shows the whole story.
expect 0 "returned" -- --as boss history G002

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

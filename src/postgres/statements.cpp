#include "statements.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "codec.hpp"
#include "highseas/claim_policy.hpp"
#include "highseas/name_key.hpp"
#include "highseas/storage.hpp"
#include "pq.hpp"
#include "sql/columns.hpp"
#include "sql/values.hpp"

namespace highseas::pg {

namespace {

// The columns of a CustomerRecord: the shared ones (src/sql/columns.hpp).
constexpr std::string_view kRecord = sql::kRecordColumns;
// The columns of a CustomerProfile, in the order read_profile expects.
constexpr std::string_view kProfile = "id, name, country, level, tags";

// Replaces every "@." in `sql` with the quoted schema and a dot.
std::string in_schema(std::string_view sql, const std::string& schema) {
  std::string out;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '@' && i + 1 < sql.size() && sql[i + 1] == '.') {
      out += schema;
      continue;
    }
    out += sql[i];
  }
  return out;
}

std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out += part;
  return out;
}

// Returns `values` as a PostgreSQL text[] literal, for unnest($1::text[]):
// each element double-quoted with its quotes and backslashes escaped, so any
// text survives (text cannot hold NUL).
std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const std::string& value : values) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (const char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// 2 -> 3: recomputes name_key for every customer row with today's name_key
// (SQL cannot call utf8proc), 1000 rows per read in primary-key order; each
// batch's changed keys are written by one UPDATE. Runs inside the migration's
// transaction, with the version bump.
void rekey_customers(Connection& connection, const std::string& quoted) {
  constexpr int kBatch = 1000;
  const std::string columns = "SELECT pool, id, name, name_key FROM " + quoted + ".customers ";
  const std::string first = columns + "ORDER BY pool, id LIMIT " + std::to_string(kBatch);
  const std::string next =
      columns + "WHERE (pool, id) > ($1, $2) ORDER BY pool, id LIMIT " + std::to_string(kBatch);
  const std::string update = "UPDATE " + quoted +
                             ".customers AS c SET name_key = v.name_key "
                             "FROM unnest($1::text[], $2::text[], $3::text[]) AS v(pool, id, "
                             "name_key) WHERE c.pool = v.pool AND c.id = v.id";
  std::string after_pool;
  std::string after_id;
  for (bool more = true, started = false; more; started = true) {
    const Rows rows = started ? connection.run_once(next, Params().add(after_pool).add(after_id))
                              : connection.run_once(first, Params());
    std::vector<std::string> pools;
    std::vector<std::string> ids;
    std::vector<std::string> keys;
    for (int row = 0; row < rows.size(); ++row) {
      std::string key = name_key(rows.text(row, 2));
      if (key != rows.text(row, 3)) {
        pools.emplace_back(rows.text(row, 0));
        ids.emplace_back(rows.text(row, 1));
        keys.push_back(std::move(key));
      }
    }
    if (rows.size() > 0) {
      after_pool = std::string(rows.text(rows.size() - 1, 0));
      after_id = std::string(rows.text(rows.size() - 1, 1));
    }
    more = rows.size() == kBatch;
    if (!keys.empty()) {
      connection.run_once(
          update, Params().add(text_array(pools)).add(text_array(ids)).add(text_array(keys)));
    }
  }
}

// Writes, for each pool, the span text of the microseconds in column
// `from` to column `to` (both of table pools, names from this file only;
// SQL has no span codec). A length the text cannot carry exactly (below a
// second, or a count of seconds over a million) stops the migration, naming
// the pool: rounding it would change when holdings end without anyone
// deciding so.
void copy_durations_to_spans(Connection& connection, const std::string& quoted,
                             const std::string& from, const std::string& to) {
  const Rows rows =
      connection.run_once("SELECT pool, " + from + " FROM " + quoted + ".pools", Params());
  const std::string update = "UPDATE " + quoted + ".pools SET " + to + " = $2 WHERE pool = $1";
  for (int row = 0; row < rows.size(); ++row) {
    const std::string pool(rows.text(row, 0));
    std::string where = "postgres: schema ";
    where.append(quoted).append(", pool '").append(pool).append("'");
    // Why the span cannot be set, after "column pools.<from> ".
    auto cannot_set = [&](std::string_view why) {
      std::string problem = where;
      problem.append(": column pools.").append(from).append(" ").append(why);
      problem.append(", so ").append(to).append(" cannot be set");
      return StorageError(problem);
    };
    if (rows.null(row, 1)) throw cannot_set("is NULL");
    const Duration length = sql::decode_duration(decode_int(rows.text(row, 1)));
    if (length.is_special()) throw cannot_set("is not a finite length");
    connection.run_once(
        update, Params().add(pool).add(sql::encode_span(Span::time(length), where, "pools." + to)));
  }
}

// 3 -> 4: writes each pool's default_period from its holding_period_us.
void write_default_periods(Connection& connection, const std::string& quoted) {
  copy_durations_to_spans(connection, quoted, "holding_period_us", "default_period");
}

// 6 -> 7: writes each pool's extension_span from its extension_us.
void write_extension_spans(Connection& connection, const std::string& quoted) {
  copy_durations_to_spans(connection, quoted, "extension_us", "extension_span");
}

// Returns the text of the value at (row, column), nothing for NULL.
std::optional<std::string> optional_text(const Rows& rows, int row, int column) {
  if (rows.null(row, column)) return std::nullopt;
  return std::string(rows.text(row, column));
}

// 4 -> 5: writes every held customer's period_length: the holding period its
// pool's current policy (default_period and level_rules, as of version 4)
// gives its level, ClaimPolicy::rule_for (SQL has no span or level-rule
// codec). One UPDATE per (pool, level) of the held customers. A held
// customer without a pool row keeps "0d": no policy names its period.
void write_period_lengths(Connection& connection, const std::string& quoted) {
  const Rows pools = connection.run_once(
      "SELECT pool, default_period, level_rules FROM " + quoted + ".pools ORDER BY pool", Params());
  const std::string levels = "SELECT DISTINCT level FROM " + quoted +
                             ".customers WHERE pool = $1 AND state = 'held' ORDER BY level";
  const std::string update = "UPDATE " + quoted +
                             ".customers SET period_length = $3 WHERE pool = $1 AND "
                             "state = 'held' AND level = $2";
  for (int row = 0; row < pools.size(); ++row) {
    const std::string pool(pools.text(row, 0));
    std::string where = "postgres: schema ";
    where.append(quoted).append(", pool '").append(pool).append("'");
    ClaimPolicy policy;
    policy.default_rule.holding_period =
        sql::decode_span(optional_text(pools, row, 1), where, "pools.default_period");
    policy.levels =
        sql::decode_level_rules(optional_text(pools, row, 2), where, "pools.level_rules");
    const Rows held = connection.run_once(levels, Params().add(pool));
    for (int level = 0; level < held.size(); ++level) {
      const std::string name(held.text(level, 0));
      connection.run_once(
          update, Params().add(pool).add(name).add(sql::encode_span(
                      policy.rule_for(name).holding_period, where, "customers.period_length")));
    }
  }
}

// Returns "column = $n, ..." for every record column, bound in
// sql::kRecordColumns order from parameter `first`.
std::string record_assignments(int first) {
  std::string out;
  std::string_view columns = sql::kRecordColumns;
  for (int number = first; !columns.empty(); ++number) {
    const std::size_t comma = columns.find(", ");
    if (!out.empty()) out += ", ";
    out += std::string(columns.substr(0, comma)) + " = $" + std::to_string(number);
    columns = comma == std::string_view::npos ? std::string_view() : columns.substr(comma + 2);
  }
  return out;
}

// Returns "$first, $first+1, ..." for `count` parameters.
std::string parameters(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
  }
  return out;
}

// Migration step N brings the schema from version N to N + 1: SQL, then C++
// for what SQL cannot compute.
struct Step {
  std::string_view sql;                                             // "" for none
  void (*code)(Connection& connection, const std::string& quoted);  // nullptr for none
};

const std::array<Step, kSchemaVersion> kMigrations = {{
    {R"sql(
CREATE TABLE @.pools (
  pool text COLLATE "C" PRIMARY KEY,
  enabled boolean NOT NULL,
  holding_period_us bigint NOT NULL,
  max_holdings bigint NOT NULL,
  extension_us bigint NOT NULL,
  max_extensions bigint NOT NULL,
  cooldown_us bigint NOT NULL,
  created_at_us bigint,
  paused_since_us bigint
);
CREATE TABLE @.members (
  pool text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  role text NOT NULL,
  PRIMARY KEY (pool, user_id)
);
CREATE TABLE @.customers (
  pool text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  country text NOT NULL,
  level text NOT NULL,
  tags text NOT NULL,
  name_key text COLLATE "C" NOT NULL,
  state text NOT NULL,
  holder text COLLATE "C",
  since_us bigint,
  deadline_us bigint,
  extensions_used bigint NOT NULL,
  last_follow_up_us bigint,
  cooldown_user text COLLATE "C",
  cooldown_until_us bigint,
  PRIMARY KEY (pool, id)
);
CREATE INDEX customers_due ON @.customers (pool, deadline_us, id) WHERE state = 'held';
CREATE INDEX customers_holder ON @.customers (pool, holder) WHERE state = 'held';
CREATE INDEX customers_available ON @.customers (pool, id) WHERE state = 'available';
CREATE INDEX customers_name_key ON @.customers (pool, name_key);
CREATE TABLE @.holding_counts (
  pool text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  held bigint NOT NULL,
  PRIMARY KEY (pool, user_id)
);
CREATE TABLE @.history (
  pool text COLLATE "C" NOT NULL,
  customer_id text COLLATE "C" NOT NULL,
  seq bigint GENERATED ALWAYS AS IDENTITY,
  at_us bigint,
  kind text NOT NULL,
  actor text COLLATE "C",
  holder_before text COLLATE "C",
  holder_after text COLLATE "C",
  deadline_us bigint,
  note text NOT NULL,
  PRIMARY KEY (pool, customer_id, seq)
);
)sql",
     nullptr},
    // 1 -> 2: the same column names and value mapping as SQLite (src/sql):
    // instants without the _us suffix, NULL for a not_a_date_time duration;
    // customers keep their insertion order (seq) so the first customer given a
    // name key wins, as in every storage; the win kind gets its own column
    // (HistoryEntry::win), filled for old entries from the note that carried it.
    {R"sql(
ALTER TABLE @.customers RENAME COLUMN since_us TO since;
ALTER TABLE @.customers RENAME COLUMN deadline_us TO deadline;
ALTER TABLE @.customers RENAME COLUMN last_follow_up_us TO last_follow_up;
ALTER TABLE @.customers RENAME COLUMN cooldown_until_us TO cooldown_until;
ALTER TABLE @.customers ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE @.history RENAME COLUMN at_us TO at;
ALTER TABLE @.history RENAME COLUMN deadline_us TO deadline;
ALTER TABLE @.history ADD COLUMN win text;
UPDATE @.history SET win = note
  WHERE kind = 'won' AND note IN ('contract_signed', 'payment_received');
ALTER TABLE @.pools ALTER COLUMN holding_period_us DROP NOT NULL,
  ALTER COLUMN extension_us DROP NOT NULL, ALTER COLUMN cooldown_us DROP NOT NULL;
)sql",
     nullptr},
    // 2 -> 3: name keys become NFKC + case folded with utf8proc (name_key.hpp);
    // the keys stored before kept non-ASCII case and combining marks apart.
    {"", rekey_customers},
    // 3 -> 4: return rules (issue 16), as SQLite's 5 -> 6. A pool's policy
    // gains a default rule (holding period and idle limit as span text, e.g.
    // "30d", "7d"), level rules ("A=60d/14d,B=30d"), protection and a
    // version; default_period replaces holding_period_us, which stays unread.
    // A held customer keeps its deadline as the holding period's, under policy
    // version 1, with no idle limit or protection; history rows written
    // before have no deadline reason and version 0.
    {R"sql(
ALTER TABLE @.pools ADD COLUMN default_period text,
  ADD COLUMN default_idle_limit text,
  ADD COLUMN level_rules text NOT NULL DEFAULT '',
  ADD COLUMN protection_max bigint NOT NULL DEFAULT 0,
  ADD COLUMN protection_longest text NOT NULL DEFAULT '30d',
  ADD COLUMN policy_version bigint NOT NULL DEFAULT 1;
ALTER TABLE @.customers ADD COLUMN deadline_reason text NOT NULL DEFAULT 'period',
  ADD COLUMN period_deadline bigint,
  ADD COLUMN idle_limit text,
  ADD COLUMN idle_deadline bigint,
  ADD COLUMN protected_until bigint,
  ADD COLUMN policy_version bigint NOT NULL DEFAULT 0;
UPDATE @.customers SET period_deadline = deadline, policy_version = 1 WHERE state = 'held';
ALTER TABLE @.history ADD COLUMN deadline_reason text,
  ADD COLUMN policy_version bigint NOT NULL DEFAULT 0;
)sql",
     write_default_periods},
    // 4 -> 5: policy changes that reach running holdings, as SQLite's 6 -> 7.
    // A customer keeps the length of the holding period it runs under (span
    // text, "0d" when not held, as a fresh write stores a zero span); a held
    // customer gets the period its pool's current policy gives its level
    // (C++). A pool's current policy took effect at policy_since, taken to be
    // its creation. History kinds are stored by name with no CHECK, so
    // rules_changed needs no change.
    {R"sql(
ALTER TABLE @.customers ADD COLUMN period_length text NOT NULL DEFAULT '0d';
ALTER TABLE @.pools ADD COLUMN policy_since bigint;
UPDATE @.pools SET policy_since = created_at_us;
)sql",
     write_period_lengths},
    // 5 -> 6: a pool's time zone, how it counts years its calendar does not
    // know, and work calendars, as SQLite's 7 -> 8;
    // pools made before count in UTC, as they always did, and have no
    // calendar (version 0).
    {R"sql(
ALTER TABLE @.pools ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
  ADD COLUMN calendar_version bigint NOT NULL DEFAULT 0,
  ADD COLUMN unknown_years text NOT NULL DEFAULT 'refuse';
CREATE TABLE @.calendars (
  pool text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  since bigint,
  by_user text COLLATE "C" NOT NULL,
  weekend bigint NOT NULL,
  years text NOT NULL,
  days text NOT NULL,
  PRIMARY KEY (pool, version)
);
)sql",
     nullptr},
    // 6 -> 7: an extension may count business days, as SQLite's 8 -> 9: it
    // is stored as span text in extension_span, and extension_us stays unread.
    {R"sql(
ALTER TABLE @.pools ADD COLUMN extension_span text;
)sql",
     write_extension_spans},
    // 7 -> 8: reminders before a holding returns (issue 18), as SQLite's
    // 9 -> 10. A rule's reminders are text ("7d:holder;3d:admins"): the
    // default rule's in default_reminders, a level's inside level_rules
    // ("A=60d@3d:holder"), which needs no change. A holding keeps the list it
    // runs under, when its next one is due (NULL: none left) and which were
    // sent; holdings from before have none. The reminder sweep reads a range
    // of customers_reminder_due, as the return sweep reads customers_due: it
    // costs the reminders due, never a scan of the holdings.
    {R"sql(
ALTER TABLE @.pools ADD COLUMN default_reminders text NOT NULL DEFAULT '';
ALTER TABLE @.customers ADD COLUMN reminders text NOT NULL DEFAULT '',
  ADD COLUMN reminder_due bigint,
  ADD COLUMN reminders_sent bigint NOT NULL DEFAULT 0;
CREATE INDEX customers_reminder_due ON @.customers (pool, reminder_due, id)
  WHERE state = 'held' AND reminder_due IS NOT NULL;
)sql",
     nullptr},
    // 8 -> 9: every giver-back keeps their own wait, a release has a cooldown
    // of its own, and a pool may limit the takes per day.
    //
    // customers.cooldowns holds the list as sql::encode_cooldowns writes it
    // ("user" chr(31) "microseconds of its end", entries joined by chr(30);
    // '' for none, never NULL), so the set-based return (Sql::return_due) can
    // append with ||. A customer in cooldown before keeps that one wait, ended
    // or not (the next command that changes it drops the ended ones, as for
    // every record). cooldown_user and cooldown_until are dropped, not left
    // unread: nothing writes them from now on, so they would only go stale and
    // mislead whoever reads the table, and an older library refuses this
    // schema anyway (it is newer). Dropping a column only edits the catalog.
    //
    // pools.release_cooldown_us (microseconds, NULL for not_a_date_time, as
    // cooldown_us) starts as each pool's reclaim cooldown, which a release
    // used until now; daily_limit is the limit's text (to_string(DailyLimit),
    // '' for none, never NULL): pools made before have none.
    //
    // daily_takes keeps one row per (pool, user): what the user took on the
    // last day they took under a limit, replaced on each take, so it never
    // grows past a day of takes. A table of its own rather than columns of
    // members: a tally outlives a membership change (a rep removed and added
    // back the same day still counts the morning's takes), is written by every
    // counted take and by nothing else, and never touches the member rows a
    // role check locks. Its day is ISO text, its levels
    // "LEVEL=claims/assignments" joined by commas (sql::encode_level_takes).
    {R"sql(
ALTER TABLE @.customers ADD COLUMN cooldowns text NOT NULL DEFAULT '';
UPDATE @.customers SET cooldowns = cooldown_user || chr(31) || cooldown_until::text
  WHERE cooldown_user IS NOT NULL AND cooldown_until IS NOT NULL;
ALTER TABLE @.customers DROP COLUMN cooldown_user, DROP COLUMN cooldown_until;
ALTER TABLE @.pools ADD COLUMN release_cooldown_us bigint,
  ADD COLUMN daily_limit text NOT NULL DEFAULT '';
UPDATE @.pools SET release_cooldown_us = cooldown_us;
CREATE TABLE @.daily_takes (
  pool text COLLATE "C" NOT NULL,
  user_id text COLLATE "C" NOT NULL,
  day text NOT NULL,
  claims bigint NOT NULL,
  assignments bigint NOT NULL,
  levels text NOT NULL,
  PRIMARY KEY (pool, user_id)
);
)sql",
     nullptr},
}};

}  // namespace

Statements::Statements(const std::string& schema) {
  auto set = [&](Sql which, std::string_view sql) {
    text_[static_cast<std::size_t>(which)] = in_schema(sql, schema);
  };
  // The pool's policy: spans and level rules as text (src/sql/values.hpp);
  // default_period replaced holding_period_us in version 4, extension_span
  // extension_us in version 7; the default rule's reminders came in version 8,
  // the release cooldown (cooldown_us is the reclaim cooldown) and the daily
  // limit in version 9.
  constexpr std::string_view pool_columns =
      "enabled, default_period, max_holdings, extension_span, max_extensions, cooldown_us, "
      "created_at_us, paused_since_us, default_idle_limit, level_rules, protection_max, "
      "protection_longest, policy_version, policy_since, time_zone, calendar_version, "
      "unknown_years, default_reminders, release_cooldown_us, daily_limit";
  set(Sql::find_pool, cat({"SELECT ", pool_columns, " FROM @.pools WHERE pool = $1"}));
  set(Sql::update_pool,
      "UPDATE @.pools SET enabled = $2, default_period = $3, max_holdings = $4, "
      "extension_span = $5, max_extensions = $6, cooldown_us = $7, created_at_us = $8, "
      "paused_since_us = $9, default_idle_limit = $10, level_rules = $11, protection_max = $12, "
      "protection_longest = $13, policy_version = $14, policy_since = $15, time_zone = $16, "
      "calendar_version = $17, unknown_years = $18, default_reminders = $19, "
      "release_cooldown_us = $20, daily_limit = $21 WHERE pool = $1");
  set(Sql::insert_pool,
      cat({"INSERT INTO @.pools (pool, ", pool_columns, ") VALUES (", parameters(1, 21), ")"}));
  set(Sql::find_calendar,
      "SELECT since, by_user, weekend, years, days FROM @.calendars WHERE pool = $1 AND "
      "version = $2");
  set(Sql::add_calendar,
      "INSERT INTO @.calendars (pool, version, since, by_user, weekend, years, days) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)");
  set(Sql::find_member, "SELECT role FROM @.members WHERE pool = $1 AND user_id = $2");
  // KEY SHARE: a concurrent remove_member waits for us; role changes do not.
  set(Sql::find_member_locked,
      "SELECT role FROM @.members WHERE pool = $1 AND user_id = $2 FOR KEY SHARE");
  set(Sql::put_member,
      "INSERT INTO @.members (pool, user_id, role) VALUES ($1, $2, $3) "
      "ON CONFLICT (pool, user_id) DO UPDATE SET role = EXCLUDED.role");
  set(Sql::erase_member, "DELETE FROM @.members WHERE pool = $1 AND user_id = $2");
  set(Sql::list_members, "SELECT user_id, role FROM @.members WHERE pool = $1 ORDER BY user_id");
  set(Sql::find_customer,
      cat({"SELECT ", kRecord, " FROM @.customers WHERE pool = $1 AND id = $2"}));
  set(Sql::find_customer_locked,
      cat({"SELECT ", kRecord, " FROM @.customers WHERE pool = $1 AND id = $2 FOR UPDATE"}));
  set(Sql::find_profile,
      cat({"SELECT ", kProfile, " FROM @.customers WHERE pool = $1 AND id = $2"}));
  set(Sql::find_by_name_key,
      "SELECT id FROM @.customers WHERE pool = $1 AND name_key = $2 ORDER BY seq LIMIT 1");
  // Two writers looking up the same name queue here, so the second sees the
  // first's new customer and reports the collision (撞单) instead of a twin.
  set(Sql::lock_name_key,
      "SELECT pg_advisory_xact_lock(hashtextextended($1::text || chr(31) || $2::text, 0))");
  set(Sql::insert_customer,
      cat({"INSERT INTO @.customers (pool, ", kProfile, ", name_key, ", kRecord, ") VALUES (",
           parameters(1, 7 + sql::kRecordColumnCount), ")"}));
  // Returns the previous holder and state, to keep the per-user counters exact.
  set(Sql::update_customer,
      cat({"UPDATE @.customers c SET ", record_assignments(3),
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement split over lines
           " FROM (SELECT state, holder FROM @.customers WHERE pool = $1 AND id = $2 FOR UPDATE) "
           "old WHERE c.pool = $1 AND c.id = $2 RETURNING old.state, old.holder"}));
  // For a row this transaction already locked: its previous state is known.
  set(Sql::update_locked_customer,
      cat({"UPDATE @.customers SET ", record_assignments(3), " WHERE pool = $1 AND id = $2"}));
  set(Sql::count_customers, "SELECT count(*) FROM @.customers WHERE pool = $1 AND state = $2");
  set(Sql::count_holdings, "SELECT held FROM @.holding_counts WHERE pool = $1 AND user_id = $2");
  // The user's holdings (customers_holder) not due at $3: the counter cannot
  // tell deadlines apart, so the rows are counted, no more than the user's.
  set(Sql::count_holdings_not_due,
      "SELECT count(*) FROM @.customers WHERE pool = $1 AND state = 'held' AND holder = $2 "
      "AND deadline > $3::bigint");
  // Creates the counter row if needed and locks it: concurrent takers of the
  // same user queue here, so the cap cannot be exceeded by write skew.
  set(Sql::lock_holdings_counter,
      "INSERT INTO @.holding_counts AS h (pool, user_id, held) VALUES ($1, $2, 0) "
      "ON CONFLICT (pool, user_id) DO UPDATE SET held = h.held RETURNING h.held");
  set(Sql::add_to_counter,
      "INSERT INTO @.holding_counts AS h (pool, user_id, held) VALUES ($1, $2, $3) "
      "ON CONFLICT (pool, user_id) DO UPDATE SET held = h.held + EXCLUDED.held");
  const std::string holdings = cat({"SELECT ", kProfile, ", ", kRecord,
                                    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
                                    " FROM @.customers WHERE pool = $1 AND state = 'held' AND "
                                    "holder = $2 ORDER BY deadline, id"});
  set(Sql::list_holdings, holdings);
  set(Sql::list_holdings_locked, holdings + " FOR UPDATE");
  // A user's tally (Transaction::find_daily_takes): a writer locks the user's
  // counter row first (lock_holdings_counter), which orders every take of
  // that user, so a plain read here sees the last one committed.
  set(Sql::find_daily_takes,
      "SELECT day, claims, assignments, levels FROM @.daily_takes WHERE pool = $1 AND "
      "user_id = $2");
  set(Sql::put_daily_takes,
      "INSERT INTO @.daily_takes (pool, user_id, day, claims, assignments, levels) "
      "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (pool, user_id) DO UPDATE SET "
      "day = EXCLUDED.day, claims = EXCLUDED.claims, assignments = EXCLUDED.assignments, "
      "levels = EXCLUDED.levels");
  const std::string due = cat({"SELECT id, ", kRecord,
                               " FROM @.customers WHERE pool = $1 AND state = 'held' AND "
                               "deadline <= $2 ORDER BY deadline, id LIMIT $3"});
  set(Sql::list_due, due);
  // A range of customers_due, from behind the position ($3, $4) to $2.
  set(Sql::list_by_deadline,
      cat({"SELECT ", kProfile, ", ", kRecord,
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement split over lines
           " FROM @.customers WHERE pool = $1 AND state = 'held' AND "
           "(deadline, id) > ($3::bigint, $4) AND deadline <= $2::bigint "
           "ORDER BY deadline, id LIMIT $5"}));
  // SKIP LOCKED: sweepers on several nodes take disjoint batches, never waiting.
  set(Sql::list_due_locked, due + " FOR UPDATE SKIP LOCKED");
  // A range of customers_reminder_due up to $2 (the comparison implies the
  // index's reminder_due IS NOT NULL). Locked, SKIP LOCKED as list_due_locked:
  // two reminder sweeps take disjoint batches, so each reminder is sent once.
  const std::string reminders_due =
      cat({"SELECT id, ", kRecord,
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement split over lines
           " FROM @.customers WHERE pool = $1 AND state = 'held' AND "
           "reminder_due <= $2::bigint ORDER BY reminder_due, id LIMIT $3"});
  set(Sql::list_reminders_due, reminders_due);
  set(Sql::list_reminders_due_locked, reminders_due + " FOR UPDATE SKIP LOCKED");
  // A take needing the places of its taker's due holdings. SKIP LOCKED: a
  // sweep that locked one of them waits for the taker's counter row, which
  // the take already holds; waiting here would close that circle.
  set(Sql::list_due_holdings_locked,
      cat({"SELECT id, ", kRecord,
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement split over lines
           " FROM @.customers WHERE pool = $1 AND state = 'held' AND holder = $2 AND "
           "deadline <= $3 ORDER BY deadline, id FOR UPDATE SKIP LOCKED"}));
  // A whole sweep batch in one statement: lock the due rows as list_due_locked
  // does (SKIP LOCKED, so two sweepers never return the same holding), give
  // them back, append their history, and answer with the rows as they were.
  // $4..$8 and $9 are what DueReturn writes for every row; from the row itself
  // come the previous holder (holder_before, and the user of the cooldown
  // appended to the row's cooldowns; a row without one keeps its cooldowns as
  // they are), its deadline, the moment it is given back (since, the history
  // entry's time, and the cooldown's start: it ends $9 microseconds later; an
  // infinite deadline stays itself, as ptime arithmetic keeps it), and the
  // holding's deadline reason and policy version, which its history entry
  // keeps. The appended cooldown is exactly what sql::encode_cooldowns writes
  // for it: chr(30) before it unless the list was empty, then the user,
  // chr(31) and its end in microseconds, as DueReturn::returned appends it
  // (never merged with an earlier wait of the same user). $10..$15 are the
  // other history columns; $16..$25 clear what only a holding has: its
  // clocks, its period length and its reminders. A row updated in this statement is seen by
  // nothing else in it, so `due` carries the old values through to the answer.
  // MATERIALIZED (PostgreSQL 12+): the locking scan, LIMIT and all, is never folded into the
  // UPDATE's join.
  set(Sql::return_due,
      cat({"WITH due AS MATERIALIZED (", due,
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): one statement split over lines
           " FOR UPDATE SKIP LOCKED), "
           "moved AS (UPDATE @.customers c SET state = $4::text, holder = $5::text, "
           "since = due.deadline, deadline = $6::bigint, extensions_used = $7::bigint, "
           "last_follow_up = $8::bigint, cooldowns = CASE WHEN due.holder IS NULL "
           "THEN c.cooldowns ELSE c.cooldowns || CASE WHEN c.cooldowns = '' THEN '' "
           "ELSE chr(30) END || due.holder || chr(31) || (CASE WHEN due.deadline > "
           "-9223372036854775808 AND due.deadline < 9223372036854775807 "
           "THEN due.deadline + $9::bigint ELSE due.deadline END)::text END, "
           "deadline_reason = $16::text, period_deadline = $17::bigint, "
           "idle_limit = $18::text, idle_deadline = $19::bigint, protected_until = $20::bigint, "
           "policy_version = $21::bigint, period_length = $22::text, reminders = $23::text, "
           "reminder_due = $24::bigint, reminders_sent = $25::bigint "
           "FROM due WHERE c.pool = $1 AND c.id = due.id RETURNING due.*), "
           "logged AS (INSERT INTO @.history (pool, customer_id, ",
           sql::kHistoryColumns,
           // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): as above
           ") SELECT $1, id, deadline, $10::text, $11::text, holder, $12::text, $13::bigint, "
           "$14::text, $15::text, deadline_reason, policy_version FROM moved "
           "ORDER BY deadline, id) "
           "SELECT id, ",
           kRecord, " FROM moved ORDER BY deadline, id"}));
  // A page by id: $2..$4 the filter ('' for none), $5 the cursor, $6 the limit.
  constexpr std::string_view page =
      " AND ($2::text = '' OR country = $2::text) AND ($3::text = '' OR level = $3::text) "
      "AND ($4::text = '' OR $4::text = ANY (string_to_array(tags, chr(31)))) "
      "AND ($5::text IS NULL OR id > $5::text) ORDER BY id LIMIT $6";
  set(Sql::list_available,
      cat({"SELECT ", kProfile, ", ", kRecord,
           " FROM @.customers WHERE pool = $1 AND state = 'available'", page}));
  // The same page over the due holdings (deadline <= $7): a range of
  // customers_due, sorted by id, so what it costs is the due rows.
  set(Sql::list_overdue,
      cat({"SELECT ", kProfile, ", ", kRecord,
           " FROM @.customers WHERE pool = $1 AND state = 'held' AND deadline <= $7::bigint",
           page}));
  // Every clock of a holding moves; NULL (not_a_date_time) and the infinite
  // sentinels stay as they are, as ptime arithmetic keeps them.
  auto shifted = [](const std::string& column) {
    return column + " = CASE WHEN " + column + " > -9223372036854775808 AND " + column +
           " < 9223372036854775807 THEN " + column + " + $2::bigint ELSE " + column + " END";
  };
  set(Sql::shift_deadlines, "UPDATE @.customers SET " + shifted("deadline") + ", " +
                                shifted("period_deadline") + ", " + shifted("idle_deadline") +
                                ", " + shifted("protected_until") + ", " + shifted("reminder_due") +
                                " WHERE pool = $1 AND state = 'held'");
  set(Sql::append_history, cat({"INSERT INTO @.history (pool, customer_id, ", sql::kHistoryColumns,
                                ") VALUES (", parameters(1, 2 + sql::kHistoryColumnCount), ")"}));
  set(Sql::list_history,
      cat({"SELECT ", sql::kHistoryColumns,
           " FROM @.history WHERE pool = $1 AND customer_id = $2 ORDER BY seq"}));
  // $2, $3: the position to continue behind ('' and 0 from the start: ids are
  // never empty); the row comparison walks the primary key in order.
  set(Sql::list_pool_history,
      cat({"SELECT customer_id, seq, ", sql::kHistoryColumns,
           " FROM @.history WHERE pool = $1 AND (customer_id, seq) > ($2::text, $3::bigint) "
           "ORDER BY customer_id, seq LIMIT $4"}));
}

void migrate(Connection& connection, const std::string& schema, int target_version) {
  const std::string quoted = connection.quote_identifier(schema);
  connection.exec("BEGIN", Failure::fatal);
  try {
    // One migrator at a time per schema name, before the schema even exists.
    connection.run_once("SELECT pg_advisory_xact_lock(hashtext($1))",
                        Params().add("highseas:" + schema));
    connection.exec(("CREATE SCHEMA IF NOT EXISTS " + quoted).c_str(), Failure::fatal);
    connection.exec(
        ("CREATE TABLE IF NOT EXISTS " + quoted + ".schema_version (version integer NOT NULL)")
            .c_str(),
        Failure::fatal);
    const Rows rows = connection.exec(
        ("SELECT max(version) FROM " + quoted + ".schema_version").c_str(), Failure::fatal);
    const int current = rows.null(0, 0) ? 0 : std::stoi(std::string(rows.text(0, 0)));
    if (current > target_version) {
      throw StorageError("postgres: schema '" + schema + "' is at version " +
                         std::to_string(current) + ", newer than this library (" +
                         std::to_string(target_version) + ")");
    }
    for (int step = current; step < target_version; ++step) {
      const Step& next = kMigrations[static_cast<std::size_t>(step)];
      if (!next.sql.empty()) connection.exec(in_schema(next.sql, quoted).c_str(), Failure::fatal);
      if (next.code != nullptr) next.code(connection, quoted);
    }
    if (current != target_version) {
      connection.exec(("DELETE FROM " + quoted + ".schema_version").c_str(), Failure::fatal);
      connection.run_once("INSERT INTO " + quoted + ".schema_version (version) VALUES ($1)",
                          Params().add(static_cast<long long>(target_version)));
    }
    connection.exec("COMMIT", Failure::fatal);
  } catch (...) {
    try {
      if (connection.healthy()) connection.exec("ROLLBACK", Failure::fatal);
    } catch (const StorageError&) {
      // The original error is the one worth reporting.
    }
    throw;
  }
}

}  // namespace highseas::pg

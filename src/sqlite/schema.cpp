#include "schema.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/name_key.hpp"
#include "highseas/storage.hpp"
#include "sql/values.hpp"
#include "sqlite_handle.hpp"

namespace highseas::sqlite_detail {

namespace {

// Migration step N takes a file from version N to N + 1: SQL, or C++ for
// what SQL cannot compute. Never edit a step that has shipped: add a new one
// and bump SqliteStorage::kSchemaVersion.
struct Step {
  const char* sql;                                     // run first, unless nullptr
  void (*code)(sqlite3* db, const std::string& path);  // then this, unless nullptr
};

void rekey_customers(sqlite3* db, const std::string& path);
void write_default_periods(sqlite3* db, const std::string& path);
void write_extension_spans(sqlite3* db, const std::string& path);
void write_period_lengths(sqlite3* db, const std::string& path);
[[noreturn]] void refuse_file(const std::string& path, const std::string& problem);

constexpr std::array<Step, 11> kSteps{{
    // 0 -> 1: the tables, with a pool column in each so one file holds many
    // pools, and the indexes the rules need on every command. History is
    // clustered by customer (WITHOUT ROWID), so appending writes one b-tree.
    {R"sql(
CREATE TABLE pools (
  pool TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  holding_period INTEGER,
  max_holdings INTEGER NOT NULL,
  extension INTEGER,
  max_extensions INTEGER NOT NULL,
  reclaim_cooldown INTEGER,
  created_at INTEGER,
  paused_since INTEGER
) WITHOUT ROWID;
CREATE TABLE members (
  pool TEXT NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (pool, user)
) WITHOUT ROWID;
CREATE TABLE customers (
  pool TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  country TEXT NOT NULL,
  level TEXT NOT NULL,
  tags TEXT NOT NULL,
  name_key TEXT NOT NULL,
  state INTEGER NOT NULL,
  holder TEXT,
  since INTEGER,
  deadline INTEGER,
  extensions_used INTEGER NOT NULL,
  last_follow_up INTEGER,
  cooldown_user TEXT,
  cooldown_until INTEGER,
  UNIQUE (pool, id)
);
CREATE TABLE customer_tags (
  pool TEXT NOT NULL,
  tag TEXT NOT NULL,
  customer TEXT NOT NULL,
  PRIMARY KEY (pool, tag, customer)
) WITHOUT ROWID;
CREATE TABLE history (
  pool TEXT NOT NULL,
  customer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER,
  kind TEXT NOT NULL,
  actor TEXT,
  holder_before TEXT,
  holder_after TEXT,
  deadline INTEGER,
  note TEXT NOT NULL,
  PRIMARY KEY (pool, customer, seq)
) WITHOUT ROWID;
CREATE INDEX holdings_by_deadline ON customers (pool, deadline, id) WHERE state = 1;
CREATE INDEX holdings_by_user ON customers (pool, holder, deadline, id) WHERE state = 1;
)sql",
     nullptr},
    // 1 -> 2: indexes for paging available customers and for the
    // duplicate-name check of imports. Every claim moves a row out of each
    // available_* index (each costs a page write per commit), so there are
    // two: by id (carrying country and level, so a level-only filter is
    // checked in the index) and by country, level, id.
    {R"sql(
CREATE INDEX available_by_id ON customers (pool, id, country, level) WHERE state = 0;
CREATE INDEX available_by_country ON customers (pool, country, level, id) WHERE state = 0;
CREATE INDEX customers_by_name_key ON customers (pool, name_key) WHERE name_key <> '';
)sql",
     nullptr},
    // 2 -> 3: the win kind gets its own column (HistoryEntry::win); entries
    // written before carried it in the note, which stays as it was.
    {R"sql(
ALTER TABLE history ADD COLUMN win TEXT;
UPDATE history SET win = note
  WHERE kind = 'won' AND note IN ('contract_signed', 'payment_received');
)sql",
     nullptr},
    // 3 -> 4: each customer row keeps the seq of its latest history entry, so
    // an append takes the next number from the row the command has just read
    // and written instead of a max(seq) search in history per insert, and a
    // sweep numbers a whole batch in one INSERT ... SELECT. History keeps its
    // clustering by (pool, customer, seq): an append still dirties one history
    // page, and listing stays one range read, oldest first. Seqs may skip
    // numbers (a counted update that no entry followed); only their order is
    // used. Setting a column no index names moves no index entry.
    {R"sql(
ALTER TABLE customers ADD COLUMN history_seq INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET history_seq = coalesce(
  (SELECT max(h.seq) FROM history h WHERE h.pool = customers.pool AND h.customer = customers.id),
  0);
)sql",
     nullptr},
    // 4 -> 5: name keys become NFKC + case folded with utf8proc (name_key.hpp);
    // the keys stored before kept non-ASCII case and combining marks apart.
    // SQL cannot call utf8proc, so C++ recomputes every row's key.
    {nullptr, rekey_customers},
    // 5 -> 6: return rules (issue 16). A pool's policy gains a default rule
    // (holding period and idle limit as span text, e.g. "30d", "7d"), level
    // rules ("A=60d/14d,B=30d"), protection and a version; default_period
    // replaces the microseconds of holding_period, which stays unread (C++
    // writes its text: SQL has no span codec). A held customer keeps its
    // deadline as the holding period's, under policy version 1, with no idle
    // limit or protection; history rows written before have no deadline
    // reason and version 0.
    {R"sql(
ALTER TABLE pools ADD COLUMN default_period TEXT;
ALTER TABLE pools ADD COLUMN default_idle_limit TEXT;
ALTER TABLE pools ADD COLUMN level_rules TEXT NOT NULL DEFAULT '';
ALTER TABLE pools ADD COLUMN protection_max INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pools ADD COLUMN protection_longest TEXT NOT NULL DEFAULT '30d';
ALTER TABLE pools ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN deadline_reason TEXT NOT NULL DEFAULT 'period';
ALTER TABLE customers ADD COLUMN period_deadline INTEGER;
ALTER TABLE customers ADD COLUMN idle_limit TEXT;
ALTER TABLE customers ADD COLUMN idle_deadline INTEGER;
ALTER TABLE customers ADD COLUMN protected_until INTEGER;
ALTER TABLE customers ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 0;
UPDATE customers SET period_deadline = deadline, policy_version = 1 WHERE state = 1;
ALTER TABLE history ADD COLUMN deadline_reason TEXT;
ALTER TABLE history ADD COLUMN policy_version INTEGER NOT NULL DEFAULT 0;
)sql",
     write_default_periods},
    // 6 -> 7: policy changes that reach running holdings. A customer keeps
    // the length of the holding period it runs under (span text, "0d" when
    // not held, as a fresh write stores a zero span); a held customer gets
    // the period its pool's current policy gives its level (C++: SQL has no
    // span or level-rule codec). A pool's current policy took effect at
    // policy_since, taken to be its creation. History kinds are stored by
    // name with no CHECK, so rules_changed needs no change.
    {R"sql(
ALTER TABLE customers ADD COLUMN period_length TEXT NOT NULL DEFAULT '0d';
ALTER TABLE pools ADD COLUMN policy_since INTEGER;
UPDATE pools SET policy_since = created_at;
)sql",
     write_period_lengths},
    // 7 -> 8: a pool's time zone (ClaimPolicy::time_zone, an IANA name), how
    // it counts years its calendar does not know, and work calendars. Pools
    // made before count in UTC, as they always did, and have no calendar
    // (version 0). Every calendar version is kept, one row
    // each (the weekend as a mask, the known years and the dated entries as
    // text, see src/sql/values.hpp): a calendar is small, and its history is
    // its versions.
    {R"sql(
ALTER TABLE pools ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE pools ADD COLUMN unknown_years TEXT NOT NULL DEFAULT 'refuse';
ALTER TABLE pools ADD COLUMN calendar_version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE calendars (
  pool TEXT NOT NULL,
  version INTEGER NOT NULL,
  since INTEGER,
  by_user TEXT NOT NULL,
  weekend INTEGER NOT NULL,
  years TEXT NOT NULL,
  days TEXT NOT NULL,
  PRIMARY KEY (pool, version)
) WITHOUT ROWID;
)sql",
     nullptr},
    // 8 -> 9: an extension may count business days ("5bd"), so it is stored
    // as span text in extension_span; extension, its microseconds, stays
    // unread (C++ writes the text: SQL has no span codec).
    {R"sql(
ALTER TABLE pools ADD COLUMN extension_span TEXT;
)sql",
     write_extension_spans},
    // 9 -> 10: reminders before a holding returns (issue 18). A rule's
    // reminders are text ("7d:holder;3d:admins"): the default rule's in
    // default_reminders, a level's inside level_rules ("A=60d@3d:holder").
    // A holding keeps the list it runs under, when its next one is due and
    // which were sent; holdings from before have none. The reminder sweep
    // reads a range of holdings_by_reminder, as the return sweep reads
    // holdings_by_deadline: it costs the reminders due.
    {R"sql(
ALTER TABLE pools ADD COLUMN default_reminders TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN reminders TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN reminder_due INTEGER;
ALTER TABLE customers ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX holdings_by_reminder ON customers (pool, reminder_due, id)
  WHERE state = 1 AND reminder_due IS NOT NULL;
)sql",
     nullptr},
    // 10 -> 11: cooldowns per user and the daily limit. A customer keeps
    // every user who gave it back and is still waiting (CustomerRecord::
    // cooldowns) in one text column, "user" US "microseconds" joined by RS
    // (src/sql/values.hpp), so the set-based return appends with || instead
    // of overwriting the one waiter cooldown_user and cooldown_until could
    // hold; those two stay, unread, and the wait they held (running or
    // ended: the next command drops an ended one) becomes the list's one
    // entry. A pool's policy gains its own cooldown after a release, until
    // now the reclaim cooldown, which existing pools keep, and its daily
    // limit as text ("3,A=1,assigned"; "" for none, which pools made before
    // had). daily_takes holds each user's tally of the day a limit counts:
    // one row per (pool, user), replaced on every take, so it never grows
    // past the pool's users.
    {R"sql(
ALTER TABLE customers ADD COLUMN cooldowns TEXT NOT NULL DEFAULT '';
UPDATE customers SET cooldowns = cooldown_user || char(31) || cooldown_until
  WHERE cooldown_user IS NOT NULL AND cooldown_until IS NOT NULL;
ALTER TABLE pools ADD COLUMN release_cooldown INTEGER;
UPDATE pools SET release_cooldown = reclaim_cooldown;
ALTER TABLE pools ADD COLUMN daily_limit TEXT NOT NULL DEFAULT '';
CREATE TABLE daily_takes (
  pool TEXT NOT NULL,
  user TEXT NOT NULL,
  day TEXT NOT NULL,
  claims INTEGER NOT NULL,
  assignments INTEGER NOT NULL,
  levels TEXT NOT NULL,
  PRIMARY KEY (pool, user)
) WITHOUT ROWID;
)sql",
     nullptr},
}};

// Prepares `sql` on `db` for a migration step.
StatementHandle prepare(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  StatementHandle statement(raw);
  if (rc != SQLITE_OK) throw_error(db, rc, path, std::string("preparing ") + sql);
  return statement;
}

// Recomputes name_key for every customer row, 1000 rows per read so a large
// file never holds all names in memory; only keys that change are written.
// Runs inside the migration's transaction, with the version bump.
void rekey_customers(sqlite3* db, const std::string& path) {
  constexpr std::int64_t kBatch = 1000;
  StatementHandle select = prepare(
      db, path,
      "SELECT rowid, name, name_key FROM customers WHERE rowid > ?1 ORDER BY rowid LIMIT ?2");
  StatementHandle update = prepare(db, path, "UPDATE customers SET name_key = ?2 WHERE rowid = ?1");
  struct Change {
    std::int64_t rowid;
    std::string key;
  };
  std::vector<Change> changes;
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (bool more = true; more;) {
    changes.clear();
    std::int64_t rows = 0;
    {
      Query query(select.get(), path);
      query.bind(1, after).bind(2, kBatch);
      while (query.step()) {
        ++rows;
        after = query.integer(0);
        std::string key = name_key(query.text(1));
        if (key != query.text(2)) changes.push_back({after, std::move(key)});
      }
    }
    more = rows == kBatch;
    for (const Change& change : changes) {
      Query query(update.get(), path);
      query.bind(1, change.rowid).bind(2, change.key);
      query.run();
    }
  }
}

// Writes, for each pool, the span text of the microseconds in column `from`
// to column `to` (both of table pools, names from this file only). A length
// the text cannot carry exactly (below a second, or a count of seconds over
// a million) stops the migration, naming the pool: rounding it would change
// when holdings end without anyone deciding so.
void copy_durations_to_spans(sqlite3* db, const std::string& path, const std::string& from,
                             const std::string& to) {
  StatementHandle select = prepare(db, path, ("SELECT pool, " + from + " FROM pools").c_str());
  StatementHandle update =
      prepare(db, path, ("UPDATE pools SET " + to + " = ?2 WHERE pool = ?1").c_str());
  struct Change {
    std::string pool;
    std::string span;
  };
  std::vector<Change> changes;
  {
    Query query(select.get(), path);
    while (query.step()) {
      const std::string pool = query.text(0);
      const Duration length = sql::decode_duration(query.optional_integer(1));
      std::string where = "SQLite storage '";
      where.append(path).append("', pool '").append(pool).append("'");
      if (length.is_special()) {
        std::string problem = "pool '";
        problem.append(pool).append("': column pools.").append(from);
        problem.append(" is not a finite length, so ").append(to).append(" cannot be set");
        refuse_file(path, problem);
      }
      changes.push_back({pool, sql::encode_span(Span::time(length), where, "pools." + to)});
    }
  }
  for (const Change& change : changes) {
    Query query(update.get(), path);
    query.bind(1, change.pool).bind(2, change.span);
    query.run();
  }
}

// Writes each pool's default_period from its holding_period microseconds.
void write_default_periods(sqlite3* db, const std::string& path) {
  copy_durations_to_spans(db, path, "holding_period", "default_period");
}

// Writes each pool's extension_span from its extension microseconds.
void write_extension_spans(sqlite3* db, const std::string& path) {
  copy_durations_to_spans(db, path, "extension", "extension_span");
}

// Writes every held customer's period_length: the holding period its pool's
// current policy (default_period and level_rules, as of version 6) gives its
// level, ClaimPolicy::rule_for. One UPDATE per (pool, level) of the held
// customers, so a large file is never read row by row. A held customer
// without a pool row keeps "0d": no policy names its period.
void write_period_lengths(sqlite3* db, const std::string& path) {
  struct Pool {
    std::string pool;
    ClaimPolicy policy;
  };
  std::vector<Pool> pools;
  {
    StatementHandle select =
        prepare(db, path, "SELECT pool, default_period, level_rules FROM pools");
    Query query(select.get(), path);
    const std::string where = "SQLite storage '" + path + "'";
    while (query.step()) {
      Pool pool{query.text(0), ClaimPolicy{}};
      pool.policy.default_rule.holding_period =
          sql::decode_span(query.optional_text(1), where, "pools.default_period");
      pool.policy.levels =
          sql::decode_level_rules(query.optional_text(2), where, "pools.level_rules");
      pools.push_back(std::move(pool));
    }
  }
  StatementHandle levels =
      prepare(db, path, "SELECT DISTINCT level FROM customers WHERE pool = ?1 AND state = 1");
  StatementHandle update = prepare(
      db, path,
      "UPDATE customers SET period_length = ?3 WHERE pool = ?1 AND state = 1 AND level = ?2");
  for (const Pool& pool : pools) {
    std::vector<std::string> held_levels;
    {
      Query query(levels.get(), path);
      query.bind(1, pool.pool);
      while (query.step()) held_levels.push_back(query.text(0));
    }
    std::string where = "SQLite storage '";
    where.append(path).append("', pool '").append(pool.pool).append("'");
    for (const std::string& level : held_levels) {
      const std::string period = sql::encode_span(pool.policy.rule_for(level).holding_period, where,
                                                  "customers.period_length");
      Query query(update.get(), path);
      query.bind(1, pool.pool).bind(2, level).bind(3, period);
      query.run();
    }
  }
}

// Runs a one-row integer pragma or query.
std::int64_t single_integer(sqlite3* db, const std::string& path, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v2(db, sql, -1, &raw, nullptr);
  StatementHandle statement(raw);
  if (rc != SQLITE_OK) throw_error(db, rc, path, std::string("reading ") + sql);
  Query query(statement.get(), path);
  if (!query.step()) return 0;
  return query.integer(0);
}

void exec(sqlite3* db, const std::string& path, const std::string& sql, std::string_view doing) {
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_error(db, rc, path, doing);
}

[[noreturn]] void refuse_file(const std::string& path, const std::string& problem) {
  throw StorageError("SQLite storage '" + path + "': " + problem);
}

}  // namespace

void check_file(sqlite3* db, const std::string& path, int target_version) {
  // The first read of the header is where a text file or a mangled header
  // shows; translate SQLite's terse codes into what the user must do.
  std::int64_t application_id = 0;
  std::int64_t version = 0;
  std::int64_t objects = 0;
  try {
    application_id = single_integer(db, path, "PRAGMA application_id");
    version = single_integer(db, path, "PRAGMA user_version");
    objects = single_integer(db, path, "SELECT count(*) FROM sqlite_master");
  } catch (const RetryableStorageError&) {
    throw;
  } catch (const StorageError& error) {
    const int code = sqlite3_errcode(db) & 0xFF;
    if (code == SQLITE_NOTADB) {
      refuse_file(path, "not a HighSeas database: the file is not an SQLite database");
    }
    if (code == SQLITE_CORRUPT) {
      refuse_file(path, std::string("the database file is corrupt (") + error.what() + ")");
    }
    throw;
  }
  const bool empty = application_id == 0 && version == 0 && objects == 0;
  if (empty) return;
  if (application_id != kApplicationId) {
    refuse_file(path, "not a HighSeas database: it holds " + std::to_string(objects) +
                          " schema objects of another application (application_id " +
                          std::to_string(application_id) + ", user_version " +
                          std::to_string(version) + ")");
  }
  if (version > target_version) {
    refuse_file(path, "schema version " + std::to_string(version) +
                          " is newer than this HighSeas supports (" +
                          std::to_string(target_version) + "); upgrade HighSeas to open it");
  }
  if (version < 0) refuse_file(path, "invalid schema version " + std::to_string(version));
}

void apply_steps(sqlite3* db, const std::string& path, int from_version, int to_version) {
  for (int step = from_version; step < to_version; ++step) {
    const Step& next = kSteps.at(static_cast<std::size_t>(step));
    const std::string doing = "migrating the schema to version " + std::to_string(step + 1);
    if (next.sql != nullptr) exec(db, path, next.sql, doing);
    if (next.code != nullptr) next.code(db, path);
  }
  exec(db, path, "PRAGMA application_id = " + std::to_string(kApplicationId), "marking the file");
  exec(db, path, "PRAGMA user_version = " + std::to_string(to_version), "setting the version");
}

void migrate(sqlite3* db, const std::string& path, int target_version) {
  static_assert(kSteps.size() == 11, "a new step needs SqliteStorage::kSchemaVersion bumped");
  // WAL lets queries read while a command writes. Setting it writes the
  // header, so it happens only once the file is known to be ours (or empty).
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = WAL", -1, &raw, nullptr);
  StatementHandle statement(raw);
  if (rc != SQLITE_OK) throw_error(db, rc, path, "switching to WAL");
  {
    Query query(statement.get(), path);
    if (!query.step() || query.text(0) != "wal") {
      refuse_file(path, "cannot switch the journal to WAL mode");
    }
  }
  if (single_integer(db, path, "PRAGMA user_version") == target_version) return;
  exec(db, path, "BEGIN IMMEDIATE", "locking the file to migrate it");
  try {
    // Read again under the lock: another process may have migrated meanwhile.
    const auto version = static_cast<int>(single_integer(db, path, "PRAGMA user_version"));
    if (version > target_version) {
      refuse_file(path, "schema version " + std::to_string(version) +
                            " is newer than this HighSeas supports");
    }
    if (version < target_version) apply_steps(db, path, version, target_version);
    exec(db, path, "COMMIT", "committing the migration");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace highseas::sqlite_detail

// Schema migration: a file written by an older HighSeas (schema version 1 to
// 10) is upgraded in place, keeping every record; reopening a current file
// changes nothing. (A newer version is refused: see sqlite_open_test.)
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>

#include "schema.hpp"
#include "temp_directory.hpp"

namespace highseas::test {
namespace {

std::int64_t single_integer(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  const std::int64_t value =
      sqlite3_step(statement) == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : -1;
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

// Writes a file at schema `version` (the migration steps up to it, as that
// release created them) holding `rows` (SQL ending with COMMIT).
void write_old_file(const std::string& path, int version, const std::string& rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite_detail::apply_steps(db, path, 0, version);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, rows.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// Pool p as versions 1 to 5 stored it: on, a 30-day holding period, a cap of
// 20, two extensions of 15 days, a 7-day cooldown, created at 0, not paused.
const std::string kPoolP =
    "INSERT INTO pools VALUES ('p', 1, 2592000000000, 20, 1296000000000, 2, 604800000000, "
    "0, NULL);";
// Pool p with its boss and one rep.
const std::string kPoolWithBossAndRep =
    kPoolP + "INSERT INTO members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user');";

// Writes a version-1 file as HighSeas 0.1 did: its schema and one pool with a
// boss, a rep holding c1 until `deadline`, and an available c2.
void write_version_1(const std::string& path, std::int64_t deadline) {
  const std::string rows =
      kPoolWithBossAndRep +
      "INSERT INTO customers VALUES ('p', 'c1', 'Acme Ltd', 'DE', 'A', '3:vip', 'acmeltd', 1, "
      "'rep', 0, " +
      std::to_string(deadline) +
      ", 0, NULL, NULL, NULL),"
      "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 0, NULL, 0, NULL, 0, NULL, NULL, NULL);"
      "INSERT INTO history (pool, customer, seq, at, kind, actor, holder_before, "
      "holder_after, deadline, note) VALUES ('p', 'c1', 1, 0, 'claimed', 'rep', NULL, 'rep', " +
      std::to_string(deadline) + ", '');COMMIT;";
  write_old_file(path, 1, rows);
}

TEST(SqliteMigrationTest, UpgradesAVersion1FileKeepingItsRecords) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const Time deadline = utc(2026, 2, 1);
  const std::int64_t deadline_micros = (deadline - utc(1970, 1, 1)).total_microseconds();
  write_version_1(path, deadline_micros);
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 1);
  ASSERT_EQ(single_integer(path,
                           "SELECT count(*) FROM sqlite_master WHERE name = "
                           "'available_by_country'"),
            0);

  {
    SqliteStorage storage(SqliteOptions{path});
    ManualClock clock(utc(2026, 1, 10));
    PublicPool pool(PoolId("p"), storage, clock);
    const UserId boss("boss");
    auto held = pool.customer(boss, CustomerId("c1"));
    ASSERT_HIGHSEAS_OK(held);
    EXPECT_EQ(held->holder, UserId("rep"));
    EXPECT_EQ(held->deadline, deadline);
    EXPECT_EQ(held->profile.tags, std::vector<std::string>{"vip"});
    EXPECT_EQ(pool.history(boss, CustomerId("c1"))->size(), 1U);
    EXPECT_EQ(pool.info(boss)->policy, ClaimPolicy{});
    // The new name index answers the duplicate check on the old rows.
    const std::vector<CustomerProfile> batch{{CustomerId("c9"), "ACME LTD.", "DE", "A", {}}};
    auto report = pool.import_customers(boss, batch);
    ASSERT_HIGHSEAS_OK(report);
    ASSERT_EQ(report->problems.size(), 1U);
    EXPECT_EQ(report->problems[0].collision->existing, CustomerId("c1"));
    auto page = pool.available(boss, {{"BR", "", ""}, std::nullopt, 10});
    ASSERT_HIGHSEAS_OK(page);
    ASSERT_EQ(page->customers.size(), 1U);
    EXPECT_EQ(page->customers[0].profile.id, CustomerId("c2"));
  }
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM sqlite_master WHERE name = "
                           "'available_by_country'"),
            1);
  const std::int64_t objects = single_integer(path, "SELECT count(*) FROM sqlite_master");
  { SqliteStorage reopened(SqliteOptions{path}); }
  EXPECT_EQ(single_integer(path, "SELECT count(*) FROM sqlite_master"), objects);
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
}

// Writes a version-2 file: c1 was claimed and won (the kind only in the
// note, as before HistoryEntry::win), c2 has a follow-up whose note happens
// to read like a win kind.
void write_version_2(const std::string& path) {
  const std::string rows =
      kPoolWithBossAndRep +
      "INSERT INTO customers VALUES ('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 2, "
      "'rep', 5, NULL, 0, NULL, NULL, NULL),"
      "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 1, 'rep', 0, 4000000000000000, 0, 3, "
      "NULL, NULL);"
      "INSERT INTO history (pool, customer, seq, at, kind, actor, holder_before, "
      "holder_after, deadline, note) VALUES "
      "('p', 'c1', 1, 0, 'claimed', 'rep', NULL, 'rep', 4000000000000000, ''),"
      "('p', 'c1', 2, 5, 'won', 'rep', 'rep', 'rep', NULL, 'payment_received'),"
      "('p', 'c2', 1, 0, 'claimed', 'rep', NULL, 'rep', 4000000000000000, ''),"
      "('p', 'c2', 2, 3, 'followed_up', 'rep', 'rep', 'rep', 4000000000000000, "
      "'contract_signed');"
      "COMMIT;";
  write_old_file(path, 2, rows);
}

TEST(SqliteMigrationTest, UpgradingAVersion2FileMovesTheWinKindOutOfTheNote) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_version_2(path);
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 2);
  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock(utc(2026, 1, 10));
  PublicPool pool(PoolId("p"), storage, clock);
  const UserId boss("boss");
  auto won = pool.history(boss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(won);
  ASSERT_EQ(won->size(), 2U);
  EXPECT_EQ(won->at(0).win, std::nullopt);
  EXPECT_EQ(won->at(1).kind, HistoryKind::won);
  EXPECT_EQ(won->at(1).win, WinKind::payment_received);
  EXPECT_EQ(won->at(1).note, "payment_received") << "the note stays as it was";
  auto followed = pool.history(boss, CustomerId("c2"));
  ASSERT_HIGHSEAS_OK(followed);
  ASSERT_EQ(followed->size(), 2U);
  EXPECT_EQ(followed->at(1).win, std::nullopt) << "only won entries get a win kind";
  EXPECT_EQ(followed->at(1).note, "contract_signed");
  // A win recorded after the upgrade is stored in the new column.
  ASSERT_HIGHSEAS_OK(pool.record_win(boss, CustomerId("c2"), WinKind::contract_signed));
  EXPECT_EQ(pool.history(boss, CustomerId("c2"))->back().win, WinKind::contract_signed);
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
}

// Writes a version-3 file: c1 has three history entries stored out of seq
// order, c2 none; c1 is held and due at 10.
void write_version_3(const std::string& path) {
  const std::string rows =
      kPoolWithBossAndRep +
      "INSERT INTO customers VALUES ('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 1, "
      "'rep', 5, 10, 0, NULL, NULL, NULL),"
      "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 0, NULL, 0, NULL, 0, NULL, NULL, NULL);"
      "INSERT INTO history (pool, customer, seq, at, kind, actor, holder_before, "
      "holder_after, deadline, note, win) VALUES "
      "('p', 'c1', 3, 5, 'claimed', 'rep', NULL, 'rep', 10, 'third', NULL),"
      "('p', 'c1', 1, 0, 'claimed', 'rep', NULL, 'rep', 10, 'first', NULL),"
      "('p', 'c1', 2, 3, 'released', 'rep', 'rep', NULL, NULL, 'second', NULL);"
      "COMMIT;";
  write_old_file(path, 3, rows);
}

std::vector<std::string> notes(const std::vector<HistoryEntry>& history) {
  std::vector<std::string> out;
  for (const HistoryEntry& entry : history) out.push_back(entry.note);
  return out;
}

TEST(SqliteMigrationTest, UpgradingAVersion3FileCountsEachCustomersHistory) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_version_3(path);
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 3);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "SELECT history_seq FROM customers WHERE id = 'c1'"), 3);
  EXPECT_EQ(single_integer(path, "SELECT history_seq FROM customers WHERE id = 'c2'"), 0);
  // Entries written after the upgrade, one by the sweep's batch and one by a
  // command, come after the old ones, oldest first.
  ManualClock clock(utc(2026, 1, 10));
  PublicPool pool(PoolId("p"), storage, clock);
  const UserId boss("boss");
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  ASSERT_EQ(swept->returned.size(), 1U);
  ASSERT_HIGHSEAS_OK(pool.claim(UserId("rep"), CustomerId("c2")));
  ASSERT_HIGHSEAS_OK(pool.follow_up(UserId("rep"), CustomerId("c2"), "called"));
  auto history = pool.history(boss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(history);
  EXPECT_EQ(notes(*history), (std::vector<std::string>{"first", "second", "third", ""}));
  EXPECT_EQ(history->back().kind, HistoryKind::returned);
  auto later = pool.history(boss, CustomerId("c2"));
  ASSERT_HIGHSEAS_OK(later);
  ASSERT_EQ(later->size(), 2U);
  EXPECT_EQ(later->at(0).kind, HistoryKind::claimed);
  EXPECT_EQ(later->at(1).note, "called");
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
}

// Writes a version-4 file whose name keys are what name_key returned before
// utf8proc: c1 "Cafe\u0301 Ltd" (a macOS export's combining accent) kept the
// mark apart, and 2500 customers "ÉCOLE <n>" kept the capital É, more than one
// batch of the re-keying step.
void write_version_4(const std::string& path) {
  const std::string rows =
      kPoolP +
      "INSERT INTO members VALUES ('p', 'boss', 'boss');"
      "INSERT INTO customers VALUES ('p', 'c1', 'Cafe\u0301 Ltd', 'FR', 'A', '', "
      "'cafe\u0301ltd', 0, NULL, 0, NULL, 0, NULL, NULL, NULL, 0);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
      "INSERT INTO customers SELECT 'p', 'e' || i, '\u00c9COLE ' || i, 'FR', 'B', '', "
      "'\u00c9cole' || i, 0, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 FROM n;"
      "COMMIT;";
  write_old_file(path, 4, rows);
}

TEST(SqliteMigrationTest, UpgradingAVersion4FileReKeysNamesWithUtf8proc) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_version_4(path);
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 4);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM customers WHERE id = 'c1' AND "
                           "name_key = 'caf\u00e9ltd'"),
            1);
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM customers WHERE id LIKE 'e%' AND "
                           "name_key = '\u00e9cole' || substr(id, 2)"),
            2500)
      << "every batch is re-keyed";
  // The duplicate check finds the old row by the composed spelling.
  ManualClock clock(utc(2026, 1, 10));
  PublicPool pool(PoolId("p"), storage, clock);
  const UserId boss("boss");
  const std::vector<CustomerProfile> batch{{CustomerId("c9"), "Caf\u00e9 Ltd", "FR", "A", {}},
                                           {CustomerId("c10"), "\u00e9cole 2500", "FR", "A", {}}};
  auto report = pool.import_customers(boss, batch);
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->problems.size(), 2U);
  ASSERT_TRUE(report->problems[0].collision.has_value());
  EXPECT_EQ(report->problems[0].collision->existing, CustomerId("c1"));
  ASSERT_TRUE(report->problems[1].collision.has_value());
  EXPECT_EQ(report->problems[1].collision->existing, CustomerId("e2500"));
}

// Runs `sql` on the file outside the storage (what another tool, or a bug, wrote).
void exec_raw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// Writes a version-5 file, before return rules: pool p with a 45-day holding
// period, pool q with 12 hours; in p, c1 held by rep until `deadline` (one
// extension, a follow-up, two history entries) and c2 available, rep's
// cooldown on it running.
void write_version_5(const std::string& path, std::int64_t deadline) {
  const std::string d = std::to_string(deadline);
  const std::string rows =
      "INSERT INTO pools VALUES ('p', 1, 3888000000000, 20, 1296000000000, 2, 604800000000, "
      "0, NULL), ('q', 1, 43200000000, 5, 3600000000, 1, 0, 0, NULL);"
      "INSERT INTO members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user');"
      "INSERT INTO customers VALUES ('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 1, "
      "'rep', 0, " +
      d +
      ", 1, 86400000000, NULL, NULL, 2),"
      "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 0, NULL, 0, NULL, 0, NULL, 'rep', " +
      d +
      ", 1);"
      "INSERT INTO history VALUES ('p', 'c1', 1, 0, 'claimed', 'rep', NULL, 'rep', " +
      d + ", '', NULL), ('p', 'c1', 2, 10, 'extended', 'boss', 'rep', 'rep', " + d +
      ", '', NULL), ('p', 'c2', 1, 0, 'imported', 'boss', NULL, NULL, NULL, '', NULL);"
      "COMMIT;";
  write_old_file(path, 5, rows);
}

TEST(SqliteMigrationTest, UpgradingAVersion5FileGivesEveryRecordTheReturnRulesDefaults) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const Time epoch = utc(1970, 1, 1);
  const Time deadline = utc(2026, 2, 1);
  write_version_5(path, (deadline - epoch).total_microseconds());
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 5);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    ClaimPolicy expected;  // the defaults, but for the old holding period, extension and cap
    expected.default_rule.holding_period = days(45);
    EXPECT_EQ(pool->policy, expected);
    EXPECT_FALSE(pool->policy.default_rule.idle_limit.has_value());
    EXPECT_TRUE(pool->policy.levels.empty());
    EXPECT_EQ(pool->policy.protection.max_per_user, 0U) << "protection off";
    EXPECT_EQ(pool->policy_version, 1U);
    EXPECT_TRUE(pool->enabled);
    EXPECT_EQ(pool->created_at, epoch);
    EXPECT_EQ(pool->policy_since, epoch);

    CustomerRecord held;
    held.state = CustomerState::held;
    held.holder = UserId("rep");
    held.since = epoch;
    held.deadline = deadline;
    held.deadline_reason = DeadlineReason::period;
    held.period_deadline = deadline;
    held.policy_version = 1;
    held.extensions_used = 1;
    held.last_follow_up = utc(1970, 1, 2);
    held.period_length = days(45);  // the pool's period (version 7)
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), held);
    CustomerRecord available;
    available.since = epoch;
    available.cooldowns = {{UserId("rep"), deadline}};  // from the old columns (version 11)
    EXPECT_EQ(tx->find_customer(CustomerId("c2")), available);

    const std::vector<HistoryEntry> history = tx->list_history(CustomerId("c1"));
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0], (HistoryEntry{epoch, HistoryKind::claimed, UserId("rep"), std::nullopt,
                                        UserId("rep"), deadline, ""}));
    EXPECT_EQ(history[1].kind, HistoryKind::extended);
    for (const HistoryEntry& entry : history) {
      EXPECT_EQ(entry.deadline_reason, std::nullopt);
      EXPECT_EQ(entry.policy_version, 0U);
    }
    EXPECT_EQ(tx->list_history(CustomerId("c2")).size(), 1U);
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->policy.default_rule, (ReturnRule{hours(12), std::nullopt}));
    EXPECT_EQ(pool->policy.max_holdings, 5U);
    EXPECT_EQ(pool->policy_version, 1U);
  }
  EXPECT_EQ(single_integer(path, "SELECT count(*) FROM pools WHERE default_period = '45d'"), 1);
  // The sweep returns the old holding with the reason and version it was given.
  ManualClock clock(deadline);
  PublicPool pool(PoolId("p"), storage, clock);
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  ASSERT_EQ(swept->returned.size(), 1U);
  auto history = pool.history(UserId("boss"), CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(history);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ(history->back().kind, HistoryKind::returned);
  EXPECT_EQ(history->back().deadline_reason, DeadlineReason::period);
  EXPECT_EQ(history->back().policy_version, 1U);
}

// Writes a version-6 file, before policy changes reached running holdings.
// Pool p (policy version 3, created at `created`): 30 days by default, 60
// for level A (with a 14-day idle limit), 10 business days for VIP; held
// c1 (A), c2 (B, not listed), c3 (VIP); c4 (A) available, rep's cooldown
// on it; c5 (A) a regular customer. Pool q: 12 hours, no levels, created a
// day later; c6 (A) held there. c1 has two history entries.
void write_version_6(const std::string& path, std::int64_t created, std::int64_t deadline) {
  const std::string t = std::to_string(created);
  const std::string d = std::to_string(deadline);
  const std::string customers =
      "INSERT INTO customers (pool, id, name, country, level, tags, name_key, state, holder, "
      "since, deadline, extensions_used, last_follow_up, cooldown_user, cooldown_until, "
      "history_seq, deadline_reason, period_deadline, idle_limit, idle_deadline, "
      "protected_until, policy_version) VALUES ";
  const std::string rows =
      "INSERT INTO pools (pool, enabled, holding_period, max_holdings, extension, "
      "max_extensions, reclaim_cooldown, created_at, paused_since, default_period, "
      "default_idle_limit, level_rules, protection_max, protection_longest, policy_version) "
      "VALUES ('p', 1, NULL, 20, 1296000000000, 2, 604800000000, " +
      t +
      ", NULL, '30d', NULL, 'A=60d/14d,VIP=10bd', 1, '5d', 3), "
      "('q', 1, NULL, 5, 3600000000, 1, 0, " +
      std::to_string(created + 86'400'000'000) +
      ", NULL, '12h', NULL, '', 0, '30d', 1);"
      "INSERT INTO members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user'), "
      "('q', 'boss', 'boss'), ('q', 'rep', 'pool_user');" +
      customers + "('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 1, 'rep', " + t + ", " + d +
      ", 1, " + t + ", NULL, NULL, 2, 'idle', " + d + " + 7, '14d', " + d + ", NULL, 3), " +
      "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 1, 'rep', " + t + ", " + d +
      ", 0, NULL, NULL, NULL, 0, 'period', " + d + ", NULL, NULL, NULL, 2), " +
      "('p', 'c3', 'Initech', 'US', 'VIP', '', 'initech', 1, 'rep', " + t + ", " + d +
      ", 0, NULL, NULL, NULL, 0, 'period', " + d + ", NULL, NULL, NULL, 3), " +
      "('p', 'c4', 'Umbrella', 'FR', 'A', '', 'umbrella', 0, NULL, " + t +
      ", NULL, 0, NULL, 'rep', " + d + ", 0, 'period', NULL, NULL, NULL, NULL, 0), " +
      "('p', 'c5', 'Hooli', 'US', 'A', '', 'hooli', 2, NULL, " + t +
      ", NULL, 0, NULL, NULL, NULL, 0, 'period', NULL, NULL, NULL, NULL, 0), " +
      "('q', 'c6', 'Stark', 'US', 'A', '', 'stark', 1, 'rep', " + t + ", " + d +
      ", 0, NULL, NULL, NULL, 0, 'period', " + d + ", NULL, NULL, NULL, 1);" +
      "INSERT INTO history VALUES ('p', 'c1', 1, " + t + ", 'claimed', 'rep', NULL, 'rep', " + d +
      ", '', NULL, 'period', 3), ('p', 'c1', 2, " + t + ", 'followed_up', 'rep', 'rep', 'rep', " +
      d + ", 'called', NULL, 'idle', 3);" + "COMMIT;";
  write_old_file(path, 6, rows);
}

// Reads one text column of one row, outside the storage; "<none>" for no row.
std::string single_text(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr);
  std::string value = "<none>";
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    value = text == nullptr ? "<null>" : reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

TEST(SqliteMigrationTest, UpgradingAVersion6FileGivesHoldingsTheirPeriodAndPoolsTheirPolicySince) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const Time epoch = utc(1970, 1, 1);
  const Time created = utc(2026, 1, 5) + seconds(3);
  const Time deadline = utc(2026, 2, 1);
  write_version_6(path, (created - epoch).total_microseconds(),
                  (deadline - epoch).total_microseconds());
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 6);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(single_integer(path, "SELECT count(*) FROM customers"), 6) << "every record kept";
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->created_at, created);
    EXPECT_EQ(pool->policy_since, created);
    EXPECT_EQ(pool->policy_version, 3U);
    EXPECT_EQ(pool->policy.rule_for("A"), (ReturnRule{days(60), Span::time(days(14))}));
    EXPECT_EQ(pool->policy.time_zone, "UTC") << "pools made before count in UTC, as they did";
    EXPECT_EQ(pool->calendar_version, 0U);
    EXPECT_EQ(tx->find_calendar(1), std::nullopt) << "no calendar yet, and a table to keep one";

    // Every field as it was, and the period level A's rule gives.
    CustomerRecord c1;
    c1.state = CustomerState::held;
    c1.holder = UserId("rep");
    c1.since = created;
    c1.deadline = deadline;
    c1.extensions_used = 1;
    c1.last_follow_up = created;
    c1.deadline_reason = DeadlineReason::idle;
    c1.period_deadline = deadline + boost::posix_time::microseconds(7);
    c1.idle_limit = Span::time(days(14));
    c1.idle_deadline = deadline;
    c1.policy_version = 3;
    c1.period_length = days(60);
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), c1);
    EXPECT_EQ(tx->find_customer(CustomerId("c2"))->period_length, Span(days(30)))
        << "a level the policy does not list: the default period";
    EXPECT_EQ(tx->find_customer(CustomerId("c3"))->period_length, Span::business_days(10));
    CustomerRecord c4;
    c4.since = created;
    c4.cooldowns = {{UserId("rep"), deadline}};
    EXPECT_EQ(tx->find_customer(CustomerId("c4")), c4);
    EXPECT_EQ(tx->find_customer(CustomerId("c5"))->period_length, Span());
    EXPECT_EQ(tx->find_customer(CustomerId("c5"))->state, CustomerState::regular);
    const std::vector<HistoryEntry> history = tx->list_history(CustomerId("c1"));
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[1].note, "called");
    EXPECT_EQ(history[1].deadline_reason, DeadlineReason::idle);
    // A fresh write of a customer that is not held stores what the
    // migration wrote for c4 and c5.
    CustomerRecord fresh;
    fresh.since = created;
    tx->insert_customer({CustomerId("c7"), "Wayne", "US", "A", {}}, "wayne", fresh);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->policy_since, created + days(1));
    EXPECT_EQ(tx->find_customer(CustomerId("c6"))->period_length, Span(hours(12)))
        << "q's own policy, not p's rule for level A";
  }
  EXPECT_EQ(single_text(path, "SELECT period_length FROM customers WHERE id = 'c7'"), "0d");
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM customers WHERE period_length = "
                           "(SELECT period_length FROM customers WHERE id = 'c7')"),
            3)
      << "c4, c5 and c7";
  // Given back, the migrated holdings have no period length.
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    EXPECT_EQ(tx->return_due(DueReturn{deadline, days(7)}, 10).size(), 3U);
    tx->commit();
  }
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM customers WHERE pool = 'p' AND "
                           "period_length = '0d'"),
            6);
}

TEST(SqliteMigrationTest, AHoldingPeriodTheSpanTextCannotCarryStopsTheUpgrade) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_old_file(path, 5,
                 "INSERT INTO pools VALUES ('odd', 1, 2592000000001, 20, 1296000000000, 2, "
                 "604800000000, 0, NULL);COMMIT;");
  try {
    SqliteStorage storage(SqliteOptions{path});
    FAIL() << "opened";
  } catch (const StorageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("pool 'odd'"), std::string::npos) << message;
    EXPECT_NE(message.find("pools.default_period"), std::string::npos) << message;
  }
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), 5) << "the migration rolled back";
}

// Writes a version-8 file, before extensions could count business days:
// pool p extends by 5 days, pool q by 90 minutes.
void write_version_8(const std::string& path) {
  write_old_file(path, 8,
                 "INSERT INTO pools (pool, enabled, default_period, max_holdings, extension, "
                 "max_extensions, reclaim_cooldown) VALUES "
                 "('p', 1, '30d', 20, 432000000000, 2, 604800000000), "
                 "('q', 1, '12h', 5, 5400000000, 1, 0);COMMIT;");
}

TEST(SqliteMigrationTest, UpgradingAVersion8FileKeepsEachPoolsExtensionAsASpan) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_version_8(path);
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 8);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(single_text(path, "SELECT extension_span FROM pools WHERE pool = 'p'"), "5d");
  PoolRecord p;
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::optional<PoolRecord> stored = tx->find_pool();
    ASSERT_TRUE(stored.has_value());
    ClaimPolicy expected;  // the defaults, but for the old extension
    expected.extension = days(5);
    EXPECT_EQ(stored->policy, expected);
    p = *stored;
    // Written after the upgrade, an extension may count business days.
    p.policy.extension = Span::business_days(3);
    tx->put_pool(p);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_pool()->policy.extension, Span(minutes(90)));
  }
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool(), p);
  EXPECT_EQ(single_text(path, "SELECT extension_span FROM pools WHERE pool = 'p'"), "3bd");
}

TEST(SqliteMigrationTest, AnExtensionTheSpanTextCannotCarryStopsTheUpgrade) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_old_file(path, 8,
                 "INSERT INTO pools (pool, enabled, default_period, max_holdings, extension, "
                 "max_extensions) VALUES ('odd', 1, '30d', 20, 1500000, 2);COMMIT;");
  try {
    SqliteStorage storage(SqliteOptions{path});
    FAIL() << "opened";
  } catch (const StorageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("pool 'odd'"), std::string::npos) << message;
    EXPECT_NE(message.find("pools.extension_span"), std::string::npos) << message;
  }
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), 8) << "the migration rolled back";
}

TEST(SqliteMigrationTest, UpgradingAVersion9FileGivesHoldingsAndPoolsNoReminders) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  // A pool as version 9 wrote it, and rep's holding of c1 until 10^13 µs.
  write_old_file(
      path, 9,
      "INSERT INTO pools (pool, enabled, default_period, max_holdings, extension, "
      "max_extensions, extension_span) VALUES ('p', 1, '30d', 20, 0, 2, '15d');"
      "INSERT INTO members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user');"
      "INSERT INTO customers (pool, id, name, country, level, tags, name_key, state, holder, "
      "since, deadline, extensions_used, period_deadline, policy_version, period_length) "
      "VALUES ('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 1, 'rep', 0, 10000000000000, 0, "
      "10000000000000, 1, '30d');COMMIT;");
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 9);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(single_text(path, "SELECT default_reminders FROM pools WHERE pool = 'p'"), "");
  EXPECT_EQ(single_integer(path,
                           "SELECT count(*) FROM sqlite_master WHERE name = "
                           "'holdings_by_reminder'"),
            1);
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
  const std::optional<CustomerRecord> held = tx->find_customer(CustomerId("c1"));
  ASSERT_TRUE(held.has_value());
  EXPECT_EQ(held->state, CustomerState::held);
  EXPECT_TRUE(held->reminders.empty());
  EXPECT_EQ(held->reminder_due, Time());
  EXPECT_EQ(held->reminders_sent, 0U);
  EXPECT_TRUE(tx->list_reminders_due(utc(2100, 1, 1), 10).empty());
  // Written after the upgrade, a pool's and a holding's reminders are kept.
  PoolRecord pool = *tx->find_pool();
  pool.policy.default_rule.reminders = {{days(3), ReminderAudience::admins}};
  tx->put_pool(pool);
  CustomerRecord armed = *held;
  armed.reminders = {{days(7), ReminderAudience::holder}};
  armed.reminder_due = utc(2030, 1, 1);
  tx->update_customer(CustomerId("c1"), armed);
  EXPECT_EQ(tx->find_pool(), pool);
  EXPECT_EQ(tx->list_reminders_due(utc(2030, 1, 1), 10).size(), 1U);
  tx->commit();
  EXPECT_EQ(single_text(path, "SELECT default_reminders FROM pools WHERE pool = 'p'"), "3d:admins");
}

// Writes a version-10 file, before cooldowns per user and daily limits:
// pool p with a 3-day reclaim cooldown, pool q with none. In p, rep's
// cooldown on available c1 runs until `until`; c2 has never been given back;
// c3 is held by rep2 until `deadline` and still carries rep's cooldown of
// before; c4's cooldown (rep's) ended long ago.
void write_version_10(const std::string& path, std::int64_t until, std::int64_t deadline) {
  const std::string u = std::to_string(until);
  const std::string d = std::to_string(deadline);
  write_old_file(
      path, 10,
      "INSERT INTO pools (pool, enabled, default_period, max_holdings, extension, "
      "max_extensions, reclaim_cooldown, created_at, policy_since, extension_span) VALUES "
      "('p', 1, '30d', 20, 0, 2, 259200000000, 0, 0, '15d'), "
      "('q', 1, '12h', 5, 0, 1, 0, 0, 0, '1h');"
      "INSERT INTO members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user'), "
      "('p', 'rep2', 'pool_user');"
      "INSERT INTO customers (pool, id, name, country, level, tags, name_key, state, holder, "
      "since, deadline, extensions_used, cooldown_user, cooldown_until, period_deadline, "
      "policy_version, period_length) VALUES "
      "('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 0, NULL, 0, NULL, 0, 'rep', " +
          u +
          ", NULL, 0, '0d'), "
          "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 0, NULL, 0, NULL, 0, NULL, NULL, "
          "NULL, 0, '0d'), "
          "('p', 'c3', 'Initech', 'US', 'A', '', 'initech', 1, 'rep2', 0, " +
          d + ", 0, 'rep', " + u + ", " + d +
          ", 1, '30d'), "
          "('p', 'c4', 'Hooli', 'US', 'A', '', 'hooli', 0, NULL, 0, NULL, 0, 'rep', 5, NULL, 0, "
          "'0d');"
          "COMMIT;");
}

TEST(SqliteMigrationTest, UpgradingAVersion10FileKeepsEachCooldownAndGivesPoolsNoDailyLimit) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const Time epoch = utc(1970, 1, 1);
  const Time now = utc(2026, 3, 1);
  const Time until = now + hours(30);
  const Time deadline = now - hours(1);
  write_version_10(path, (until - epoch).total_microseconds(),
                   (deadline - epoch).total_microseconds());
  ASSERT_EQ(single_integer(path, "PRAGMA user_version"), 10);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_EQ(SqliteStorage::kSchemaVersion, 11);
  EXPECT_EQ(single_integer(path, "SELECT count(*) FROM customers"), 4) << "every record kept";
  EXPECT_EQ(single_text(path, "SELECT daily_limit FROM pools WHERE pool = 'p'"), "");
  EXPECT_EQ(single_integer(path, "SELECT release_cooldown FROM pools WHERE pool = 'p'"),
            259'200'000'000);
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    ClaimPolicy expected;  // the defaults, but for the old cooldown, now both cooldowns
    expected.reclaim_cooldown = days(3);
    expected.release_cooldown = days(3);
    EXPECT_EQ(pool->policy, expected);
    EXPECT_FALSE(pool->policy.daily_limit.any()) << "no daily limit";
    EXPECT_EQ(tx->find_daily_takes(UserId("rep")), std::nullopt) << "and a table for the tally";

    EXPECT_EQ(tx->find_customer(CustomerId("c1"))->cooldowns,
              (std::vector<Cooldown>{{UserId("rep"), until}}));
    EXPECT_TRUE(tx->find_customer(CustomerId("c2"))->cooldowns.empty());
    EXPECT_EQ(tx->find_customer(CustomerId("c3"))->cooldowns,
              (std::vector<Cooldown>{{UserId("rep"), until}}));
    EXPECT_EQ(tx->find_customer(CustomerId("c4"))->cooldowns,
              (std::vector<Cooldown>{{UserId("rep"), epoch + boost::posix_time::microseconds(5)}}))
        << "an ended wait is kept too: the next command drops it";

    // The sweep's set-based return appends rep2's wait behind rep's.
    const DueReturn plan{now, pool->policy.reclaim_cooldown};
    const CustomerRecord before = *tx->find_customer(CustomerId("c3"));
    ASSERT_EQ(tx->return_due(plan, 10).size(), 1U);
    EXPECT_EQ(tx->find_customer(CustomerId("c3")), plan.returned(before));
    EXPECT_EQ(
        tx->find_customer(CustomerId("c3"))->cooldowns,
        (std::vector<Cooldown>{{UserId("rep"), until}, {UserId("rep2"), deadline + days(3)}}));
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->policy.reclaim_cooldown, Duration(0, 0, 0));
    EXPECT_EQ(pool->policy.release_cooldown, Duration(0, 0, 0));
    EXPECT_EQ(pool->policy.daily_limit, DailyLimit{});
  }
  // The waits still hold: rep may take neither c1 nor c3 back before `until`.
  ManualClock clock(now);
  PublicPool pool(PoolId("p"), storage, clock);
  for (const char* id : {"c1", "c3"}) {
    auto refused = pool.claim(UserId("rep"), CustomerId(id));
    EXPECT_REFUSED(refused, cooldown);
    if (!refused.ok()) {
      EXPECT_EQ(refused.refusal().retry_after, until) << id;
    }
  }
  EXPECT_HIGHSEAS_OK(pool.claim(UserId("rep"), CustomerId("c4")));
  EXPECT_HIGHSEAS_OK(pool.claim(UserId("rep2"), CustomerId("c1")));
  // Written after the upgrade, a pool's release cooldown and daily limit are kept.
  ClaimPolicy changed = pool.info(UserId("boss"))->policy;
  changed.release_cooldown = hours(6);
  changed.daily_limit = DailyLimit{3, {{"A", 1}}, true};
  ASSERT_HIGHSEAS_OK(pool.set_policy(UserId("boss"), changed));
  EXPECT_EQ(pool.info(UserId("boss"))->policy, changed);
  EXPECT_EQ(single_text(path, "SELECT daily_limit FROM pools WHERE pool = 'p'"), "3,A=1,assigned");
  EXPECT_EQ(single_integer(path, "SELECT release_cooldown FROM pools WHERE pool = 'p'"),
            21'600'000'000);
}

TEST(SqliteMigrationTest, StoredCooldownsOrADailyLimitThatDoNotParseAreAStorageError) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  write_version_10(path, 7, 9);
  { SqliteStorage storage(SqliteOptions{path}); }  // migrated
  auto error_of = [&](auto read) {
    SqliteStorage storage(SqliteOptions{path});
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    try {
      read(*tx);
    } catch (const StorageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  const std::string file = "SQLite storage '" + path + "'";
  exec_raw(path, "UPDATE customers SET cooldowns = 'rep' || char(31) || 'soon' WHERE id = 'c1'");
  EXPECT_EQ(error_of([](Transaction& tx) { tx.find_customer(CustomerId("c1")); }),
            file + ": column customers.cooldowns: not cooldowns: 'rep\x1fsoon'");
  exec_raw(path, "UPDATE pools SET daily_limit = 'three a day' WHERE pool = 'p'");
  EXPECT_EQ(error_of([](Transaction& tx) { tx.find_pool(); }),
            file + ": column pools.daily_limit: not a daily limit: 'three a day'");
  // Nor is a limit written that would not read back (PublicPool validates
  // first; a storage called directly refuses it whole).
  exec_raw(path, "UPDATE pools SET daily_limit = '' WHERE pool = 'p'");
  SqliteStorage storage(SqliteOptions{path});
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
  PoolRecord pool = *tx->find_pool();
  pool.policy.daily_limit = DailyLimit{2, {{"A,B", 1}}, false};
  try {
    tx->put_pool(pool);
    FAIL() << "stored";
  } catch (const StorageError& error) {
    EXPECT_EQ(std::string(error.what()),
              file + ": column pools.daily_limit: cannot store the daily limit '2,A,B=1' exactly");
  }
  EXPECT_EQ(tx->find_pool()->policy.daily_limit, DailyLimit{}) << "nothing written";
}

TEST(SqliteMigrationTest, AStoredRuleThatDoesNotParseIsAStorageErrorNamingFileAndColumn) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const Time deadline = utc(2026, 2, 1);
  write_version_5(path, (deadline - utc(1970, 1, 1)).total_microseconds());
  { SqliteStorage storage(SqliteOptions{path}); }  // migrated
  auto error_of = [&](const char* pool, auto read) {
    SqliteStorage storage(SqliteOptions{path});
    auto tx = storage.begin(PoolId(pool), TransactionMode::read_only);
    try {
      read(*tx);
    } catch (const StorageError& error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  auto find_pool = [](Transaction& tx) { tx.find_pool(); };
  auto find_c1 = [](Transaction& tx) { tx.find_customer(CustomerId("c1")); };
  const std::string file = "SQLite storage '" + path + "'";
  exec_raw(path, "UPDATE pools SET level_rules = 'A=60d,' WHERE pool = 'p'");
  EXPECT_EQ(error_of("p", find_pool),
            file + ": column pools.level_rules: not level rules: 'A=60d,'");
  exec_raw(path, "UPDATE pools SET default_idle_limit = '7 days' WHERE pool = 'q'");
  EXPECT_EQ(error_of("q", find_pool),
            file + ": column pools.default_idle_limit: not a span: '7 days'");
  exec_raw(path, "UPDATE customers SET idle_limit = '14x' WHERE id = 'c1'");
  EXPECT_EQ(error_of("p", find_c1), file + ": column customers.idle_limit: not a span: '14x'");
  exec_raw(path,
           "UPDATE customers SET idle_limit = NULL, deadline_reason = 'late' WHERE id = 'c1'");
  EXPECT_EQ(error_of("p", find_c1),
            file + ": unknown deadline reason in column customers.deadline_reason 'late'");
}

TEST(SqliteMigrationTest, AVersion0FileMarkedAsOursGetsTheWholeSchema) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string mark =
      "PRAGMA application_id = " + std::to_string(sqlite_detail::kApplicationId);
  ASSERT_EQ(sqlite3_exec(db, mark.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  SqliteStorage storage(SqliteOptions{path});
  EXPECT_EQ(single_integer(path, "PRAGMA user_version"), SqliteStorage::kSchemaVersion);
  EXPECT_TRUE(std::filesystem::exists(path + "-wal")) << "the file was not switched to WAL";
  EXPECT_EQ(single_integer(path, "SELECT count(*) FROM sqlite_master WHERE name = 'customers'"), 1);
}

}  // namespace
}  // namespace highseas::test

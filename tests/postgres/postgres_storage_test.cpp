// PostgresStorage beyond the conformance suite: the schema it creates and
// migrates, connections lost and regained, and PostgresClock.
#include "highseas/postgres/postgres_storage.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "admin_connection.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"
#include "pq.hpp"
#include "statements.hpp"

namespace highseas {
namespace {

const UserId kBoss("boss");
const UserId kRep("rep");

TEST(PostgresStorage, CreatesItsSchemaWithAVersionTableUnderAnyName) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  // Quotes, a semicolon and spaces: the name must be quoted, never spliced.
  const std::string schema = test::fresh_schema("Odd \"name\"; DROP");
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + admin.quote(schema) + ".schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  ManualClock clock;
  PublicPool pool(PoolId("p"), storage, clock);
  EXPECT_HIGHSEAS_OK(pool.create(kBoss));
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + admin.quote(schema) + ".pools"), "1");
}

TEST(PostgresStorage, ReopeningAnExistingSchemaKeepsEverything) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  ManualClock clock;
  {
    PostgresStorage storage({uri, schema});
    PublicPool pool(PoolId("p"), storage, clock);
    ASSERT_HIGHSEAS_OK(pool.create(kBoss));
    ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, kRep, Role::pool_user));
  }
  PostgresStorage reopened({uri, schema});
  PublicPool pool(PoolId("p"), reopened, clock);
  auto members = pool.members(kBoss);
  ASSERT_HIGHSEAS_OK(members);
  EXPECT_EQ(members->size(), 2u);
}

TEST(PostgresStorage, RefusesASchemaNewerThanTheLibrary) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  { PostgresStorage storage({uri, schema}); }
  test::AdminConnection admin(uri);
  ASSERT_EQ(admin.query("UPDATE " + admin.quote(schema) + ".schema_version SET version = 99"), "");
  EXPECT_THROW(PostgresStorage({uri, schema}), StorageError);
}

TEST(PostgresStorage, AnUnreachableServerIsAStorageErrorAfterCommandTimeout) {
  PostgresOptions options{"postgresql:///none?host=/nonexistent-dir&port=1", "x"};
  options.command_timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(PostgresStorage{options}, StorageError);
  EXPECT_THROW(PostgresClock{options}, StorageError);
  // Each waited for the server (it might have been restarting), then gave up.
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, std::chrono::milliseconds(2 * 300 - 2 * 200));
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(PostgresStorage, ReconnectsAfterTheServerDropsItsConnections) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string app = test::fresh_schema("kill");
  PostgresStorage storage(
      {test::with_parameter(uri, "application_name=" + app), test::fresh_schema()});
  ManualClock clock;
  PublicPool pool(PoolId("p"), storage, clock);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss));
  test::AdminConnection admin(uri);
  ASSERT_EQ(admin.kill_sessions(app), "1");
  // The pooled connection is dead; the next command gets a new one.
  EXPECT_HIGHSEAS_OK(pool.set_member(kBoss, kRep, Role::pool_user));
  EXPECT_HIGHSEAS_OK(pool.members(kBoss));
}

TEST(PostgresStorage, AConnectionLostMidTransactionIsRetryableAndAppliesNothing) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string app = test::fresh_schema("kill");
  PostgresStorage storage(
      {test::with_parameter(uri, "application_name=" + app), test::fresh_schema()});
  ManualClock clock;
  PublicPool pool(PoolId("p"), storage, clock);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss));
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    tx->put_member(kRep, Role::pool_user);
    test::AdminConnection admin(uri);
    ASSERT_EQ(admin.kill_sessions(app), "1");
    EXPECT_THROW(tx->list_members(), RetryableStorageError);
  }
  auto members = pool.members(kBoss);
  ASSERT_HIGHSEAS_OK(members);
  ASSERT_EQ(members->size(), 1u);
  EXPECT_EQ(members->front().user, kBoss);
}

TEST(PostgresStorage, ReadOnlyTransactionsRefuseWrites) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresStorage storage({uri, test::fresh_schema()});
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_THROW(tx->put_member(kRep, Role::pool_user), std::logic_error);
}

TEST(PostgresStorage, ConcurrentImportsOfTheSameNameCollideInsteadOfDuplicating) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  ManualClock clock;
  {
    PostgresStorage storage({uri, schema});
    PublicPool pool(PoolId("p"), storage, clock);
    ASSERT_HIGHSEAS_OK(pool.create(kBoss));
  }
  constexpr int kNames = 20;
  std::size_t imported[2] = {0, 0};
  std::size_t collisions[2] = {0, 0};
  std::vector<std::thread> importers;
  for (int side = 0; side < 2; ++side) {
    importers.emplace_back([&, side] {
      // Each importer has its own storage, as two app servers would.
      PostgresStorage storage({uri, schema});
      PublicPool pool(PoolId("p"), storage, clock);
      std::vector<CustomerProfile> batch;
      for (int n = 0; n < kNames; ++n) {
        CustomerProfile profile;
        profile.id = CustomerId(test::numbered(side == 0 ? "a" : "b", n));
        profile.name = test::numbered("Same Company ", n);
        batch.push_back(profile);
      }
      auto report = pool.import_customers(kBoss, batch);
      ASSERT_HIGHSEAS_OK(report);
      imported[side] = report->imported.size();
      for (const ImportProblem& problem : report->problems) {
        if (problem.collision && problem.collision->by_name) ++collisions[side];
      }
    });
  }
  for (std::thread& importer : importers) importer.join();
  EXPECT_EQ(imported[0] + imported[1], static_cast<std::size_t>(kNames));
  EXPECT_EQ(collisions[0] + collisions[1], static_cast<std::size_t>(kNames));
}

// A version-1 schema as HighSeas 0.1 wrote it: c2 (inserted first) won with
// the kind only in its note; c1, given the same name key later, is held.
void write_version_1(const std::string& uri, const std::string& schema) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 1);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools VALUES ('p', true, 2592000000000, 20, 1296000000000, 2, "
                        "604800000000, 0, NULL)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user')"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "customers VALUES "
                        "('p', 'c2', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 'regular', 'rep', 5, "
                        "NULL, 0, NULL, NULL, NULL)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "customers VALUES "
                        "('p', 'c1', 'ACME LTD', 'DE', 'A', '', 'acmeltd', 'held', 'rep', 0, "
                        "4000000000000000, 0, NULL, NULL, NULL)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + "holding_counts VALUES ('p', 'rep', 1)"), "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "history (pool, customer_id, at_us, kind, actor, holder_before, "
                        "holder_after, deadline_us, note) VALUES "
                        "('p', 'c2', 5, 'won', 'rep', 'rep', 'rep', NULL, 'payment_received'), "
                        "('p', 'c1', 0, 'claimed', 'rep', NULL, 'rep', 4000000000000000, '')"),
            "");
}

TEST(PostgresStorage, UpgradingAVersion1SchemaMovesTheWinKindOutOfTheNote) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  write_version_1(uri, schema);
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + admin.quote(schema) + ".schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  ManualClock clock(utc(2026, 1, 10));
  PublicPool pool(PoolId("p"), storage, clock);
  auto won = pool.history(kBoss, CustomerId("c2"));
  ASSERT_HIGHSEAS_OK(won);
  ASSERT_EQ(won->size(), 1u);
  EXPECT_EQ(won->at(0).win, WinKind::payment_received);
  EXPECT_EQ(won->at(0).note, "payment_received") << "the note stays as it was";
  EXPECT_EQ(won->at(0).at, utc(1970, 1, 1) + boost::posix_time::microseconds(5));
  auto held = pool.customer(kBoss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(held);
  EXPECT_EQ(held->holder, kRep);
  EXPECT_EQ(held->deadline, utc(1970, 1, 1) + boost::posix_time::microseconds(4000000000000000));
  // The first customer given a name key keeps it, as in every storage.
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_EQ(tx->find_by_name_key("acmeltd"), CustomerId("c2"));
  tx.reset();
  // A win recorded after the upgrade is stored in the new column.
  ASSERT_HIGHSEAS_OK(pool.record_win(kBoss, CustomerId("c1"), WinKind::contract_signed));
  EXPECT_EQ(pool.history(kBoss, CustomerId("c1"))->back().win, WinKind::contract_signed);
}

// Builds a version-2 schema whose name keys are what name_key returned before
// utf8proc: c1 "Cafe\u0301 Ltd" (a macOS export's combining accent) kept the
// mark apart; a name and an id with quotes, a backslash, a comma and braces
// (which the re-keying passes in text arrays); and 2500 customers "ÉCOLE <n>"
// that kept the capital É, more than one batch.
void write_version_2(const std::string& uri, const std::string& schema) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 2);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  const std::string columns =
      "customers (pool, id, name, country, level, tags, name_key, state, extensions_used) ";
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools VALUES ('p', true, 2592000000000, 20, 1296000000000, 2, "
                        "604800000000, 0, NULL)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + "members VALUES ('p', 'boss', 'boss')"), "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + columns +
                        "VALUES ('p', 'c1', 'Cafe\u0301 Ltd', 'FR', 'A', '', 'cafe\u0301ltd', "
                        "'available', 0), ('p', 'q\"\\,{}', 'O\"Brien\\ \u00c9TS', 'FR', "
                        "'A', '', 'obrien\u00c9ts', 'available', 0)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + columns +
                        "SELECT 'p', 'e' || i, '\u00c9COLE ' || i, 'FR', 'B', '', "
                        "'\u00c9cole' || i, 'available', 0 FROM generate_series(1, 2500) i"),
            "");
}

TEST(PostgresStorage, UpgradingAVersion2SchemaReKeysNamesWithUtf8proc) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  write_version_2(uri, schema);
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  EXPECT_EQ(admin.query("SELECT name_key FROM " + in + "customers WHERE id = 'c1'"),
            "caf\u00e9ltd");
  EXPECT_EQ(admin.query("SELECT name_key FROM " + in + "customers WHERE id = 'q\"\\,{}'"),
            "obrien\u00e9ts");
  EXPECT_EQ(
      admin.query("SELECT count(*) FROM " + in +
                  "customers WHERE id LIKE 'e%' AND name_key = '\u00e9cole' || substr(id, 2)"),
      "2500")
      << "every batch is re-keyed";
  // The duplicate check finds the old rows by the composed spelling.
  ManualClock clock(utc(2026, 1, 10));
  PublicPool pool(PoolId("p"), storage, clock);
  const std::vector<CustomerProfile> batch{{CustomerId("c9"), "Caf\u00e9 Ltd", "FR", "A", {}},
                                           {CustomerId("c10"), "\u00e9cole 2500", "FR", "A", {}}};
  auto report = pool.import_customers(kBoss, batch);
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->problems.size(), 2U);
  ASSERT_TRUE(report->problems[0].collision.has_value());
  EXPECT_EQ(report->problems[0].collision->existing, CustomerId("c1"));
  ASSERT_TRUE(report->problems[1].collision.has_value());
  EXPECT_EQ(report->problems[1].collision->existing, CustomerId("e2500"));
}

// A version-3 schema, before return rules: pool p with a 45-day holding
// period, pool q with 12 hours; in p, c1 held by rep until `deadline` (one
// extension, a follow-up, two history entries) and c2 available, rep's
// cooldown on it running.
void write_version_3(const std::string& uri, const std::string& schema, std::int64_t deadline) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 3);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  const std::string d = std::to_string(deadline);
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools VALUES ('p', true, 3888000000000, 20, 1296000000000, 2, "
                        "604800000000, 0, NULL), ('q', true, 43200000000, 5, 3600000000, 1, 0, "
                        "0, NULL)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user')"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "customers (pool, id, name, country, level, tags, name_key, state, "
                        "holder, since, deadline, extensions_used, last_follow_up, "
                        "cooldown_user, cooldown_until) VALUES "
                        "('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 'held', 'rep', 0, " +
                        d +
                        ", 1, 86400000000, NULL, NULL), "
                        "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 'available', NULL, 0, "
                        "NULL, 0, NULL, 'rep', " +
                        d + ")"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + "holding_counts VALUES ('p', 'rep', 1)"), "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "history (pool, customer_id, at, kind, actor, holder_before, "
                        "holder_after, deadline, note, win) VALUES "
                        "('p', 'c1', 0, 'claimed', 'rep', NULL, 'rep', " +
                        d + ", '', NULL), ('p', 'c1', 10, 'extended', 'boss', 'rep', 'rep', " + d +
                        ", '', NULL)"),
            "");
}

TEST(PostgresStorage, UpgradingAVersion3SchemaGivesEveryRecordTheReturnRulesDefaults) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  const Time epoch = utc(1970, 1, 1);
  const Time deadline = utc(2026, 2, 1);
  write_version_3(uri, schema, (deadline - epoch).total_microseconds());
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  EXPECT_EQ(admin.query("SELECT default_period FROM " + in + "pools WHERE pool = 'p'"), "45d");
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    ClaimPolicy expected;  // the defaults, but for the old holding period
    expected.default_rule.holding_period = days(45);
    EXPECT_EQ(pool->policy, expected);
    EXPECT_FALSE(pool->policy.default_rule.idle_limit.has_value());
    EXPECT_TRUE(pool->policy.levels.empty());
    EXPECT_EQ(pool->policy.protection.max_per_user, 0U) << "protection off";
    EXPECT_EQ(pool->policy_version, 1U);
    EXPECT_EQ(pool->policy_since, epoch) << "created_at";

    CustomerRecord held;
    held.state = CustomerState::held;
    held.holder = kRep;
    held.since = epoch;
    held.deadline = deadline;
    held.deadline_reason = DeadlineReason::period;
    held.period_deadline = deadline;
    held.policy_version = 1;
    held.extensions_used = 1;
    held.last_follow_up = utc(1970, 1, 2);
    held.period_length = days(45);  // the pool's period (version 5)
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), held);
    CustomerRecord available;
    available.since = epoch;
    available.cooldowns = {{kRep, deadline}};  // one wait, as version 9 keeps it
    EXPECT_EQ(tx->find_customer(CustomerId("c2")), available);

    const std::vector<HistoryEntry> history = tx->list_history(CustomerId("c1"));
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[0],
              (HistoryEntry{epoch, HistoryKind::claimed, kRep, std::nullopt, kRep, deadline, ""}));
    EXPECT_EQ(history[1].kind, HistoryKind::extended);
    for (const HistoryEntry& entry : history) {
      EXPECT_EQ(entry.deadline_reason, std::nullopt);
      EXPECT_EQ(entry.policy_version, 0U);
    }
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->policy.default_rule, (ReturnRule{hours(12), std::nullopt, {}}));
    EXPECT_EQ(pool->policy.max_holdings, 5U);
    EXPECT_EQ(pool->policy_version, 1U);
  }
  // The sweep returns the old holding with the reason and version it was given.
  ManualClock clock(deadline);
  PublicPool pool(PoolId("p"), storage, clock);
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  ASSERT_EQ(swept->returned.size(), 1U);
  auto history = pool.history(kBoss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(history);
  ASSERT_EQ(history->size(), 3U);
  EXPECT_EQ(history->back().kind, HistoryKind::returned);
  EXPECT_EQ(history->back().deadline_reason, DeadlineReason::period);
  EXPECT_EQ(history->back().policy_version, 1U);
  // A stored rule that does not parse is an error naming the column.
  ASSERT_EQ(admin.query("UPDATE " + in + "pools SET level_rules = 'A=60d,' WHERE pool = 'q'"), "");
  auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
  try {
    tx->find_pool();
    FAIL() << "read a malformed level_rules column";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.what(), "postgres schema \"" + schema +
                                "\": column pools.level_rules: not level rules: 'A=60d,'");
  }
}

// A version-4 schema, before policy changes reached running holdings. Pool
// p (policy version 3, created at `created`): 30 days by default, 60 for
// level A (with a 14-day idle limit), 10 business days for VIP; held c1
// (A), c2 (B, not listed), c3 (VIP); c4 (A) available, rep's cooldown on
// it; c5 (A) a regular customer. Pool q: 12 hours, no levels, created a day
// later; c6 (A) held there. c1 has two history entries.
void write_version_4(const std::string& uri, const std::string& schema, std::int64_t created,
                     std::int64_t deadline) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 4);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  const std::string t = std::to_string(created);
  const std::string d = std::to_string(deadline);
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools (pool, enabled, holding_period_us, max_holdings, extension_us, "
                        "max_extensions, cooldown_us, created_at_us, paused_since_us, "
                        "default_period, default_idle_limit, level_rules, protection_max, "
                        "protection_longest, policy_version) VALUES ('p', true, NULL, 20, "
                        "1296000000000, 2, 604800000000, " +
                        t +
                        ", NULL, '30d', NULL, 'A=60d/14d,VIP=10bd', 1, '5d', 3), ('q', true, "
                        "NULL, 5, 3600000000, 1, 0, " +
                        std::to_string(created + 86'400'000'000) +
                        ", NULL, '12h', NULL, '', 0, '30d', 1)"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user'), "
                        "('q', 'boss', 'boss'), ('q', 'rep', 'pool_user')"),
            "");
  ASSERT_EQ(
      admin.query(
          "INSERT INTO " + in +
          "customers (pool, id, name, country, level, tags, name_key, state, holder, since, "
          "deadline, extensions_used, last_follow_up, cooldown_user, cooldown_until, "
          "deadline_reason, period_deadline, idle_limit, idle_deadline, protected_until, "
          "policy_version) VALUES "
          "('p', 'c1', 'Acme Ltd', 'DE', 'A', '', 'acmeltd', 'held', 'rep', " +
          t + ", " + d + ", 1, " + t + ", NULL, NULL, 'idle', " + d + " + 7, '14d', " + d +
          ", NULL, 3), ('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 'held', 'rep', " + t + ", " +
          d + ", 0, NULL, NULL, NULL, 'period', " + d +
          ", NULL, NULL, NULL, 2), ('p', 'c3', 'Initech', 'US', 'VIP', '', 'initech', 'held', "
          "'rep', " +
          t + ", " + d + ", 0, NULL, NULL, NULL, 'period', " + d +
          ", NULL, NULL, NULL, 3), ('p', 'c4', 'Umbrella', 'FR', 'A', '', 'umbrella', "
          "'available', NULL, " +
          t + ", NULL, 0, NULL, 'rep', " + d +
          ", 'period', NULL, NULL, NULL, NULL, 0), ('p', 'c5', 'Hooli', 'US', 'A', '', 'hooli', "
          "'regular', NULL, " +
          t +
          ", NULL, 0, NULL, NULL, NULL, 'period', NULL, NULL, NULL, NULL, 0), ('q', 'c6', "
          "'Stark', 'US', 'A', '', 'stark', 'held', 'rep', " +
          t + ", " + d + ", 0, NULL, NULL, NULL, 'period', " + d + ", NULL, NULL, NULL, 1)"),
      "");
  ASSERT_EQ(
      admin.query("INSERT INTO " + in + "holding_counts VALUES ('p', 'rep', 3), ('q', 'rep', 1)"),
      "");
  ASSERT_EQ(
      admin.query("INSERT INTO " + in +
                  "history (pool, customer_id, at, kind, actor, holder_before, "
                  "holder_after, deadline, note, win, deadline_reason, policy_version) "
                  "VALUES ('p', 'c1', " +
                  t + ", 'claimed', 'rep', NULL, 'rep', " + d +
                  ", '', NULL, 'period', 3), ('p', 'c1', " + t +
                  ", 'followed_up', 'rep', 'rep', 'rep', " + d + ", 'called', NULL, 'idle', 3)"),
      "");
}

TEST(PostgresStorage, UpgradingAVersion4SchemaGivesHoldingsTheirPeriodAndPoolsTheirPolicySince) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  const Time epoch = utc(1970, 1, 1);
  const Time created = utc(2026, 1, 5) + seconds(3);
  const Time deadline = utc(2026, 2, 1);
  write_version_4(uri, schema, (created - epoch).total_microseconds(),
                  (deadline - epoch).total_microseconds());
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "customers"), "6") << "every record kept";
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    EXPECT_EQ(pool->created_at, created);
    EXPECT_EQ(pool->policy_since, created);
    EXPECT_EQ(pool->policy_version, 3U);
    EXPECT_EQ(pool->policy.rule_for("A"), (ReturnRule{days(60), Span::time(days(14)), {}}));
    EXPECT_EQ(pool->policy.time_zone, "UTC") << "pools made before count in UTC, as they did";
    EXPECT_EQ(pool->calendar_version, 0U);
    EXPECT_EQ(tx->find_calendar(1), std::nullopt) << "no calendar yet, and a table to keep one";

    // Every field as it was, and the period level A's rule gives.
    CustomerRecord c1;
    c1.state = CustomerState::held;
    c1.holder = kRep;
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
    c4.cooldowns = {{kRep, deadline}};
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
  EXPECT_EQ(admin.query("SELECT period_length FROM " + in + "customers WHERE id = 'c7'"), "0d");
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "customers WHERE period_length = " +
                        "(SELECT period_length FROM " + in + "customers WHERE id = 'c7')"),
            "3")
      << "c4, c5 and c7";
  // Given back by the set-based statement, the holdings have no period length.
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    EXPECT_EQ(tx->return_due(DueReturn{deadline, days(7)}, 10).size(), 3U);
    tx->commit();
  }
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in +
                        "customers WHERE pool = 'p' AND period_length = '0d'"),
            "6");
}

TEST(PostgresStorage, AHoldingPeriodTheSpanTextCannotCarryStopsTheUpgrade) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 3);
  }
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools VALUES ('odd', true, 2592000000001, 20, 1296000000000, 2, "
                        "604800000000, 0, NULL)"),
            "");
  try {
    PostgresStorage storage({uri, schema});
    FAIL() << "opened";
  } catch (const StorageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("pool 'odd'"), std::string::npos) << message;
    EXPECT_NE(message.find("pools.default_period"), std::string::npos) << message;
  }
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"), "3")
      << "the migration rolled back";
}

// A version-6 schema (before extensions could count business days) with
// pools p (extends by 5 days) and q (by 90 minutes), and, if `odd_pool`, a
// pool whose 1.5 s extension the span text cannot carry.
void write_version_6(const std::string& uri, const std::string& schema, bool odd_pool) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 6);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  std::string rows =
      "('p', true, '30d', 20, 432000000000, 2, 604800000000), ('q', true, '12h', 5, "
      "5400000000, 1, 0)";
  if (odd_pool) rows += ", ('odd', true, '30d', 20, 1500000, 2, 0)";
  ASSERT_EQ(admin.query("INSERT INTO " + admin.quote(schema) +
                        ".pools (pool, enabled, default_period, max_holdings, extension_us, "
                        "max_extensions, cooldown_us) VALUES " +
                        rows),
            "");
}

TEST(PostgresStorage, UpgradingAVersion6SchemaKeepsEachPoolsExtensionAsASpan) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  write_version_6(uri, schema, false);
  PostgresStorage storage({uri, schema});
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
  test::AdminConnection admin(uri);
  EXPECT_EQ(
      admin.query("SELECT extension_span FROM " + admin.quote(schema) + ".pools WHERE pool = 'p'"),
      "3bd");
}

TEST(PostgresStorage, AnExtensionTheSpanTextCannotCarryStopsTheUpgrade) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  write_version_6(uri, schema, true);
  try {
    PostgresStorage storage({uri, schema});
    FAIL() << "opened";
  } catch (const StorageError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("pool 'odd'"), std::string::npos) << message;
    EXPECT_NE(message.find("pools.extension_span"), std::string::npos) << message;
  }
  test::AdminConnection admin(uri);
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + admin.quote(schema) + ".schema_version"), "6")
      << "the migration rolled back";
}

// A version-7 schema, before reminders: pool p (30 days, created at
// `since`) and c1 held by rep from `since` until `deadline`, with its
// history entry.
void write_version_7(const std::string& uri, const std::string& schema, std::int64_t since,
                     std::int64_t deadline) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 7);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  const std::string t = std::to_string(since);
  const std::string d = std::to_string(deadline);
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools (pool, enabled, default_period, max_holdings, extension_us, "
                        "extension_span, max_extensions, cooldown_us, created_at_us, "
                        "policy_since) VALUES ('p', true, '30d', 20, 1296000000000, '15d', 2, "
                        "604800000000, " +
                        t + ", " + t + ")"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user')"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "customers (pool, id, name, country, level, tags, name_key, state, "
                        "holder, since, deadline, extensions_used, deadline_reason, "
                        "period_deadline, policy_version, period_length) VALUES ('p', 'c1', "
                        "'Acme Ltd', 'DE', 'A', '', 'acmeltd', 'held', 'rep', " +
                        t + ", " + d + ", 0, 'period', " + d + ", 1, '30d')"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + "holding_counts VALUES ('p', 'rep', 1)"), "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "history (pool, customer_id, at, kind, actor, holder_before, "
                        "holder_after, deadline, note, win, deadline_reason, policy_version) "
                        "VALUES ('p', 'c1', " +
                        t + ", 'claimed', 'rep', NULL, 'rep', " + d + ", '', NULL, 'period', 1)"),
            "");
}

TEST(PostgresStorage, UpgradingAVersion7SchemaGivesHoldingsAndPoolsNoReminders) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  const Time epoch = utc(1970, 1, 1);
  const Time since = utc(2026, 1, 5);
  const Time deadline = since + days(30);
  write_version_7(uri, schema, (since - epoch).total_microseconds(),
                  (deadline - epoch).total_microseconds());
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"),
            std::to_string(PostgresStorage::schema_version()));
  // The stored values themselves: '' (not NULL) for no reminders, NULL for
  // no reminder due, 0 sent.
  EXPECT_EQ(admin.query("SELECT reminders = '' AND reminder_due IS NULL AND reminders_sent = 0 "
                        "FROM " +
                        in + "customers WHERE id = 'c1'"),
            "t");
  EXPECT_EQ(admin.query("SELECT default_reminders = '' FROM " + in + "pools WHERE pool = 'p'"),
            "t");
  // The reminder sweep's index, over the holdings with a reminder armed only.
  EXPECT_EQ(admin.query("SELECT indexdef LIKE '%(pool, reminder_due, id) WHERE ((state = "
                        "''held''::text) AND (reminder_due IS NOT NULL))' FROM pg_indexes WHERE "
                        "schemaname = '" +
                        schema + "' AND indexname = 'customers_reminder_due'"),
            "t");
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    ClaimPolicy expected;  // the defaults, but for the old holding period
    expected.default_rule.holding_period = days(30);
    EXPECT_EQ(pool->policy, expected);
    EXPECT_TRUE(pool->policy.default_rule.reminders.empty());

    // Every field as it was, and no reminders.
    CustomerRecord c1;
    c1.state = CustomerState::held;
    c1.holder = kRep;
    c1.since = since;
    c1.deadline = deadline;
    c1.period_deadline = deadline;
    c1.policy_version = 1;
    c1.period_length = days(30);
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), c1);
    EXPECT_TRUE(tx->list_reminders_due(deadline + days(1), 10).empty())
        << "a holding from before has no reminder to send";
  }
  // The sweep returns it at its deadline with nothing sent before.
  ManualClock clock(deadline);
  PublicPool pool(PoolId("p"), storage, clock);
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  EXPECT_EQ(swept->returned.size(), 1U);
  EXPECT_TRUE(swept->reminded.empty());
}

// A version-8 schema, before each giver-back kept their own wait: pool p
// (30 days, a 3-day cooldown, created at `since`); c1 held by rep from
// `since` until `deadline`, ann's old wait on it running until `ann_until`;
// c2 available, rep in cooldown until `deadline`; c3 available, no
// cooldown; c4 available with a cooldown user but no end (a not_a_date_time
// cooldown wrote that; it never ran).
void write_version_8(const std::string& uri, const std::string& schema, std::int64_t since,
                     std::int64_t deadline, std::int64_t ann_until) {
  {
    pg::Connection connection(PostgresOptions{.connection = uri}, Deadline::max());
    pg::migrate(connection, schema, 8);
  }
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  const std::string t = std::to_string(since);
  const std::string d = std::to_string(deadline);
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "pools (pool, enabled, default_period, max_holdings, extension_us, "
                        "extension_span, max_extensions, cooldown_us, created_at_us, "
                        "policy_since) VALUES ('p', true, '30d', 20, 1296000000000, '15d', 2, "
                        "259200000000, " +
                        t + ", " + t + ")"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in +
                        "members VALUES ('p', 'boss', 'boss'), ('p', 'rep', 'pool_user'), "
                        "('p', 'ann', 'pool_user')"),
            "");
  const std::string columns =
      "customers (pool, id, name, country, level, tags, name_key, state, holder, since, "
      "deadline, extensions_used, cooldown_user, cooldown_until, deadline_reason, "
      "period_deadline, policy_version, period_length) VALUES ";
  ASSERT_EQ(admin.query("INSERT INTO " + in + columns + "('p', 'c1', 'Acme Ltd', 'DE', 'A', '', " +
                        "'acmeltd', 'held', 'rep', " + t + ", " + d + ", 0, 'ann', " +
                        std::to_string(ann_until) + ", 'period', " + d + ", 1, '30d'), " +
                        "('p', 'c2', 'Globex', 'BR', 'B', '', 'globex', 'available', NULL, " + t +
                        ", NULL, 0, 'rep', " + d + ", 'period', NULL, 0, '0d'), " +
                        "('p', 'c3', 'Initech', 'US', 'B', '', 'initech', 'available', NULL, " + t +
                        ", NULL, 0, NULL, NULL, 'period', NULL, 0, '0d'), " +
                        "('p', 'c4', 'Hooli', 'US', 'B', '', 'hooli', 'available', NULL, " + t +
                        ", NULL, 0, 'ann', NULL, 'period', NULL, 0, '0d')"),
            "");
  ASSERT_EQ(admin.query("INSERT INTO " + in + "holding_counts VALUES ('p', 'rep', 1)"), "");
}

TEST(PostgresStorage, UpgradingAVersion8SchemaKeepsEachCooldownAndGivesPoolsNoDailyLimit) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  const Time epoch = utc(1970, 1, 1);
  const Time since = utc(2026, 1, 5, 9, 30);
  const Time deadline = since + days(30);
  const Time ann_until = deadline + days(2);
  auto micros = [&](Time at) { return (at - epoch).total_microseconds(); };
  write_version_8(uri, schema, micros(since), micros(deadline), micros(ann_until));
  PostgresStorage storage({uri, schema});
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT max(version) FROM " + in + "schema_version"), "9");
  EXPECT_EQ(PostgresStorage::schema_version(), 9);
  // The stored values themselves: one wait each as encode_cooldowns writes
  // it, '' (never NULL) for none; the old columns are gone.
  EXPECT_EQ(
      admin.query("SELECT cooldowns = 'rep' || chr(31) || '" + std::to_string(micros(deadline)) +
                  "' FROM " + in + "customers WHERE id = 'c2'"),
      "t");
  EXPECT_EQ(admin.query("SELECT string_agg(id, ',' ORDER BY id) FROM " + in +
                        "customers WHERE cooldowns = ''"),
            "c3,c4");
  EXPECT_EQ(admin.query("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" +
                        schema +
                        "' AND table_name = 'customers' AND column_name IN ('cooldown_user', "
                        "'cooldown_until')"),
            "0");
  EXPECT_EQ(admin.query("SELECT release_cooldown_us = cooldown_us AND daily_limit = '' FROM " + in +
                        "pools WHERE pool = 'p'"),
            "t");
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "daily_takes"), "0");
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::optional<PoolRecord> pool = tx->find_pool();
    ASSERT_TRUE(pool.has_value());
    ClaimPolicy expected;  // the defaults, but for the old period and cooldown
    expected.default_rule.holding_period = days(30);
    expected.reclaim_cooldown = days(3);
    expected.release_cooldown = days(3);  // a release waited the reclaim cooldown until now
    EXPECT_EQ(pool->policy, expected);
    EXPECT_EQ(pool->policy.release_cooldown, pool->policy.reclaim_cooldown);
    EXPECT_FALSE(pool->policy.daily_limit.any()) << "pools made before have no daily limit";

    // Every field as it was, and the one wait each had.
    CustomerRecord c1;
    c1.state = CustomerState::held;
    c1.holder = kRep;
    c1.since = since;
    c1.deadline = deadline;
    c1.period_deadline = deadline;
    c1.policy_version = 1;
    c1.period_length = days(30);
    c1.cooldowns = {{UserId("ann"), ann_until}};
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), c1);
    CustomerRecord c2;
    c2.since = since;
    c2.cooldowns = {{kRep, deadline}};
    EXPECT_EQ(tx->find_customer(CustomerId("c2")), c2);
    EXPECT_TRUE(tx->find_customer(CustomerId("c3"))->cooldowns.empty());
    EXPECT_TRUE(tx->find_customer(CustomerId("c4"))->cooldowns.empty())
        << "a wait with no end never ran";
    EXPECT_EQ(tx->find_daily_takes(kRep), std::nullopt) << "nobody took under a limit yet";
  }
  // The sweep returns c1 at its deadline: rep's wait is appended to ann's.
  ManualClock clock(deadline);
  PublicPool pool(PoolId("p"), storage, clock);
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  ASSERT_EQ(swept->returned.size(), 1U);
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_customer(CustomerId("c1"))->cooldowns,
              (std::vector<Cooldown>{{UserId("ann"), ann_until}, {kRep, deadline + days(3)}}));
  }
  // A daily limit set after the upgrade counts in the new table.
  PolicyPatch patch;
  patch.daily_limit = DailyLimit{1, {}, false};
  ASSERT_HIGHSEAS_OK(pool.update_policy(kBoss, patch));
  auto refused = pool.claim(kRep, CustomerId("c1"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.refusal().code, RefusalCode::cooldown);
  ASSERT_HIGHSEAS_OK(pool.claim(kRep, CustomerId("c3")));
  refused = pool.claim(kRep, CustomerId("c2"));  // rep's wait on c2 ended at the deadline
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.refusal().code, RefusalCode::daily_limit);
  EXPECT_EQ(refused.refusal().retry_after, utc(2026, 2, 5));
  EXPECT_EQ(admin.query("SELECT user_id || ' ' || day || ' ' || claims || ' ' || assignments || "
                        "' [' || levels || ']' FROM " +
                        in + "daily_takes WHERE pool = 'p'"),
            "rep 2026-02-04 1 0 []");
}

TEST(PostgresStorage, TheReleaseCooldownAndDailyLimitRoundTrip) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  PostgresStorage storage({uri, schema});
  PoolRecord pool;
  pool.enabled = true;
  pool.policy.reclaim_cooldown = days(7);
  pool.policy.release_cooldown = hours(36);
  pool.policy.daily_limit = DailyLimit{3, {{"A", 1}, {"VIP", 2}}, true};
  PoolRecord plain;  // no limit; a release waits as long as a return
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    tx->put_pool(pool);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_write);
    tx->put_pool(plain);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_pool(), pool);
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_pool(), plain);
  }
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT release_cooldown_us || ' ' || daily_limit FROM " + in +
                        "pools WHERE pool = 'p'"),
            "129600000000 3,A=1,VIP=2,assigned");
  EXPECT_EQ(admin.query("SELECT daily_limit = '' FROM " + in + "pools WHERE pool = 'q'"), "t");
  // A stored limit that does not parse is an error naming the column.
  ASSERT_EQ(admin.query("UPDATE " + in + "pools SET daily_limit = 'A=' WHERE pool = 'q'"), "");
  auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
  try {
    tx->find_pool();
    FAIL() << "read a malformed daily_limit column";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.what(), "postgres schema \"" + schema +
                                "\": column pools.daily_limit: not a daily limit: 'A='");
  }
}

// One row per (pool, user), replaced by each put, in the columns
// src/sql/values.hpp describes.
TEST(PostgresStorage, DailyTakesKeepOneRowPerUserAndPool) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  PostgresStorage storage({uri, schema});
  const DailyTakes monday{LocalDate(2026, 3, 2), 2, 1, {{"A", 1, 1}, {"B", 1, 0}}};
  const DailyTakes tuesday{LocalDate(2026, 3, 3), 1, 0, {}};
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    EXPECT_EQ(tx->find_daily_takes(kRep), std::nullopt);
    tx->put_daily_takes(kRep, monday);
    EXPECT_EQ(tx->find_daily_takes(kRep), monday) << "its own write, in the same transaction";
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_write);
    tx->put_daily_takes(kRep, tuesday);
    tx->commit();
  }
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT day || ' ' || claims || ' ' || assignments || ' ' || levels FROM " +
                        in + "daily_takes WHERE pool = 'p' AND user_id = 'rep'"),
            "2026-03-02 2 1 A=1/1,B=1/0");
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    EXPECT_EQ(tx->find_daily_takes(kRep), monday);
    tx->put_daily_takes(kRep, tuesday);
    tx->commit();
  }
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_EQ(tx->find_daily_takes(kRep), tuesday) << "replaced";
  EXPECT_EQ(tx->find_daily_takes(kBoss), std::nullopt);
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "daily_takes"), "2") << "one per pool";
}

// Transaction::find_daily_takes: in a writer, what it read stays true until
// commit. The user's first take finds no row to lock, so the read waits on
// the user's holding counter instead: a second writer reading the same
// user's tally waits for the first to commit, then sees its take.
TEST(PostgresStorage, TwoFirstTakesOfOneUserReadTheTallyOneAfterTheOther) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  PostgresStorage storage({uri, schema});
  const DailyTakes first{LocalDate(2026, 3, 2), 1, 0, {}};
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
  ASSERT_EQ(tx->find_daily_takes(kRep), std::nullopt);
  std::atomic<bool> read{false};
  std::optional<DailyTakes> seen;
  std::thread second([&] {
    auto other = storage.begin(PoolId("p"), TransactionMode::read_write);
    seen = other->find_daily_takes(kRep);
    read = true;
    other->commit();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(read.load()) << "the second read did not wait for the first writer";
  tx->put_daily_takes(kRep, first);
  tx->commit();
  second.join();
  EXPECT_EQ(seen, first) << "the second writer read before the first committed";
  // Another user's tally does not wait.
  auto mine = storage.begin(PoolId("p"), TransactionMode::read_write);
  ASSERT_EQ(mine->find_daily_takes(kRep), first);
  std::thread other_user([&] {
    auto other = storage.begin(PoolId("p"), TransactionMode::read_write);
    EXPECT_EQ(other->find_daily_takes(kBoss), std::nullopt);
    other->commit();
  });
  other_user.join();
  mine->commit();
}

TEST(PostgresStorage, ThePoliciesRemindersRoundTripAsText) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  PostgresStorage storage({uri, schema});
  PoolRecord pool;
  pool.enabled = true;
  pool.policy.default_rule.holding_period = days(30);
  pool.policy.default_rule.reminders = {{days(7), ReminderAudience::holder},
                                        {Span::business_days(2), ReminderAudience::admins}};
  pool.policy.levels = {
      {"A", ReturnRule{days(60), Span::time(days(14)), {{days(1), ReminderAudience::boss}}}},
      {"B", ReturnRule{days(20), std::nullopt, {}}}};
  PoolRecord plain;  // no reminders anywhere
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    tx->put_pool(pool);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_write);
    tx->put_pool(plain);
    tx->commit();
  }
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_pool(), pool);
  }
  {
    auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
    EXPECT_EQ(tx->find_pool(), plain);
  }
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT default_reminders FROM " + in + "pools WHERE pool = 'p'"),
            "7d:holder;2bd:admins");
  EXPECT_EQ(admin.query("SELECT level_rules FROM " + in + "pools WHERE pool = 'p'"),
            "A=60d/14d@1d:boss,B=20d")
      << "a level's reminders travel inside level_rules";
  EXPECT_EQ(admin.query("SELECT default_reminders = '' FROM " + in + "pools WHERE pool = 'q'"),
            "t");
  // A stored list that does not parse is an error naming the column.
  ASSERT_EQ(admin.query("UPDATE " + in + "pools SET default_reminders = '7d' WHERE pool = 'q'"),
            "");
  auto tx = storage.begin(PoolId("q"), TransactionMode::read_only);
  try {
    tx->find_pool();
    FAIL() << "read a malformed default_reminders column";
  } catch (const StorageError& error) {
    EXPECT_EQ(error.what(), "postgres schema \"" + schema +
                                "\": column pools.default_reminders: not reminders: '7d'");
  }
}

// A holding's reminders are written and read as they are; resuming a pool
// moves when the next is due with the deadline; the set-based return
// (Sql::return_due) clears them as DueReturn::returned does.
TEST(PostgresStorage, AHoldingsRemindersMoveWithItsDeadlineAndGoWithTheSetBasedReturn) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema();
  PostgresStorage storage({uri, schema});
  const Time deadline = utc(2026, 3, 1);
  CustomerRecord armed;
  armed.state = CustomerState::held;
  armed.holder = kRep;
  armed.since = deadline - days(30);
  armed.deadline = deadline;
  armed.period_deadline = deadline;
  armed.period_length = days(30);
  armed.policy_version = 1;
  armed.reminders = {{days(7), ReminderAudience::holder},
                     {Span::business_days(3), ReminderAudience::admins},
                     {days(1), ReminderAudience::boss}};
  armed.reminder_due = deadline - days(3) - seconds(1);
  armed.reminders_sent = 1;
  CustomerRecord spent = armed;  // every reminder sent: none left due
  spent.reminder_due = Time();
  spent.reminders_sent = 7;
  CustomerRecord endless = armed;  // an infinite instant stays itself
  endless.reminder_due = Time(boost::posix_time::pos_infin);
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    tx->insert_customer({CustomerId("c1"), "C1", "", "", {}}, "c1", armed);
    tx->insert_customer({CustomerId("c2"), "C2", "", "", {}}, "c2", spent);
    tx->insert_customer({CustomerId("c3"), "C3", "", "", {}}, "c3", endless);
    tx->shift_deadlines(hours(24));
    tx->commit();
  }
  test::AdminConnection admin(uri);
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT reminders FROM " + in + "customers WHERE id = 'c1'"),
            "7d:holder;3bd:admins;1d:boss");
  EXPECT_EQ(admin.query("SELECT reminder_due IS NULL FROM " + in + "customers WHERE id = 'c2'"),
            "t");
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    for (CustomerRecord* record : {&armed, &spent, &endless}) {
      record->deadline += hours(24);
      record->period_deadline += hours(24);
      record->reminder_due += hours(24);  // not_a_date_time and infinity stay
    }
    EXPECT_EQ(tx->find_customer(CustomerId("c1")), armed);
    EXPECT_EQ(tx->find_customer(CustomerId("c2")), spent);
    EXPECT_EQ(tx->find_customer(CustomerId("c3")), endless);
  }
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    const std::vector<DueHolding> returned =
        tx->return_due(DueReturn{deadline + hours(24), days(7)}, 10);
    ASSERT_EQ(returned.size(), 3U);
    EXPECT_EQ(returned[0].record, armed) << "answered as it was before the return";
    tx->commit();
  }
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  const std::optional<CustomerRecord> c1 = tx->find_customer(CustomerId("c1"));
  ASSERT_TRUE(c1.has_value());
  EXPECT_EQ(c1->state, CustomerState::available);
  EXPECT_TRUE(c1->reminders.empty());
  EXPECT_TRUE(c1->reminder_due.is_not_a_date_time());
  EXPECT_EQ(c1->reminders_sent, 0U);
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in +
                        "customers WHERE reminders = '' AND reminder_due IS NULL AND "
                        "reminders_sent = 0"),
            "3");
}

TEST(PostgresStorage, TheFirstCustomerGivenANameKeyKeepsIt) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresStorage storage({uri, test::fresh_schema()});
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    CustomerRecord regular;
    regular.state = CustomerState::regular;
    tx->insert_customer({CustomerId("zeta"), "Zeta", "", "", {}}, "same", regular);
    tx->insert_customer({CustomerId("alpha"), "Alpha", "", "", {}}, "same", regular);
    tx->commit();
  }
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_EQ(tx->find_by_name_key("same"), CustomerId("zeta"));
}

TEST(PostgresStorage, SpecialTimesAndDurationsRoundTrip) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresStorage storage({uri, test::fresh_schema()});
  PoolRecord pool;
  pool.enabled = true;
  // The cooldown is the one Duration column left: every other length is a
  // Span, stored as text, which has no special values.
  pool.policy.reclaim_cooldown = Duration(boost::posix_time::not_a_date_time);
  pool.created_at = Time(boost::posix_time::neg_infin);
  CustomerRecord held;
  held.state = CustomerState::held;
  held.holder = kRep;
  held.since = utc(2026, 1, 1);
  held.deadline = Time(boost::posix_time::pos_infin);
  {
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
    tx->put_pool(pool);
    tx->insert_customer({CustomerId("c1"), "C1", "", "", {}}, "c1", held);
    tx->shift_deadlines(boost::posix_time::hours(24));
    tx->commit();
  }
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool(), pool);
  EXPECT_EQ(tx->find_customer(CustomerId("c1")), held) << "an infinite deadline stays infinite";
}

TEST(PostgresStorage, ATransactionBeyondMaxConnectionsWaitsThenFailsClearly) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresOptions options{uri, test::fresh_schema()};
  options.max_connections = 1;
  options.connection_wait = std::chrono::milliseconds(100);
  PostgresStorage storage(options);
  auto first = storage.begin(PoolId("p"), TransactionMode::read_only);
  try {
    (void)storage.begin(PoolId("p"), TransactionMode::read_only);
    FAIL() << "a second connection was opened";
  } catch (const RetryableStorageError& error) {
    FAIL() << "not a retryable error: " << error.what();
  } catch (const StorageError& error) {
    EXPECT_NE(std::string(error.what()).find("postgres: all 1 connection busy for 100 ms"),
              std::string::npos)
        << error.what();
  }
  first.reset();
  EXPECT_NO_THROW((void)storage.begin(PoolId("p"), TransactionMode::read_only));
}

TEST(PostgresClock, ReadsTheServersClock) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  test::AdminConnection admin(uri);
  for (const Duration resync : {seconds(0), seconds(1)}) {
    PostgresClock clock({uri}, resync);
    const Time ours = clock.now();
    const std::string theirs =
        admin.query("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
    const Time server = utc(1970, 1, 1) + boost::posix_time::microseconds(std::stoll(theirs));
    EXPECT_LT((server - ours).abs(), seconds(1))
        << to_iso8601(ours) << " vs " << to_iso8601(server);
    Time previous = ours;
    for (int i = 0; i < 50; ++i) {
      const Time now = clock.now();
      EXPECT_GE(now, previous);
      previous = now;
    }
  }
}

TEST(PostgresClock, MovesBetweenResyncs) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresClock clock({uri}, seconds(60));
  const Time first = clock.now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_GE(clock.now() - first, boost::posix_time::milliseconds(20));
}

}  // namespace
}  // namespace highseas

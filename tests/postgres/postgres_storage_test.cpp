// PostgresStorage beyond the conformance suite: the schema it creates and
// migrates, connections lost and regained, and PostgresClock.
#include "highseas/postgres/postgres_storage.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "admin_connection.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"

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

TEST(PostgresStorage, AnUnreachableServerIsAStorageError) {
  EXPECT_THROW(PostgresStorage({"postgresql:///none?host=/nonexistent-dir&port=1", "x"}),
               StorageError);
  EXPECT_THROW(PostgresClock({"postgresql:///none?host=/nonexistent-dir&port=1", "x"}),
               StorageError);
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

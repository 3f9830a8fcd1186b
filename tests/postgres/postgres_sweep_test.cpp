// Sweeps on PostgreSQL: two sweepers at once, each with its own storage (as on
// two app servers), over 10,000 due holdings return each exactly once, with
// exact holding counters and one history entry each, and neither waits for
// the other; a sweep batch is one statement in one round trip.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <set>
#include <thread>

#include "admin_connection.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"
#include "postgres_transaction.hpp"
#include "storage_impl.hpp"

namespace highseas {
namespace {

constexpr int kDue = 10'000;
constexpr int kNotDue = 1'000;
constexpr int kUsers = 50;
const Time kNow = utc(2026, 3, 1);

// Fills `pool` straight through one transaction: `due` held customers past
// their deadlines and `not_due` held ones before them, spread over kUsers.
void fill(PostgresStorage& storage, const PoolId& pool, int due, int not_due) {
  auto tx = storage.begin(pool, TransactionMode::read_write);
  for (int n = 0; n < due + not_due; ++n) {
    CustomerProfile profile;
    profile.id = CustomerId(test::numbered("c", n));
    profile.name = test::numbered("Customer ", n);
    CustomerRecord record;
    record.state = CustomerState::held;
    record.holder = UserId(test::numbered("u", n % kUsers));
    record.since = utc(2026, 1, 1);
    record.deadline = (n < due ? utc(2026, 2, 1) : utc(2026, 4, 1)) + seconds(n % 977);
    tx->insert_customer(profile, profile.name, record);
  }
  tx->commit();
}

// This test is about who returns what, not how fast: on a loaded CI machine
// (ASan, other tests fsyncing) one COMMIT of a 512-row batch once took over the
// default 5 s command_timeout and failed the test with CommitOutcomeUnknown.
PostgresOptions patient(const std::string& uri, const std::string& schema) {
  PostgresOptions options{uri, schema};
  options.command_timeout = std::chrono::seconds(60);
  return options;
}

TEST(PostgresSweep, TwoSweepersReturnEachOfTenThousandDueHoldingsOnce) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("sweep");
  const PoolId id("sweep");
  ManualClock clock(kNow);
  {
    PostgresStorage storage(patient(uri, schema));
    PublicPool pool(id, storage, clock);
    ASSERT_HIGHSEAS_OK(pool.create(UserId("boss")));
    fill(storage, id, kDue, kNotDue);
  }

  std::atomic<int> ready{0};
  std::vector<ReturnedHolding> returned[2];
  std::vector<std::thread> sweepers;
  for (int node = 0; node < 2; ++node) {
    sweepers.emplace_back([&, node] {
      PostgresStorage storage(patient(uri, schema));
      PublicPool pool(id, storage, clock);
      ++ready;
      while (ready.load() < 2) std::this_thread::yield();
      auto report = pool.sweep();
      ASSERT_HIGHSEAS_OK(report);
      returned[node] = report->returned;
    });
  }
  for (std::thread& sweeper : sweepers) sweeper.join();

  std::set<CustomerId> seen;
  for (const auto& node : returned) {
    for (const ReturnedHolding& holding : node) {
      EXPECT_TRUE(seen.insert(holding.customer).second) << "returned twice: " << holding.customer;
    }
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kDue));
  // SKIP LOCKED: the second sweeper took other batches instead of waiting.
  EXPECT_GT(returned[0].size(), 0u);
  EXPECT_GT(returned[1].size(), 0u);

  PostgresStorage storage(patient(uri, schema));
  auto tx = storage.begin(id, TransactionMode::read_only);
  EXPECT_TRUE(tx->list_due(clock.now(), 10).empty());
  for (int user = 0; user < kUsers; ++user) {
    EXPECT_EQ(tx->count_holdings(UserId(test::numbered("u", user)), std::nullopt),
              static_cast<std::uint32_t>(kNotDue / kUsers));
  }

  // Behind the storage's back: the stored counters themselves (count_holdings
  // would hide a counter driven below zero), and the history of every customer.
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  const std::string in = admin.quote(schema) + ".";
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in +
                        "holding_counts h FULL JOIN (SELECT holder, "
                        "count(*) AS n FROM " +
                        in +
                        "customers WHERE state = 'held' "
                        "GROUP BY holder) c ON h.user_id = c.holder "
                        "WHERE coalesce(h.held, 0) <> coalesce(c.n, 0)"),
            "0");
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "holding_counts WHERE held <> " +
                        std::to_string(kNotDue / kUsers)),
            "0");
  EXPECT_EQ(admin.query("SELECT count(*) FROM " + in + "history"), std::to_string(kDue));
  // One 'returned' entry per returned customer, naming the holder that also
  // went into its cooldown: the one wait the customer has, appended to none,
  // ending a week after the deadline (the entry's time).
  EXPECT_EQ(admin.query("SELECT count(DISTINCT h.customer_id) FROM " + in + "history h JOIN " + in +
                        "customers c ON c.pool = h.pool AND c.id = h.customer_id "
                        "WHERE h.kind = 'returned' AND c.state = 'available' "
                        "AND c.cooldowns = h.holder_before || chr(31) || "
                        "(h.at + 604800000000)::text AND h.holder_after IS NULL"),
            std::to_string(kDue));
}

// A take at the cap returns its taker's due holdings; one that a sweep (or
// any command) has locked is left out at once instead of waited for: the
// sweep waits for the taker's counter row, which the take already holds.
TEST(PostgresSweep, ATakeLeavesOutTheDueHoldingsAnotherTransactionLocked) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("due_of_user");
  PostgresStorage storage(patient(uri, schema));
  const PoolId id("due-of-user");
  fill(storage, id, 4, 0);  // c0..c3, held by u0..u3; give u0 all four
  {
    auto tx = storage.begin(id, TransactionMode::read_write);
    for (int n = 1; n < 4; ++n) {
      const CustomerId customer(test::numbered("c", n));
      CustomerRecord record = *tx->find_customer(customer);
      record.holder = UserId("u0");
      tx->update_customer(customer, record);
    }
    tx->commit();
  }
  auto sweeper = storage.begin(id, TransactionMode::read_write);
  ASSERT_EQ(sweeper->list_due(kNow, 2).size(), 2U);  // locks c0 and c1 (earliest deadlines)

  auto taker = storage.begin(id, TransactionMode::read_write);
  const auto started = std::chrono::steady_clock::now();
  std::set<std::string> left;
  for (const DueHolding& holding : taker->list_due_holdings(UserId("u0"), kNow)) {
    left.insert(holding.id.str());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2)) << "it waited";
  EXPECT_EQ(left, (std::set<std::string>{test::numbered("c", 2), test::numbered("c", 3)}));
  // What it returned is locked for it: the sweeper now skips those too.
  sweeper.reset();
  auto other = storage.begin(id, TransactionMode::read_write);
  EXPECT_EQ(other->list_due(kNow, 10).size(), 2U);
}

TEST(PostgresSweep, ABatchIsOneRoundTripAndItsCountersTravelWithCommit) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("batch");
  const PoolId id("batch");
  constexpr std::size_t kBatch = PublicPool::kSweepBatch;
  {
    PostgresStorage storage({uri, schema});
    fill(storage, id, static_cast<int>(kBatch) + 1, 0);
  }
  // Transactions on a connection the test can watch.
  auto storage = std::make_shared<PostgresStorage::Impl>(PostgresOptions{uri, schema});
  std::unique_ptr<pg::Connection> connection = storage->acquire(Deadline::max());
  const pg::Connection* const wire = connection.get();
  const DueReturn plan{kNow, days(7)};
  {
    // Prepares the statements a batch uses (once per connection).
    pg::PostgresTransaction warm_up(storage, std::move(connection), id, TransactionMode::read_write,
                                    Deadline::max());
    ASSERT_EQ(warm_up.return_due(plan, 1).size(), 1u);
    warm_up.commit();
  }
  connection = storage->acquire(Deadline::max());
  ASSERT_EQ(connection.get(), wire);  // the only one, back from the pool
  pg::PostgresTransaction tx(storage, std::move(connection), id, TransactionMode::read_write,
                             Deadline::max());
  const std::uint64_t before = wire->round_trips();
  // BEGIN, and the batch: locked, returned and logged.
  EXPECT_EQ(tx.return_due(plan, kBatch).size(), kBatch);
  EXPECT_EQ(wire->round_trips() - before, 1u);
  // The counters of the batch's holders, and COMMIT.
  tx.commit();
  EXPECT_EQ(wire->round_trips() - before, 2u);
}

}  // namespace
}  // namespace highseas

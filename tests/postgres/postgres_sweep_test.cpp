// Two sweepers at once, each with its own storage (as on two app servers),
// over 10,000 due holdings: each holding is returned exactly once and neither
// sweeper waits for the other.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"

namespace highseas {
namespace {

constexpr int kDue = 10'000;
constexpr int kUsers = 50;

TEST(PostgresSweep, TwoSweepersReturnEachOfTenThousandDueHoldingsOnce) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("sweep");
  const PoolId id("sweep");
  ManualClock clock(utc(2026, 3, 1));
  {
    PostgresStorage storage({uri, schema});
    PublicPool pool(id, storage, clock);
    ASSERT_HIGHSEAS_OK(pool.create(UserId("boss")));
    // Fill the pool straight through one transaction: 10,000 held customers
    // spread over 50 users, all past their deadlines.
    auto tx = storage.begin(id, TransactionMode::read_write);
    for (int n = 0; n < kDue; ++n) {
      CustomerProfile profile;
      profile.id = CustomerId(test::numbered("c", n));
      profile.name = test::numbered("Customer ", n);
      CustomerRecord record;
      record.state = CustomerState::held;
      record.holder = UserId(test::numbered("u", n % kUsers));
      record.since = utc(2026, 1, 1);
      record.deadline = utc(2026, 2, 1) + seconds(n % 977);
      tx->insert_customer(profile, profile.name, record);
    }
    tx->commit();
  }

  std::atomic<int> ready{0};
  std::vector<ReturnedHolding> returned[2];
  std::vector<std::thread> sweepers;
  for (int node = 0; node < 2; ++node) {
    sweepers.emplace_back([&, node] {
      PostgresStorage storage({uri, schema});
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

  PostgresStorage storage({uri, schema});
  auto tx = storage.begin(id, TransactionMode::read_only);
  EXPECT_TRUE(tx->list_due(clock.now(), 10).empty());
  for (int user = 0; user < kUsers; ++user) {
    EXPECT_EQ(tx->count_holdings(UserId(test::numbered("u", user))), 0u);
  }
  for (int n = 0; n < kDue; n += 97) {
    const auto history = tx->list_history(CustomerId(test::numbered("c", n)));
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history.front().kind, HistoryKind::returned);
  }
}

}  // namespace
}  // namespace highseas

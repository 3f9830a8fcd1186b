// Many threads on one pool: claims, assignments, releases, wins and sweeps
// racing on the same customers. Afterwards the invariants hold. Run under TSan
// in CI (label: concurrency).
#include <gtest/gtest.h>

#include <atomic>
#include <highseas/highseas.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vector>

namespace highseas {
namespace {

constexpr int kCustomers = 40;
constexpr int kUsers = 6;
constexpr int kThreads = 4;
constexpr int kStepsPerThread = 3000;

CustomerId customer(int n) { return CustomerId("c" + std::to_string(n)); }
UserId user(int n) { return UserId("u" + std::to_string(n)); }

TEST(ConcurrencyTest, RacingCommandsKeepEveryInvariant) {
  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool(PoolId("race"), storage, clock);
  const UserId boss("boss");
  ClaimPolicy policy;
  policy.max_holdings = 3;
  policy.default_rule.holding_period = hours(2);
  policy.reclaim_cooldown = minutes(30);
  policy.release_cooldown = minutes(30);
  ASSERT_HIGHSEAS_OK(pool.create(boss, policy));
  for (int u = 0; u < kUsers; ++u)
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, user(u), Role::pool_admin));
  std::vector<CustomerProfile> batch;
  batch.reserve(kCustomers);
  for (int c = 0; c < kCustomers; ++c) {
    batch.push_back({customer(c), "Customer " + std::to_string(c), "DE", "A", {}});
  }
  ASSERT_EQ(pool.import_customers(boss, batch)->imported.size(), std::size_t{kCustomers});

  // Events must arrive one per change, never two at once.
  std::atomic<int> in_slot{0};
  std::atomic<int> overlaps{0};
  std::atomic<long> claimed_events{0};
  ScopedConnection watch = pool.events().claimed.connect([&](const Claimed&) {
    if (in_slot.fetch_add(1) != 0) overlaps.fetch_add(1);
    claimed_events.fetch_add(1);
    in_slot.fetch_sub(1);
  });
  std::atomic<long> successful_claims{0};

  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 random(static_cast<unsigned>(t) * 7919U + 1U);
      for (int step = 0; step < kStepsPerThread; ++step) {
        const UserId actor = user(static_cast<int>(random() % kUsers));
        const CustomerId target = customer(static_cast<int>(random() % kCustomers));
        switch (random() % 8) {
          case 0:
          case 1:
          case 2:
            if (pool.claim(actor, target)) successful_claims.fetch_add(1);
            break;
          case 3:
            (void)pool.assign(actor, target, user(static_cast<int>(random() % kUsers)));
            break;
          case 4:
          case 5:
            (void)pool.release(actor, target);
            break;
          case 6:
            if (t == 0) {
              clock.advance(minutes(5));
              (void)pool.sweep();
            } else {
              (void)pool.extend(actor, target);
            }
            break;
          default:
            (void)pool.holdings(actor, actor);
            break;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_EQ(claimed_events.load(), successful_claims.load());
  EXPECT_GT(successful_claims.load(), 0);

  std::vector<UserId> users;
  std::vector<CustomerId> customers;
  users.reserve(kUsers);
  customers.reserve(kCustomers);
  for (int u = 0; u < kUsers; ++u) users.push_back(user(u));
  for (int c = 0; c < kCustomers; ++c) customers.push_back(customer(c));
  EXPECT_TRUE(
      highseas::testing::pool_invariants_hold(pool, boss, customers, users, policy.max_holdings));
}

TEST(ConcurrencyTest, PeriodicSweeperReturnsDueHoldingsAndStopsCleanly) {
  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool(PoolId("sweeper"), storage, clock);
  const UserId boss("boss");
  ASSERT_HIGHSEAS_OK(pool.create(boss));
  const std::vector<CustomerProfile> batch{{customer(1), "One", "DE", "A", {}}};
  ASSERT_HIGHSEAS_OK(pool.import_customers(boss, batch));
  ASSERT_HIGHSEAS_OK(pool.claim(boss, customer(1)));
  std::atomic<int> returned{0};
  ScopedConnection c =
      pool.events().returned.connect([&](const Returned&) { returned.fetch_add(1); });
  clock.advance(days(31));
  {
    PeriodicSweeper sweeper(pool, std::chrono::milliseconds(5));
    for (int wait = 0; wait < 2000 && returned.load() == 0; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  EXPECT_EQ(returned.load(), 1);
  EXPECT_EQ(pool.customer(boss, customer(1))->state, CustomerState::available);
}

}  // namespace
}  // namespace highseas

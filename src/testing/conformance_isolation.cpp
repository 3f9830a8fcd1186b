// Conformance tests: pools sharing one storage never see each other, and
// concurrent commands keep the pool's invariants. Compiled into HighSeas::testing.
#include <atomic>
#include <thread>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/invariants.hpp"

namespace highseas::testing {

TEST_P(StorageConformance, PoolsSharingAStorageAreIsolated) {
  // Both pools use the same customer and user ids on purpose.
  populate(pool(), 4);
  ClaimPolicy rules_b = small_policy();
  rules_b.default_rule.holding_period = days(2);
  populate(other_pool(), 4, rules_b);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool().move_out_of_pool(admin, customer(3)));
  ASSERT_HIGHSEAS_OK(other_pool().claim(bob, customer(1)));
  ASSERT_HIGHSEAS_OK(other_pool().set_member(boss, UserId("only-in-b"), Role::pool_user));

  EXPECT_EQ(view(other_pool(), customer(1)).holder, bob);
  EXPECT_EQ(view(other_pool(), customer(2)).state, CustomerState::available);
  EXPECT_EQ(view(other_pool(), customer(3)).state, CustomerState::available);
  EXPECT_EQ(pool().info(boss)->policy, small_policy());
  EXPECT_EQ(other_pool().info(boss)->policy, rules_b);
  EXPECT_EQ(pool().members(boss)->size(), 4U);
  EXPECT_EQ(other_pool().members(boss)->size(), 5U);
  EXPECT_EQ(pool().history(boss, customer(1))->size(), 2U);
  EXPECT_EQ(other_pool().history(boss, customer(2))->size(), 1U);

  {
    auto a = begin("pool-a", TransactionMode::read_only);
    auto b = begin("pool-b", TransactionMode::read_only);
    EXPECT_EQ(a->count_holdings(alice, std::nullopt), 2U);
    EXPECT_EQ(b->count_holdings(alice, std::nullopt), 0U);
    EXPECT_EQ(a->count_holdings(bob, std::nullopt), 0U);
    EXPECT_EQ(b->count_holdings(bob, std::nullopt), 1U);
    EXPECT_EQ(a->list_available({}).size(), 1U);
    EXPECT_EQ(b->list_available({}).size(), 3U);
    EXPECT_EQ(a->find_by_name_key("customer01"), customer(1));
    EXPECT_EQ(begin("pool-c", TransactionMode::read_only)->find_by_name_key("customer01"),
              std::nullopt);
  }
  // Pausing pool B must not move pool A's deadlines; sweeping B must not touch A.
  const Time deadline_a = view(pool(), customer(1)).deadline;
  ASSERT_HIGHSEAS_OK(other_pool().set_enabled(boss, false));
  clock().advance(days(1));
  ASSERT_HIGHSEAS_OK(other_pool().set_enabled(boss, true));
  EXPECT_EQ(view(pool(), customer(1)).deadline, deadline_a);
  clock().advance(days(5));
  auto swept_b = other_pool().sweep();
  ASSERT_HIGHSEAS_OK(swept_b);
  ASSERT_EQ(swept_b->returned.size(), 1U);
  EXPECT_EQ(swept_b->returned[0].previous_holder, bob);
  EXPECT_EQ(view(pool(), customer(1)).holder, alice);
  auto swept_a = pool().sweep();
  ASSERT_HIGHSEAS_OK(swept_a);
  EXPECT_TRUE(swept_a->returned.empty());
  // The same name may be imported in another pool: collisions are per pool.
  const std::vector<CustomerProfile> fresh{{CustomerId("n1"), "Only Here GmbH", "DE", "A", {}}};
  ASSERT_HIGHSEAS_OK(pool().import_customers(admin, fresh));
  auto report = other_pool().import_customers(admin, fresh);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported.size(), 1U);
}

TEST_P(StorageConformance, ConcurrentClaimsNeverExceedTheCapOrDoubleHold) {
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 4;
  populate(pool(), 12, rules);
  const std::vector<UserId> reps{alice, bob, admin};
  std::vector<std::thread> threads;
  threads.reserve(reps.size());
  std::atomic<int> successes{0};
  for (const UserId& rep : reps) {
    threads.emplace_back([&, rep] {
      for (int n = 1; n <= 12; ++n) {
        if (pool().claim(rep, customer(n)).ok()) ++successes;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(successes.load(), 12);  // 3 reps x cap 4 = exactly the 12 customers
  std::vector<CustomerId> customers;
  for (int n = 1; n <= 12; ++n) customers.push_back(customer(n));
  EXPECT_TRUE(pool_invariants_hold(pool(), boss, customers, reps, 4));
  for (const UserId& rep : reps) {
    auto holdings = pool().holdings(boss, rep);
    ASSERT_HIGHSEAS_OK(holdings);
    EXPECT_EQ(holdings->size(), 4U) << rep << " should have filled the cap";
  }
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_isolation() {}

}  // namespace highseas::testing

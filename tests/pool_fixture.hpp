// A pool on MemoryStorage with a ManualClock, a boss, an admin, two reps and a
// handful of imported customers: the starting point of most engine tests.
#pragma once

#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>
#include <vector>

namespace highseas::test {

class PoolFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_HIGHSEAS_OK(pool.create(boss, policy()));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, admin, Role::pool_admin));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, alice, Role::pool_user));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, bob, Role::pool_user));
    std::vector<CustomerProfile> batch;
    for (int i = 1; i <= 10; ++i) batch.push_back(profile(i));
    auto report = pool.import_customers(admin, batch);
    ASSERT_HIGHSEAS_OK(report);
    ASSERT_EQ(report->imported.size(), 10U);
  }

  // The policy the fixture's pool is created with: small numbers, easy to hit.
  virtual ClaimPolicy policy() const {
    ClaimPolicy rules;
    rules.default_rule.holding_period = days(30);
    rules.max_holdings = 3;
    rules.extension = days(15);
    rules.max_extensions = 2;
    rules.reclaim_cooldown = days(7);
    return rules;
  }

  static CustomerProfile profile(int n) {
    return {customer(n),
            "Customer " + std::to_string(n),
            n % 2 == 0 ? "BR" : "DE",
            n % 3 == 0 ? "A" : "B",
            {n % 2 == 0 ? "south-america" : "europe"}};
  }
  static CustomerId customer(int n) { return CustomerId("c" + std::to_string(n)); }

  CustomerState state_of(const CustomerId& id) { return pool.customer(boss, id)->state; }

  const UserId boss{"boss"};
  const UserId admin{"admin"};
  const UserId alice{"alice"};
  const UserId bob{"bob"};
  const UserId stranger{"stranger"};
  // At midnight: whole-day spans from it end exactly whole days later.
  ManualClock clock{utc(2026, 1, 5)};
  MemoryStorage storage;
  PublicPool pool{PoolId("pool"), storage, clock};
};

}  // namespace highseas::test

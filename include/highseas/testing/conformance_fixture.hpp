// The fixture of the Storage conformance suite: a fresh storage per test from
// the host's factory, a ManualClock, and helpers that drive pools through
// PublicPool or straight through Transaction.
//
// Hosts include highseas/testing/conformance.hpp, not this file.
//
// Thread-safety: one fixture per test, as GoogleTest runs them.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "highseas/clock.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/storage.hpp"
#include "highseas/testing/matchers.hpp"

namespace highseas::testing {

// How the suite gets storages to test: `make` returns a fresh, empty storage
// each call; `name` is printed in the test names.
struct StorageFactory {
  std::string name;
  std::function<std::unique_ptr<Storage>()> make;
};

// Prints the factory's name (gtest prints parameters in failure messages).
inline void PrintTo(const StorageFactory& factory, std::ostream* out) { *out << factory.name; }

// Returns the factory's name with every character gtest refuses in a test
// name replaced by '_'.
inline std::string storage_test_name(const ::testing::TestParamInfo<StorageFactory>& info) {
  std::string name = info.param.name.empty() ? "storage" : info.param.name;
  for (char& c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0) c = '_';
  }
  return name;
}

// The fixture every conformance test runs in.
class StorageConformance : public ::testing::TestWithParam<StorageFactory> {
 protected:
  void SetUp() override {
    storage_ = GetParam().make();
    ASSERT_NE(storage_, nullptr) << "the factory returned no storage";
    pool_a_ = std::make_unique<PublicPool>(PoolId("pool-a"), *storage_, clock_);
    pool_b_ = std::make_unique<PublicPool>(PoolId("pool-b"), *storage_, clock_);
  }
  void TearDown() override {
    pool_b_.reset();
    pool_a_.reset();
    storage_.reset();
  }

  // Returns the storage under test.
  Storage& storage() { return *storage_; }
  // Returns the first pool over the storage ("pool-a").
  PublicPool& pool() { return *pool_a_; }
  // Returns a second pool sharing the same storage ("pool-b").
  PublicPool& other_pool() { return *pool_b_; }
  // Returns the clock every pool reads.
  ManualClock& clock() { return clock_; }

  // The small rules the helpers create pools with: caps and periods easy to hit.
  static ClaimPolicy small_policy() {
    ClaimPolicy rules;
    rules.default_rule.holding_period = days(30);
    rules.max_holdings = 3;
    rules.extension = days(15);
    rules.max_extensions = 2;
    rules.reclaim_cooldown = days(7);
    return rules;
  }

  // Returns customer number `n` as imported by populate(): ids c01, c02...
  // country, level and tags vary with n so every filter matches a subset.
  static CustomerProfile profile(int n) {
    const std::string number = (n < 10 ? "0" : "") + std::to_string(n);
    CustomerProfile customer{CustomerId("c" + number),
                             "Customer " + number,
                             n % 2 == 0 ? "BR" : "DE",
                             n % 3 == 0 ? "A" : "B",
                             {n % 2 == 0 ? "south-america" : "europe"}};
    if (n % 5 == 0) customer.tags.emplace_back("vip");
    return customer;
  }
  // Returns the id of customer number `n`.
  static CustomerId customer(int n) { return profile(n).id; }

  // Creates `target` with a boss, an admin and two reps (alice, bob) and
  // imports customers 1..count. Fails the test on any refusal.
  void populate(PublicPool& target, int count, const ClaimPolicy& rules = small_policy()) {
    ASSERT_HIGHSEAS_OK(target.create(boss, rules));
    ASSERT_HIGHSEAS_OK(target.set_member(boss, admin, Role::pool_admin));
    ASSERT_HIGHSEAS_OK(target.set_member(boss, alice, Role::pool_user));
    ASSERT_HIGHSEAS_OK(target.set_member(boss, bob, Role::pool_user));
    std::vector<CustomerProfile> batch;
    for (int n = 1; n <= count; ++n) batch.push_back(profile(n));
    auto report = target.import_customers(admin, batch);
    ASSERT_HIGHSEAS_OK(report);
    ASSERT_EQ(report->imported.size(), static_cast<std::size_t>(count));
  }

  // Returns the customer's state as the boss sees it in `target`.
  CustomerView view(PublicPool& target, const CustomerId& id) {
    auto found = target.customer(boss, id);
    EXPECT_HIGHSEAS_OK(found);
    return found.ok() ? found.value() : CustomerView{};
  }

  // Opens a transaction on `pool` straight on the storage.
  std::unique_ptr<Transaction> begin(const char* pool, TransactionMode mode) {
    return storage_->begin(PoolId(pool), mode);
  }

  // A record held by `holder` until `deadline`, started a day earlier.
  static CustomerRecord held_record(const char* holder, Time deadline) {
    CustomerRecord record;
    record.state = CustomerState::held;
    record.holder = UserId(holder);
    record.since = deadline - days(1);
    record.deadline = deadline;
    return record;
  }

  const UserId boss{"boss"};
  const UserId admin{"admin"};
  const UserId alice{"alice"};
  const UserId bob{"bob"};

 private:
  // Microseconds on the start time prove the storage keeps sub-second precision.
  ManualClock clock_{utc(2026, 3, 2, 9, 30, 15) + boost::posix_time::microseconds(123456)};
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<PublicPool> pool_a_;
  std::unique_ptr<PublicPool> pool_b_;
};

}  // namespace highseas::testing

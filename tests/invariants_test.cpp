// The shared invariant check: quiet on a healthy pool, and loud on each kind
// of corruption written straight into storage behind the engine's back.
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>
#include <vector>

namespace highseas {
namespace {

class InvariantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClaimPolicy policy;
    policy.max_holdings = 2;
    ASSERT_HIGHSEAS_OK(pool.create(boss, policy));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, rep, Role::pool_user));
    std::vector<CustomerProfile> batch;
    for (int n = 0; n < 4; ++n) {
      batch.push_back({id(n), "Customer " + std::to_string(n) + " Ltd", "DE", "A", {}});
      ids.push_back(id(n));
    }
    ASSERT_HIGHSEAS_OK(pool.import_customers(boss, batch));
    ASSERT_HIGHSEAS_OK(pool.claim(rep, id(0)));
  }

  static CustomerId id(int n) { return CustomerId("c" + std::to_string(n)); }

  // Writes `record` for customer `n` without history, as a broken backend might.
  void corrupt(int n, const CustomerRecord& record) {
    auto tx = storage.begin(pool.id(), TransactionMode::read_write);
    tx->update_customer(id(n), record);
    tx->commit();
  }

  CustomerRecord held_by_rep() const {
    CustomerRecord record;
    record.state = CustomerState::held;
    record.holder = rep;
    record.since = clock.now();
    record.deadline = clock.now() + days(3);
    return record;
  }

  std::string failure() {
    auto result = testing::pool_invariants_hold(pool, boss, ids, users, 2);
    return result ? std::string() : std::string(result.message());
  }

  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool{PoolId("p"), storage, clock};
  const UserId boss{"boss"};
  const UserId rep{"rep"};
  const std::vector<UserId> users{boss, rep};
  std::vector<CustomerId> ids;
};

TEST_F(InvariantsTest, AHealthyPoolPasses) { EXPECT_EQ(failure(), ""); }

TEST_F(InvariantsTest, AHoldingWithoutItsHistoryEntryFails) {
  corrupt(1, held_by_rep());
  EXPECT_NE(failure().find("c1 is held but its last history entry is imported"), std::string::npos)
      << failure();
}

TEST_F(InvariantsTest, HoldingsOverTheCapFail) {
  corrupt(1, held_by_rep());
  corrupt(2, held_by_rep());
  EXPECT_NE(failure().find("rep holds 3, over the cap 2"), std::string::npos) << failure();
}

TEST_F(InvariantsTest, AHeldCustomerWithoutHolderOrDeadlineFails) {
  CustomerRecord orphan = held_by_rep();
  orphan.holder.reset();
  orphan.deadline = Time();
  corrupt(0, orphan);
  EXPECT_NE(failure().find("c0 is held by nobody"), std::string::npos) << failure();
  EXPECT_NE(failure().find("c0 is held without a deadline"), std::string::npos) << failure();
}

TEST_F(InvariantsTest, AnAvailableCustomerWithAHolderFails) {
  CustomerRecord record;
  record.holder = rep;
  corrupt(3, record);
  EXPECT_NE(failure().find("c3 is available but held by rep"), std::string::npos) << failure();
}

TEST_F(InvariantsTest, HistoryStateTableCoversEveryKind) {
  // Every kind is the last entry of exactly one state: the table cannot
  // forget a new HistoryKind without this test noticing.
  for (HistoryKind kind : kAllHistoryKinds) {
    int states = 0;
    for (CustomerState state : kAllCustomerStates) {
      states += testing::history_matches_state(kind, state) ? 1 : 0;
    }
    EXPECT_EQ(states, 1) << kind;
  }
}

}  // namespace
}  // namespace highseas

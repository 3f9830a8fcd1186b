// The core rules of PublicPool: claiming, assigning, caps, deadlines,
// extensions, wins, the sweep and cooldowns, history.
#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

using PublicPoolTest = PoolFixture;

TEST_F(PublicPoolTest, ClaimTakesAnAvailableCustomerWithDeadlineFromPolicy) {
  auto held = pool.claim(alice, customer(1));
  ASSERT_HIGHSEAS_OK(held);
  EXPECT_EQ(held->holder, alice);
  EXPECT_EQ(held->since, clock.now());
  EXPECT_EQ(held->deadline, clock.now() + days(30));
  auto view = pool.customer(alice, customer(1));
  ASSERT_HIGHSEAS_OK(view);
  EXPECT_EQ(view->state, CustomerState::held);
  EXPECT_EQ(view->holder, alice);
  EXPECT_EQ(view->time_left, days(30));
}
}  // namespace
}  // namespace highseas::test

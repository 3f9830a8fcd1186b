// Switching the pool off and on: what is refused, and countdowns that pause
// and resume with exactly the time they had left.
#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

using PauseTest = PoolFixture;

TEST_F(PauseTest, OffRefusesClaimsAssignmentsExtensionsAndImports) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  EXPECT_REFUSED(pool.claim(bob, customer(2)), pool_disabled);
  EXPECT_REFUSED(pool.assign(admin, customer(2), bob), pool_disabled);
  EXPECT_REFUSED(pool.extend(admin, customer(1)), pool_disabled);
  EXPECT_REFUSED(pool.import_customers(admin, std::vector<CustomerProfile>{profile(20)}),
                 pool_disabled);
  // Queries keep working, and so do releases, follow-ups and wins.
  EXPECT_HIGHSEAS_OK(pool.available(bob, {}));
  EXPECT_HIGHSEAS_OK(pool.follow_up(alice, customer(1), "still talking"));
  EXPECT_FALSE(pool.info(bob)->enabled);
}

TEST_F(PauseTest, CountdownsPauseAndResumeWithTheTimeTheyHadLeft) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(10));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(days(100));  // far beyond the deadline, but paused
  auto paused = pool.customer(alice, customer(1));
  EXPECT_TRUE(paused->paused);
  EXPECT_EQ(paused->time_left, days(20));
  EXPECT_TRUE(pool.sweep()->paused);
  EXPECT_EQ(state_of(customer(1)), CustomerState::held);

  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  auto resumed = pool.customer(alice, customer(1));
  EXPECT_FALSE(resumed->paused);
  EXPECT_EQ(resumed->time_left, days(20));
  EXPECT_EQ(resumed->deadline, clock.now() + days(20));
  clock.advance(days(20) - seconds(1));
  EXPECT_TRUE(pool.sweep()->returned.empty());
  clock.advance(seconds(1));
  EXPECT_EQ(pool.sweep()->returned.size(), 1U);
}

TEST_F(PauseTest, SwitchingToTheSameStateIsANoOp) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  const Time deadline = pool.customer(alice, customer(1))->deadline;
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(days(3));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));  // stays paused since the first switch
  clock.advance(days(2));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  EXPECT_EQ(pool.customer(alice, customer(1))->deadline, deadline + days(5));
}

TEST_F(PauseTest, EveryHoldingResumesInTheSameOrder) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(days(60));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  clock.advance(days(29));
  auto swept = pool.sweep();
  ASSERT_EQ(swept->returned.size(), 1U);
  EXPECT_EQ(swept->returned[0].customer, customer(1));
  clock.advance(days(1));
  EXPECT_EQ(pool.sweep()->returned.size(), 1U);
}

}  // namespace
}  // namespace highseas::test

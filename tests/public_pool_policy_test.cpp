// Policy changes through PublicPool: whole-policy replacement and patches that
// keep other admins' concurrent changes; the cooldown a view shows.
#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

class PolicyTest : public PoolFixture {};

TEST_F(PolicyTest, APatchChangesOnlyItsFieldsOnThePolicyAsItIsAtCommit) {
  PolicyPatch cap;
  cap.max_holdings = 5;
  PolicyPatch cooldown;
  cooldown.reclaim_cooldown = days(2);
  // Two bosses edit different fields from the same starting policy.
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, cap));
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, cooldown));
  const ClaimPolicy now = pool.info(boss)->policy;
  EXPECT_EQ(now.max_holdings, 5U);
  EXPECT_EQ(now.reclaim_cooldown, days(2));
  EXPECT_EQ(now.default_rule, policy().default_rule);
}

TEST_F(PolicyTest, APatchIsRefusedWhenThePatchedPolicyIsInvalidOrNotTheRolesToChange) {
  PolicyPatch negative;
  negative.holding_period = days(-1);
  EXPECT_REFUSED(pool.update_policy(boss, negative), invalid_argument);
  PolicyPatch cap;
  cap.max_holdings = 9;
  EXPECT_REFUSED(pool.update_policy(admin, cap), not_permitted);
  EXPECT_REFUSED(pool.update_policy(alice, PolicyPatch{}), not_permitted);
  EXPECT_EQ(pool.info(boss)->policy, policy());
}

TEST_F(PolicyTest, AViewShowsWhoIsInCooldownUntilWhen) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(1)));
  const CustomerView view = pool.customer(bob, customer(1)).value();
  EXPECT_EQ(view.cooldowns, (std::vector<Cooldown>{{alice, clock.now() + days(7)}}));
  clock.advance(days(7));
  EXPECT_TRUE(pool.customer(bob, customer(1))->cooldowns.empty());
}

}  // namespace
}  // namespace highseas::test

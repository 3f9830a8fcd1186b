// The role table of DESIGN.md, exhaustively: every role x every action through
// PublicPool, plus non-members and a customised RoleGuard.
#include <tuple>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

// Performs the command that needs `action`, as `actor`, in a state where only
// the permission can refuse it. `other` is a member who is not the actor.
Result<Done> attempt(PublicPool& pool, Action action, const UserId& actor, const UserId& other,
                     const UserId& boss, const ClaimPolicy& policy) {
  const CustomerId target("c1");
  auto done = [](const auto& result) -> Result<Done> {
    if (!result) return result.refusal();
    return Done{};
  };
  auto hold = [&](const UserId& holder) {
    if (!pool.assign(boss, target, holder)) throw std::logic_error("setup: assign failed");
  };
  // A non-member cannot hold anything: give the customer to `other` instead.
  auto hold_own = [&] {
    if (!pool.assign(boss, target, actor)) hold(other);
  };
  switch (action) {
    case Action::switch_pool:
      return pool.set_enabled(actor, false);
    case Action::set_holding_period: {
      ClaimPolicy changed = policy;
      changed.default_rule.holding_period = days(10);
      return pool.set_policy(actor, changed);
    }
    case Action::set_max_holdings: {
      ClaimPolicy changed = policy;
      changed.max_holdings = 9;
      return pool.set_policy(actor, changed);
    }
    case Action::assign:
      return done(pool.assign(actor, target, other));
    case Action::claim:
      return done(pool.claim(actor, target));
    case Action::extend:
      hold(other);
      return done(pool.extend(actor, target));
    case Action::release_any:
      hold(other);
      return pool.release(actor, target);
    case Action::release_own:
      hold_own();
      return pool.release(actor, target);
    case Action::import_customers: {
      const std::vector<CustomerProfile> batch{{CustomerId("new"), "New Co", "FR", "B", {}}};
      return done(pool.import_customers(actor, batch));
    }
    case Action::move_into_pool:
      return pool.move_into_pool(actor, {CustomerId("new"), "New Co", "FR", "B", {}});
    case Action::move_out_of_pool:
      return pool.move_out_of_pool(actor, target);
    case Action::follow_up:
      hold_own();
      return pool.follow_up(actor, target, "called");
    case Action::record_win_any:
      hold(other);
      return pool.record_win(actor, target, WinKind::contract_signed);
    case Action::record_win_own:
      hold_own();
      return pool.record_win(actor, target, WinKind::contract_signed);
    case Action::manage_members:
      return pool.set_member(actor, UserId("newbie"), Role::pool_user);
    case Action::view:
      return done(pool.customer(actor, target));
    case Action::protect_own:
    case Action::protect_any: {
      ClaimPolicy protecting = policy;
      protecting.protection = {3, days(30)};
      if (!pool.set_policy(boss, protecting)) throw std::logic_error("setup: protection failed");
      if (action == Action::protect_own) {
        hold_own();
      } else {
        hold(other);
      }
      return done(pool.protect(actor, target));
    }
    case Action::exceed_daily_limit: {
      // Not a command of its own: a claim under a limit of 0 is refused
      // daily_limit unless the role is exempt, which reads as not permitted.
      ClaimPolicy limited = policy;
      limited.daily_limit.per_day = 0;
      if (!pool.set_policy(boss, limited)) throw std::logic_error("setup: daily limit failed");
      auto claimed = pool.claim(actor, target);
      if (!claimed && claimed.code() == RefusalCode::daily_limit) {
        return refuse(RefusalCode::not_permitted, claimed.refusal().message);
      }
      return done(claimed);
    }
  }
  throw std::logic_error("unhandled action");
}

using UnchangedPolicyTest = PoolFixture;

class RoleMatrixTest : public PoolFixture,
                       public ::testing::WithParamInterface<std::tuple<Role, Action>> {
 protected:
  const UserId& actor_for(Role role) const {
    switch (role) {
      case Role::boss:
        return boss;
      case Role::pool_admin:
        return admin;
      case Role::pool_user:
        return alice;
    }
    return stranger;
  }
};

TEST_P(RoleMatrixTest, PermittedIffTheStandardTableSaysSo) {
  const auto [role, action] = GetParam();
  const UserId& actor = actor_for(role);
  auto result = attempt(pool, action, actor, bob, boss, policy());
  if (RoleGuard::standard().permits(role, action)) {
    EXPECT_HIGHSEAS_OK(result);
  } else {
    EXPECT_REFUSED(result, not_permitted);
  }
}

TEST_P(RoleMatrixTest, NonMembersAreRefusedEverything) {
  const Action action = std::get<1>(GetParam());
  EXPECT_REFUSED(attempt(pool, action, stranger, bob, boss, policy()), not_a_member);
}

std::string matrix_name(const ::testing::TestParamInfo<std::tuple<Role, Action>>& info) {
  return std::string(to_string(std::get<0>(info.param))) + "_" +
         std::string(to_string(std::get<1>(info.param)));
}

INSTANTIATE_TEST_SUITE_P(Standard, RoleMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(kAllRoles),
                                            ::testing::ValuesIn(kAllActions)),
                         matrix_name);

TEST_F(UnchangedPolicyTest, APoolUserMayNotSetEvenAnUnchangedPolicy) {
  EXPECT_REFUSED(pool.set_policy(alice, policy()), not_permitted);
  EXPECT_REFUSED(pool.set_policy(admin, policy()), not_permitted);
  EXPECT_HIGHSEAS_OK(pool.set_policy(boss, policy()));
}

TEST(RoleGuardCustomisationTest, AHostMayGrantAndRevokeSingleCells) {
  ManualClock clock;
  MemoryStorage storage;
  RoleGuard guard = RoleGuard::standard();
  guard.allow(Role::pool_user, Action::extend).forbid(Role::pool_user, Action::claim);
  PublicPool pool(PoolId("custom"), storage, clock, guard);
  const UserId boss("boss");
  const UserId rep("rep");
  ASSERT_HIGHSEAS_OK(pool.create(boss));
  ASSERT_HIGHSEAS_OK(pool.set_member(boss, rep, Role::pool_user));
  const std::vector<CustomerProfile> batch{{CustomerId("c1"), "A Co", "FR", "B", {}}};
  ASSERT_HIGHSEAS_OK(pool.import_customers(boss, batch));
  EXPECT_REFUSED(pool.claim(rep, CustomerId("c1")), not_permitted);
  ASSERT_HIGHSEAS_OK(pool.assign(boss, CustomerId("c1"), rep));
  EXPECT_HIGHSEAS_OK(pool.extend(rep, CustomerId("c1")));
}

}  // namespace
}  // namespace highseas::test

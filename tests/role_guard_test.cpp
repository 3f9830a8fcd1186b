// RoleGuard: the standard table cell by cell, written out as in DESIGN.md.
#include <gtest/gtest.h>

#include <highseas/role_guard.hpp>
#include <map>

namespace highseas {
namespace {

// DESIGN.md's role table: {boss, pool_admin, pool_user} per action.
const std::map<Action, std::array<bool, 3>> kDesignTable{
    {Action::switch_pool, {true, false, false}},
    {Action::set_holding_period, {true, false, false}},
    {Action::set_max_holdings, {true, false, false}},
    {Action::assign, {true, true, false}},
    {Action::claim, {true, true, true}},
    {Action::extend, {true, true, false}},
    {Action::release_any, {true, true, false}},
    {Action::release_own, {true, true, true}},
    {Action::import_customers, {true, true, false}},
    {Action::move_into_pool, {true, true, false}},
    {Action::move_out_of_pool, {true, true, false}},
    {Action::follow_up, {true, true, true}},
    {Action::record_win_any, {true, true, false}},
    {Action::record_win_own, {true, true, true}},
    {Action::manage_members, {true, false, false}},
    {Action::view, {true, true, true}},
    {Action::protect_own, {true, true, true}},
    {Action::protect_any, {true, true, false}},
    {Action::exceed_daily_limit, {true, true, false}},
};

TEST(RoleGuardTest, StandardIsTheDesignTable) {
  ASSERT_EQ(kDesignTable.size(), kActionCount);
  constexpr RoleGuard guard = RoleGuard::standard();
  for (const auto& [action, row] : kDesignTable) {
    for (std::size_t r = 0; r < kRoleCount; ++r) {
      EXPECT_EQ(guard.permits(kAllRoles[r], action), row[r])
          << to_string(kAllRoles[r]) << " / " << to_string(action);
    }
  }
}

TEST(RoleGuardTest, AllowAndForbidChangeOneCell) {
  RoleGuard guard = RoleGuard::standard();
  guard.allow(Role::pool_user, Action::extend);
  EXPECT_TRUE(guard.permits(Role::pool_user, Action::extend));
  EXPECT_FALSE(guard.permits(Role::pool_user, Action::assign));
  guard.forbid(Role::boss, Action::claim);
  EXPECT_FALSE(guard.permits(Role::boss, Action::claim));
  EXPECT_TRUE(guard.permits(Role::pool_admin, Action::claim));
  EXPECT_FALSE(RoleGuard().permits(Role::boss, Action::view));
}

TEST(RoleGuardTest, NamesRoundTrip) {
  for (const Role role : kAllRoles) EXPECT_EQ(role_from_string(to_string(role)), role);
  EXPECT_FALSE(role_from_string("admin").has_value());
}

}  // namespace
}  // namespace highseas

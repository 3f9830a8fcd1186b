// Conformance tests: every PublicPool command's effect, read back through the
// storage under test. Compiled into HighSeas::testing.
#include <algorithm>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/days.hpp"

namespace highseas::testing {

TEST_P(StorageConformance, CreateStoresSettingsAndFirstBoss) {
  ClaimPolicy rules = small_policy();
  // An odd length: seconds, as a span's text keeps them ("25205s").
  rules.default_rule.holding_period = hours(7) + seconds(5);
  ASSERT_HIGHSEAS_OK(pool().create(boss, rules));
  auto info = pool().info(boss);
  ASSERT_HIGHSEAS_OK(info);
  EXPECT_TRUE(info->enabled);
  EXPECT_EQ(info->policy, rules);
  EXPECT_EQ(info->created_at, clock().now());
  EXPECT_TRUE(info->paused_since.is_not_a_date_time());
  EXPECT_EQ(info->members, 1U);
  EXPECT_REFUSED(pool().create(boss), pool_exists);
  EXPECT_REFUSED(other_pool().info(boss), unknown_pool);
}

TEST_P(StorageConformance, MembersAreAddedChangedRemovedAndListedById) {
  populate(pool(), 0);
  ASSERT_HIGHSEAS_OK(pool().set_member(boss, UserId("zed"), Role::pool_user));
  ASSERT_HIGHSEAS_OK(pool().set_member(boss, alice, Role::pool_admin));
  ASSERT_HIGHSEAS_OK(pool().remove_member(boss, bob));
  auto members = pool().members(boss);
  ASSERT_HIGHSEAS_OK(members);
  const std::vector<Member> expected{{admin, Role::pool_admin},
                                     {alice, Role::pool_admin},
                                     {boss, Role::boss},
                                     {UserId("zed"), Role::pool_user}};
  EXPECT_EQ(members.value(), expected);
  EXPECT_REFUSED(pool().claim(bob, customer(1)), not_a_member);
}

TEST_P(StorageConformance, ImportStoresProfilesExactlyAndDetectsCollisions) {
  populate(pool(), 0);
  const CustomerProfile unusual{
      CustomerId("客户-1"), "北京 Acme 有限公司", "CN", "", {"b", "a", "b2"}};
  const std::vector<CustomerProfile> batch{unusual, profile(1)};
  ASSERT_HIGHSEAS_OK(pool().import_customers(admin, batch));
  const CustomerView stored = view(pool(), unusual.id);
  EXPECT_EQ(stored.profile, unusual);  // tag order, empty level and UTF-8 kept
  EXPECT_EQ(stored.state, CustomerState::available);
  EXPECT_EQ(stored.since, clock().now());
  EXPECT_FALSE(stored.holder.has_value());

  CustomerProfile same_id = profile(2);
  same_id.id = customer(1);
  CustomerProfile same_name = profile(3);
  same_name.name = "  customer 01 ";  // same normalised name as profile(1)
  const std::vector<CustomerProfile> again{same_id, same_name, profile(4)};
  auto report = pool().import_customers(admin, again);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, std::vector<CustomerId>{customer(4)});
  ASSERT_EQ(report->problems.size(), 2U);
  ASSERT_TRUE(report->problems[0].collision.has_value());
  EXPECT_FALSE(report->problems[0].collision->by_name);
  ASSERT_TRUE(report->problems[1].collision.has_value());
  EXPECT_TRUE(report->problems[1].collision->by_name);
  EXPECT_EQ(report->problems[1].collision->existing, customer(1));
  EXPECT_REFUSED(pool().customer(boss, customer(3)), unknown_customer);
}

TEST_P(StorageConformance, ClaimAndAssignStoreTheHoldingAndRespectTheCap) {
  populate(pool(), 6);
  auto claimed = pool().claim(alice, customer(1));
  ASSERT_HIGHSEAS_OK(claimed);
  const CustomerView held = view(pool(), customer(1));
  EXPECT_EQ(held.state, CustomerState::held);
  EXPECT_EQ(held.holder, alice);
  EXPECT_EQ(held.since, clock().now());
  EXPECT_EQ(held.deadline, utc_days_end(clock().now(), 30));
  EXPECT_EQ(held.deadline, claimed->deadline);
  EXPECT_REFUSED(pool().claim(bob, customer(1)), already_held);

  ASSERT_HIGHSEAS_OK(pool().assign(admin, customer(2), alice));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(3)));
  EXPECT_REFUSED(pool().claim(alice, customer(4)), cap_reached);
  EXPECT_REFUSED(pool().assign(admin, customer(4), alice), cap_reached);
  EXPECT_EQ(view(pool(), customer(4)).state, CustomerState::available);
  EXPECT_HIGHSEAS_OK(pool().claim(bob, customer(4)));
}

TEST_P(StorageConformance, ReleaseReturnsTheCustomerWithACooldown) {
  populate(pool(), 3);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  clock().advance(hours(2));
  ASSERT_HIGHSEAS_OK(pool().release(alice, customer(1)));
  const CustomerView released = view(pool(), customer(1));
  EXPECT_EQ(released.state, CustomerState::available);
  EXPECT_FALSE(released.holder.has_value());
  EXPECT_EQ(released.since, clock().now());
  EXPECT_TRUE(released.deadline.is_not_a_date_time());
  EXPECT_REFUSED(pool().claim(alice, customer(1)), cooldown);
  clock().advance(days(7));
  EXPECT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().release(admin, customer(1)));
  EXPECT_HIGHSEAS_OK(pool().claim(bob, customer(1)));  // the cooldown binds alice only
}

TEST_P(StorageConformance, ExtendFollowUpAndWinUpdateTheHolding) {
  populate(pool(), 3);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  const Time first_deadline = view(pool(), customer(1)).deadline;
  clock().advance(days(1));
  auto extended = pool().extend(admin, customer(1));
  ASSERT_HIGHSEAS_OK(extended);
  EXPECT_EQ(extended->deadline, first_deadline + days(15));
  ASSERT_HIGHSEAS_OK(pool().extend(admin, customer(1)));
  EXPECT_REFUSED(pool().extend(admin, customer(1)), extension_limit);
  CustomerView held = view(pool(), customer(1));
  EXPECT_EQ(held.deadline, first_deadline + days(30));
  EXPECT_EQ(held.extensions_used, 2U);

  clock().advance(minutes(5));
  ASSERT_HIGHSEAS_OK(pool().follow_up(alice, customer(1), "called, wants a quote"));
  EXPECT_EQ(view(pool(), customer(1)).last_follow_up, clock().now());

  ASSERT_HIGHSEAS_OK(pool().record_win(alice, customer(1), WinKind::payment_received));
  const CustomerView won = view(pool(), customer(1));
  EXPECT_EQ(won.state, CustomerState::regular);
  EXPECT_EQ(won.holder, alice);  // the winner keeps it as their own customer
  EXPECT_TRUE(won.deadline.is_not_a_date_time());
  auto holdings = pool().holdings(boss, alice);
  ASSERT_HIGHSEAS_OK(holdings);
  EXPECT_TRUE(holdings->empty());
}

TEST_P(StorageConformance, MoveIntoAndOutOfThePool) {
  populate(pool(), 2);
  ASSERT_HIGHSEAS_OK(pool().move_out_of_pool(admin, customer(1)));
  EXPECT_EQ(view(pool(), customer(1)).state, CustomerState::regular);
  EXPECT_REFUSED(pool().claim(alice, customer(1)), not_in_pool);
  ASSERT_HIGHSEAS_OK(pool().move_into_pool(admin, profile(1)));
  EXPECT_EQ(view(pool(), customer(1)).state, CustomerState::available);
  const CustomerProfile fresh{CustomerId("new-1"), "Brand New Ltd", "JP", "C", {}};
  ASSERT_HIGHSEAS_OK(pool().move_into_pool(admin, fresh));
  EXPECT_EQ(view(pool(), fresh.id).profile, fresh);
  EXPECT_REFUSED(pool().move_into_pool(admin, fresh), already_in_pool);
}

TEST_P(StorageConformance, PauseAndResumeShiftEveryDeadline) {
  populate(pool(), 3);
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(1)));
  clock().advance(days(1));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(2)));
  const Time deadline_1 = view(pool(), customer(1)).deadline;
  const Time deadline_2 = view(pool(), customer(2)).deadline;
  ASSERT_HIGHSEAS_OK(pool().set_enabled(boss, false));
  auto paused = pool().info(boss);
  ASSERT_HIGHSEAS_OK(paused);
  EXPECT_FALSE(paused->enabled);
  EXPECT_EQ(paused->paused_since, clock().now());
  const Duration pause = days(3) + seconds(17);
  clock().advance(pause);
  ASSERT_HIGHSEAS_OK(pool().set_enabled(boss, true));
  EXPECT_EQ(view(pool(), customer(1)).deadline, deadline_1 + pause);
  EXPECT_EQ(view(pool(), customer(2)).deadline, deadline_2 + pause);
  EXPECT_TRUE(view(pool(), customer(3)).deadline.is_not_a_date_time());
}

TEST_P(StorageConformance, PolicyChangesAreStored) {
  populate(pool(), 0);
  ClaimPolicy rules = small_policy();
  rules.max_holdings = 9;
  rules.reclaim_cooldown = Duration(0, 0, 0);
  rules.release_cooldown = hours(36);
  rules.daily_limit = DailyLimit{5, {{"A", 1}, {"VIP-客户", 2}}, true};
  ASSERT_HIGHSEAS_OK(pool().set_policy(boss, rules));
  auto info = pool().info(boss);
  ASSERT_HIGHSEAS_OK(info);
  EXPECT_EQ(info->policy, rules);
}

TEST_P(StorageConformance, RemovingAMemberReturnsTheirHoldings) {
  populate(pool(), 4);
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(1)));
  ASSERT_HIGHSEAS_OK(pool().claim(bob, customer(2)));
  ASSERT_HIGHSEAS_OK(pool().claim(alice, customer(3)));
  ASSERT_HIGHSEAS_OK(pool().remove_member(boss, bob));
  EXPECT_EQ(view(pool(), customer(1)).state, CustomerState::available);
  EXPECT_EQ(view(pool(), customer(2)).state, CustomerState::available);
  EXPECT_EQ(view(pool(), customer(3)).holder, alice);
  auto held = pool().holdings(boss, bob);
  ASSERT_HIGHSEAS_OK(held);
  EXPECT_TRUE(held->empty());
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_commands() {}

}  // namespace highseas::testing

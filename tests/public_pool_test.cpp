// The core rules of PublicPool: claiming, assigning, caps, deadlines,
// extensions, wins, the sweep and cooldowns, moving in and out, history.
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
  EXPECT_EQ(view->extensions_left, 2U);
}

TEST_F(PublicPoolTest, TimeLeftCountsDownWithTheClock) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(10) + hours(3));
  EXPECT_EQ(pool.customer(bob, customer(1))->time_left, days(19) + hours(21));
}

TEST_F(PublicPoolTest, ClaimRefusesHeldRegularAndUnknownCustomers) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EXPECT_REFUSED(pool.claim(bob, customer(1)), already_held);
  EXPECT_REFUSED(pool.claim(alice, customer(1)), already_held);
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(2)));
  EXPECT_REFUSED(pool.claim(bob, customer(2)), not_in_pool);
  EXPECT_REFUSED(pool.claim(bob, CustomerId("nobody")), unknown_customer);
}

TEST_F(PublicPoolTest, CapCountsClaimedAndAssignedHoldings) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.assign(admin, customer(2), alice));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));
  EXPECT_REFUSED(pool.claim(alice, customer(4)), cap_reached);
  EXPECT_REFUSED(pool.assign(admin, customer(4), alice), cap_reached);
  EXPECT_EQ(state_of(customer(4)), CustomerState::available);
  // The cap is per user: bob is unaffected.
  EXPECT_HIGHSEAS_OK(pool.claim(bob, customer(4)));
}

TEST_F(PublicPoolTest, AssignNeedsAMemberAssigneeAndAnAvailableCustomer) {
  EXPECT_REFUSED(pool.assign(admin, customer(1), stranger), not_a_member);
  auto held = pool.assign(admin, customer(1), bob);
  ASSERT_HIGHSEAS_OK(held);
  EXPECT_EQ(held->holder, bob);
  EXPECT_EQ(pool.customer(bob, customer(1))->holder, bob);
  EXPECT_REFUSED(pool.assign(admin, customer(1), alice), already_held);
}

TEST_F(PublicPoolTest, LoweringTheCapKeepsHoldingsButBlocksNewOnes) {
  for (int n = 1; n <= 3; ++n) ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(n)));
  ClaimPolicy lower = policy();
  lower.max_holdings = 1;
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, lower));
  EXPECT_EQ(pool.holdings(alice, alice)->size(), 3U);
  EXPECT_REFUSED(pool.claim(alice, customer(4)), cap_reached);
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(2)));
  EXPECT_REFUSED(pool.claim(alice, customer(4)), cap_reached);  // still 1 of at most 1
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(3)));
  EXPECT_HIGHSEAS_OK(pool.claim(alice, customer(4)));
}

TEST_F(PublicPoolTest, CapOfZeroMeansNoNewHoldings) {
  ClaimPolicy closed = policy();
  closed.max_holdings = 0;
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, closed));
  EXPECT_REFUSED(pool.claim(boss, customer(1)), cap_reached);
}

TEST_F(PublicPoolTest, ExtensionAddsToTheCurrentDeadlineAtMostMaxTimes) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(5));
  auto first = pool.extend(admin, customer(1));
  ASSERT_HIGHSEAS_OK(first);
  EXPECT_EQ(first->deadline, start + days(30) + days(15));
  EXPECT_EQ(first->extensions_used, 1U);
  auto second = pool.extend(admin, customer(1));
  ASSERT_HIGHSEAS_OK(second);
  EXPECT_EQ(second->deadline, start + days(60));
  EXPECT_REFUSED(pool.extend(admin, customer(1)), extension_limit);
  EXPECT_EQ(pool.customer(alice, customer(1))->deadline, start + days(60));
  EXPECT_EQ(pool.customer(alice, customer(1))->extensions_left, 0U);
}

TEST_F(PublicPoolTest, ExtendNeedsAHolding) {
  EXPECT_REFUSED(pool.extend(admin, customer(1)), not_held);
  EXPECT_REFUSED(pool.extend(admin, CustomerId("nobody")), unknown_customer);
}

TEST_F(PublicPoolTest, AWinMakesTheHolderTheOwnerForGood) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.record_win(alice, customer(1), WinKind::contract_signed));
  auto view = pool.customer(boss, customer(1));
  EXPECT_EQ(view->state, CustomerState::regular);
  EXPECT_EQ(view->holder, alice);
  EXPECT_FALSE(view->time_left.has_value());
  // It left the pool: the deadline no longer applies and it no longer counts toward the cap.
  clock.advance(days(40));
  EXPECT_TRUE(pool.sweep()->returned.empty());
  EXPECT_EQ(state_of(customer(1)), CustomerState::regular);
  EXPECT_TRUE(pool.holdings(alice, alice)->empty());
  EXPECT_REFUSED(pool.claim(bob, customer(1)), not_in_pool);
}

TEST_F(PublicPoolTest, AWinAfterTheDeadlineIsRefused) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(30));
  // Returned at its deadline, swept or not: nobody holds it any more.
  EXPECT_REFUSED(pool.record_win(alice, customer(1), WinKind::payment_received), not_held);
  EXPECT_REFUSED(pool.extend(admin, customer(1)), not_held);
  EXPECT_REFUSED(pool.follow_up(alice, customer(1), "called"), not_held);
}

TEST_F(PublicPoolTest, SweepReturnsExactlyTheDueHoldingsInDeadlineOrder) {
  // A day apart: claims on one day end together, at the end of its 30th day after.
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(2)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));
  ASSERT_HIGHSEAS_OK(pool.extend(admin, customer(1)));  // now due last
  EXPECT_TRUE(pool.sweep()->returned.empty());

  clock.advance(days(30) - days(1));  // exactly customer 2's deadline: due at, not only after
  auto first = pool.sweep();
  ASSERT_HIGHSEAS_OK(first);
  ASSERT_EQ(first->returned.size(), 1U);
  EXPECT_EQ(first->returned[0].customer, customer(2));
  EXPECT_EQ(first->returned[0].previous_holder, bob);

  clock.advance(days(20));
  auto second = pool.sweep();
  ASSERT_EQ(second->returned.size(), 2U);
  EXPECT_EQ(second->returned[0].customer, customer(3));
  EXPECT_EQ(second->returned[1].customer, customer(1));
  for (int n = 1; n <= 3; ++n) EXPECT_EQ(state_of(customer(n)), CustomerState::available);
  EXPECT_TRUE(pool.sweep()->returned.empty());
}

TEST_F(PublicPoolTest, SweepReturnsMoreThanOneBatch) {
  ClaimPolicy wide = policy();
  wide.max_holdings = 2000;
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, wide));
  std::vector<CustomerProfile> many;
  for (int n = 100; n < 100 + 1300; ++n) many.push_back(profile(n));
  ASSERT_EQ(pool.import_customers(admin, many)->imported.size(), 1300U);
  for (const CustomerProfile& row : many) ASSERT_HIGHSEAS_OK(pool.claim(alice, row.id));
  clock.advance(days(31));
  auto swept = pool.sweep();
  ASSERT_HIGHSEAS_OK(swept);
  EXPECT_EQ(swept->returned.size(), 1300U);
  EXPECT_TRUE(pool.holdings(alice, alice)->empty());
}

TEST_F(PublicPoolTest, CooldownKeepsThePreviousHolderAwayButNotOthers) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(30));
  ASSERT_EQ(pool.sweep()->returned.size(), 1U);
  EXPECT_REFUSED(pool.claim(alice, customer(1)), cooldown);
  EXPECT_REFUSED(pool.assign(admin, customer(1), alice), cooldown);
  clock.advance(days(7) - seconds(1));
  EXPECT_REFUSED(pool.claim(alice, customer(1)), cooldown);
  EXPECT_HIGHSEAS_OK(pool.claim(bob, customer(1)));
}

TEST_F(PublicPoolTest, CooldownEndsAfterReclaimCooldown) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(1)));
  EXPECT_REFUSED(pool.claim(alice, customer(1)), cooldown);
  clock.advance(days(7));
  EXPECT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
}

TEST_F(PublicPoolTest, ReleaseStartsTheCooldownForTheReleaser) {
  ASSERT_HIGHSEAS_OK(pool.assign(admin, customer(1), alice));
  ASSERT_HIGHSEAS_OK(pool.release(admin, customer(1)));  // an admin releasing alice's holding
  EXPECT_EQ(state_of(customer(1)), CustomerState::available);
  EXPECT_REFUSED(pool.claim(alice, customer(1)), cooldown);
  EXPECT_HIGHSEAS_OK(pool.claim(admin, customer(1)));
}

TEST_F(PublicPoolTest, ReleaseNeedsAHolding) {
  EXPECT_REFUSED(pool.release(alice, customer(1)), not_held);
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(1)));
  EXPECT_REFUSED(pool.release(admin, customer(1)), not_in_pool);
}

TEST_F(PublicPoolTest, FollowUpIsForTheHolderAndIsShown) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EXPECT_REFUSED(pool.follow_up(bob, customer(1), "hi"), held_by_other);
  EXPECT_REFUSED(pool.follow_up(bob, customer(2), "hi"), not_held);
  clock.advance(days(2));
  ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(1), "sent a quotation\nFOB Ningbo"));
  EXPECT_EQ(pool.customer(bob, customer(1))->last_follow_up, clock.now());
  EXPECT_EQ(pool.history(bob, customer(1))->back().note, "sent a quotation\nFOB Ningbo");
}

TEST_F(PublicPoolTest, MoveOutOfPoolKeepsTheHolderAsOwner) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(1)));
  auto view = pool.customer(boss, customer(1));
  EXPECT_EQ(view->state, CustomerState::regular);
  EXPECT_EQ(view->holder, alice);
  EXPECT_TRUE(pool.holdings(alice, alice)->empty());
  EXPECT_REFUSED(pool.move_out_of_pool(admin, customer(1)), not_in_pool);
}

TEST_F(PublicPoolTest, MoveIntoPoolTakesRegularAndNewCustomers) {
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.move_into_pool(admin, profile(1)));
  EXPECT_EQ(state_of(customer(1)), CustomerState::available);
  EXPECT_FALSE(pool.customer(boss, customer(1))->holder.has_value());
  const CustomerProfile fresh{CustomerId("new"), "Sydney Wool Pty", "AU", "A", {}};
  ASSERT_HIGHSEAS_OK(pool.move_into_pool(admin, fresh));
  EXPECT_EQ(pool.customer(boss, CustomerId("new"))->profile, fresh);
  EXPECT_REFUSED(pool.move_into_pool(admin, fresh), already_in_pool);
}

TEST_F(PublicPoolTest, MoveIntoPoolRefusesANewCustomerWhoseNameThePoolKnows) {
  // "customer-1" folds to the same key as customer(1)'s name "Customer 1".
  const CustomerProfile twin{CustomerId("twin"), "CUSTOMER-1", "DE", "A", {}};
  const auto refused = pool.move_into_pool(admin, twin);
  EXPECT_REFUSED(refused, already_in_pool);
  EXPECT_NE(refused.refusal().message.find(customer(1).str()), std::string::npos);
  EXPECT_REFUSED(pool.customer(boss, CustomerId("twin")), unknown_customer);
  // A regular customer coming back keeps its own name: no collision with itself.
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(1)));
  EXPECT_HIGHSEAS_OK(pool.move_into_pool(admin, profile(1)));
}

TEST_F(PublicPoolTest, ImportReportsBadRowsAndAddsTheGoodOnes) {
  std::vector<CustomerProfile> batch{
      {CustomerId("n1"), "Lima Textiles", "PE", "A", {}},
      {CustomerId("n2"), "", "PE", "A", {}},                   // empty name
      {CustomerId("n3"), "Oslo Fish", "XX", "A", {}},          // bad country
      {CustomerId("n1"), "Lima Textiles Two", "PE", "A", {}},  // duplicate id in batch
      {CustomerId("c1"), "Other", "DE", "A", {}},              // id known to the pool
      {CustomerId("n4"), "CUSTOMER-1", "DE", "A", {}},         // same name as c1
      {CustomerId(std::string(129, 'x')), "Long Id", "DE", "A", {}},
      {CustomerId("n5"), "Bad\xff", "DE", "A", {}},
  };
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  auto report = pool.import_customers(admin, batch);
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->imported, std::vector<CustomerId>{CustomerId("n1")});
  ASSERT_EQ(report->problems.size(), 7U);
  EXPECT_EQ(report->problems[0].row, 1U);
  EXPECT_EQ(report->problems[0].field, "name");
  EXPECT_EQ(report->problems[1].field, "country");
  EXPECT_EQ(report->problems[2].field, "id");
  EXPECT_EQ(report->problems[3].code, RefusalCode::already_in_pool);
  ASSERT_TRUE(report->problems[3].collision.has_value());
  EXPECT_EQ(report->problems[3].collision->state, CustomerState::held);
  EXPECT_EQ(report->problems[3].collision->holder, alice);
  ASSERT_TRUE(report->problems[4].collision.has_value());
  EXPECT_TRUE(report->problems[4].collision->by_name);
  EXPECT_EQ(report->problems[4].collision->existing, customer(1));
  EXPECT_EQ(report->problems[5].row, 6U);
  EXPECT_EQ(report->problems[6].row, 7U);
  EXPECT_REFUSED(pool.customer(boss, CustomerId("n4")), unknown_customer);
}

TEST_F(PublicPoolTest, StrictImportAddsNothingWhenOneRowIsBad) {
  std::vector<CustomerProfile> batch{{CustomerId("n1"), "Lima Textiles", "PE", "A", {}},
                                     {CustomerId("n2"), "Oslo Fish", "NO", "", {std::string()}}};
  auto report = pool.import_customers(admin, batch, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->imported.empty());
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].field, "tags");
  EXPECT_REFUSED(pool.customer(boss, CustomerId("n1")), unknown_customer);
}

TEST_F(PublicPoolTest, CheckOnlyImportReportsButWritesNothing) {
  std::vector<CustomerProfile> batch{{CustomerId("n1"), "Lima Textiles", "PE", "A", {}},
                                     {CustomerId("c2"), "Dup", "PE", "A", {}}};
  auto report = pool.import_customers(admin, batch, ImportMode::check_only);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->imported.empty());
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].row, 1U);
  EXPECT_REFUSED(pool.customer(boss, CustomerId("n1")), unknown_customer);
}

TEST_F(PublicPoolTest, HistoryRecordsEveryChangeWithActorTimeAndReason) {
  const Time t0 = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.extend(admin, customer(1)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.release(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.assign(admin, customer(1), bob));
  clock.advance(days(50));
  ASSERT_HIGHSEAS_OK(pool.sweep());
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.record_win(alice, customer(1), WinKind::payment_received));

  auto history = pool.history(bob, customer(1));
  ASSERT_HIGHSEAS_OK(history);
  std::vector<HistoryKind> kinds;
  for (const HistoryEntry& entry : *history) kinds.push_back(entry.kind);
  EXPECT_EQ(kinds, (std::vector<HistoryKind>{HistoryKind::imported, HistoryKind::claimed,
                                             HistoryKind::extended, HistoryKind::released,
                                             HistoryKind::assigned, HistoryKind::returned,
                                             HistoryKind::claimed, HistoryKind::won}));
  const auto& h = *history;
  EXPECT_EQ(h[1].actor, alice);
  EXPECT_EQ(h[1].at, t0);
  EXPECT_EQ(h[1].holder_after, alice);
  EXPECT_EQ(h[3].holder_before, alice);
  EXPECT_FALSE(h[3].holder_after.has_value());
  EXPECT_EQ(h[4].actor, admin);
  EXPECT_EQ(h[4].holder_after, bob);
  EXPECT_FALSE(h[5].actor.has_value());  // the system returned it
  EXPECT_EQ(h[5].holder_before, bob);
  EXPECT_EQ(h[7].note, "payment_received");
  EXPECT_EQ(h[7].win, WinKind::payment_received);
}

TEST_F(PublicPoolTest, RemovingAMemberReturnsTheirHoldings) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.remove_member(boss, alice));
  EXPECT_EQ(state_of(customer(1)), CustomerState::available);
  EXPECT_EQ(state_of(customer(2)), CustomerState::available);
  EXPECT_EQ(pool.history(boss, customer(1))->back().kind, HistoryKind::member_removed);
  EXPECT_REFUSED(pool.claim(alice, customer(3)), not_a_member);
  EXPECT_REFUSED(pool.remove_member(boss, alice), not_a_member);
}

TEST_F(PublicPoolTest, ThePoolAlwaysKeepsABoss) {
  EXPECT_REFUSED(pool.remove_member(boss, boss), invalid_argument);
  EXPECT_REFUSED(pool.set_member(boss, boss, Role::pool_user), invalid_argument);
  ASSERT_HIGHSEAS_OK(pool.set_member(boss, admin, Role::boss));
  EXPECT_HIGHSEAS_OK(pool.set_member(boss, boss, Role::pool_user));
  EXPECT_EQ(pool.members(admin)->size(), 4U);
}

TEST_F(PublicPoolTest, CreateTwiceAndUnknownPoolAreRefused) {
  EXPECT_REFUSED(pool.create(boss), pool_exists);
  PublicPool other(PoolId("other"), storage, clock);
  EXPECT_REFUSED(other.claim(boss, customer(1)), unknown_pool);
  EXPECT_REFUSED(other.sweep(), unknown_pool);
  EXPECT_REFUSED(other.info(boss), unknown_pool);
}

TEST_F(PublicPoolTest, PoliciesThatMakeNoSenseAreRefused) {
  ClaimPolicy bad = policy();
  bad.default_rule.holding_period = Duration(0, 0, 0);
  EXPECT_REFUSED(pool.set_policy(boss, bad), invalid_argument);
  bad = policy();
  bad.default_rule.holding_period = days(3660);
  EXPECT_REFUSED(pool.set_policy(boss, bad), invalid_argument);
  bad = policy();
  bad.extension = hours(-1);
  EXPECT_REFUSED(pool.set_policy(boss, bad), invalid_argument);
  EXPECT_EQ(pool.info(boss)->policy, policy());
}

TEST_F(PublicPoolTest, AvailableListsPagesWithFiltersAndCursor) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  AvailableQuery query;
  query.limit = 3;
  std::vector<CustomerId> seen;
  for (;;) {
    auto page = pool.available(bob, query);
    ASSERT_HIGHSEAS_OK(page);
    for (const CustomerView& view : page->customers) {
      EXPECT_EQ(view.state, CustomerState::available);
      seen.push_back(view.profile.id);
    }
    if (!page->next) break;
    query.after = page->next;
  }
  EXPECT_EQ(seen.size(), 9U);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::count(seen.begin(), seen.end(), customer(2)), 0);

  AvailableQuery brazil;
  brazil.filter.country = "BR";
  auto page = pool.available(bob, brazil);
  ASSERT_HIGHSEAS_OK(page);
  EXPECT_EQ(page->customers.size(), 4U);  // 4, 6, 8, 10 (2 is held)
  AvailableQuery tagged;
  tagged.filter.tag = "europe";
  tagged.filter.level = "A";
  EXPECT_EQ(pool.available(bob, tagged)->customers.size(), 2U);  // 3 and 9
  query.limit = 0;
  EXPECT_REFUSED(pool.available(bob, query), invalid_argument);
}

TEST_F(PublicPoolTest, RefusedCommandsChangeNothing) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  const auto before = pool.customer(boss, customer(1)).value();
  const auto history_before = pool.history(boss, customer(1))->size();
  EXPECT_REFUSED(pool.claim(bob, customer(1)), already_held);
  EXPECT_REFUSED(pool.release(bob, customer(1)), not_permitted);
  EXPECT_REFUSED(pool.record_win(bob, customer(1), WinKind::contract_signed), not_permitted);
  EXPECT_REFUSED(pool.extend(alice, customer(1)), not_permitted);
  const auto after = pool.customer(boss, customer(1)).value();
  EXPECT_EQ(after.holder, before.holder);
  EXPECT_EQ(after.deadline, before.deadline);
  EXPECT_EQ(pool.history(boss, customer(1))->size(), history_before);
}

}  // namespace
}  // namespace highseas::test

namespace highseas::test {
namespace {

using PoolSummaryTest = PoolFixture;

TEST_F(PoolSummaryTest, CountsEveryStateAndFlagsHoldingsCloseToTheirDeadline) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  clock.advance(days(28));  // customer 1 has 2 days left: urgent under the 3-day default
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));
  ASSERT_HIGHSEAS_OK(pool.record_win(bob, customer(3), WinKind::payment_received));
  ASSERT_HIGHSEAS_OK(pool.move_out_of_pool(admin, customer(4)));

  auto summary = pool.summary(bob);
  ASSERT_HIGHSEAS_OK(summary);
  EXPECT_EQ(summary->available, 6U);
  EXPECT_EQ(summary->held, 2U);
  EXPECT_EQ(summary->regular, 2U);
  EXPECT_EQ(summary->info.members, summary->members.size());
  const auto line = [&](const UserId& user) {
    for (const MemberSummary& member : summary->members) {
      if (member.user == user) return member;
    }
    ADD_FAILURE() << user << " is missing from the summary";
    return MemberSummary{};
  };
  EXPECT_EQ(line(alice).held, 2U);
  EXPECT_EQ(line(alice).urgent, 1U);
  EXPECT_EQ(line(alice).next_deadline, clock.now() + days(2));
  EXPECT_EQ(line(alice).next_time_left, days(2));
  EXPECT_EQ(line(bob).held, 0U);
  EXPECT_TRUE(line(bob).next_deadline.is_not_a_date_time());
  EXPECT_FALSE(line(bob).next_time_left.has_value());
  EXPECT_EQ(line(alice).role, Role::pool_user);
  std::vector<UserId> order;
  for (const MemberSummary& member : summary->members) order.push_back(member.user);
  EXPECT_EQ(order, (std::vector<UserId>{admin, alice, bob, boss}));
}

TEST_F(PoolSummaryTest, WiderThresholdsCountMoreAndBadOnesAreRefused) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(2)));
  auto narrow = pool.summary(alice);
  ASSERT_HIGHSEAS_OK(narrow);
  for (const MemberSummary& member : narrow->members) EXPECT_EQ(member.urgent, 0U);
  auto wide = pool.summary(alice, days(31));
  ASSERT_HIGHSEAS_OK(wide);
  std::size_t urgent = 0;
  for (const MemberSummary& member : wide->members) urgent += member.urgent;
  EXPECT_EQ(urgent, 2U);
  EXPECT_REFUSED(pool.summary(alice, -days(1)), invalid_argument);
  EXPECT_REFUSED(pool.summary(stranger), not_a_member);
}

}  // namespace
}  // namespace highseas::test

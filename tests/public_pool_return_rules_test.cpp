// Return rules through PublicPool (issue 16): the "done when" policy
// end to end on MemoryStorage: level rules, the idle clock and follow-ups,
// protection, the reason a customer returns, policy versions, pauses.
#include <vector>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

// c3, c6 and c9 are level A; the others level B (pool_fixture.hpp).
class ReturnRulesPoolTest : public PoolFixture {
 protected:
  // "A-level: 60 days, idle 14; others: 30 days, idle 7; at most 3 protected
  // per rep for 30 days."
  ClaimPolicy policy() const override {
    ClaimPolicy rules = PoolFixture::policy();
    rules.default_rule = {days(30), Span(days(7))};
    rules.levels = {{"A", {days(60), Span(days(14))}}};
    rules.protection = {3, days(30)};
    rules.max_holdings = 10;
    return rules;
  }

  CustomerView view(int n) { return *pool.customer(boss, customer(n)); }
};

TEST_F(ReturnRulesPoolTest, EachLevelGetsItsRuleAndAFollowUpMovesTheDeadlineAtOnce) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));  // A
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));  // B: the default rule
  EXPECT_EQ(view(3).deadline, start + days(14));
  EXPECT_EQ(view(3).deadline_reason, DeadlineReason::idle);
  EXPECT_EQ(view(1).deadline, start + days(7));

  clock.advance(days(5));
  ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(1), "sent samples"));
  EXPECT_EQ(view(1).deadline, start + days(12)) << "the remaining days grow at once";
  EXPECT_EQ(*view(1).time_left, days(7));
  const auto history = *pool.history(boss, customer(1));
  EXPECT_EQ(history.back().deadline, start + days(12));
  EXPECT_EQ(history.back().deadline_reason, DeadlineReason::idle);
}

TEST_F(ReturnRulesPoolTest, TheSweepReturnsAtTheIdleDeadlineAndSaysWhy) {
  std::vector<Returned> returned;
  const ScopedConnection listening =
      pool.events().returned.connect([&](const Returned& event) { returned.push_back(event); });
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(2)));
  clock.advance(days(7) - seconds(1));
  EXPECT_TRUE(pool.sweep()->returned.empty());
  clock.advance(seconds(1));
  const auto report = pool.sweep();
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->returned.size(), 1U);
  EXPECT_EQ(report->returned[0].deadline, start + days(7));
  ASSERT_EQ(returned.size(), 1U);
  EXPECT_EQ(returned[0].deadline_reason, DeadlineReason::idle);
  const auto history = *pool.history(boss, customer(2));
  EXPECT_EQ(history.back().kind, HistoryKind::returned);
  EXPECT_EQ(history.back().deadline_reason, DeadlineReason::idle);
}

TEST_F(ReturnRulesPoolTest, AProtectedHoldingOutlivesItsClocksUntilTheProtectionEnds) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));  // idle deadline: day 7
  auto protected_holding = pool.protect(alice, customer(1), days(20));
  ASSERT_HIGHSEAS_OK(protected_holding);
  EXPECT_EQ(protected_holding->deadline, start + days(20));
  EXPECT_EQ(view(1).deadline_reason, DeadlineReason::protection_ended);
  EXPECT_EQ(view(1).protected_until, start + days(20));

  clock.advance(days(10));
  EXPECT_TRUE(pool.sweep()->returned.empty()) << "protected past its idle deadline";
  clock.advance(days(10));
  const auto report = pool.sweep();
  ASSERT_EQ(report->returned.size(), 1U);
  EXPECT_EQ(pool.history(boss, customer(1))->back().deadline_reason,
            DeadlineReason::protection_ended);
}

TEST_F(ReturnRulesPoolTest, AProtectionEndingBeforeTheClocksChangesNothingThen) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));  // A: idle deadline day 14
  ASSERT_HIGHSEAS_OK(pool.protect(alice, customer(3), days(2)));
  EXPECT_EQ(view(3).deadline, start + days(14));
  EXPECT_EQ(view(3).deadline_reason, DeadlineReason::idle);
}

TEST_F(ReturnRulesPoolTest, ProtectionIsCappedPerRepLimitedInTimeAndNotRenewed) {
  for (int n : {1, 2, 3, 4}) ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(n)));
  for (int n : {1, 2, 3}) ASSERT_HIGHSEAS_OK(pool.protect(alice, customer(n)));
  EXPECT_REFUSED(pool.protect(alice, customer(4)), protection_limit);
  EXPECT_REFUSED(pool.protect(alice, customer(1)), protection_limit);  // no renewal
  EXPECT_REFUSED(pool.protect(alice, customer(4), days(31)), invalid_argument);
  EXPECT_REFUSED(pool.protect(alice, customer(4), Duration(0, 0, 0)), invalid_argument);
  // Lifting one frees a place; its other clocks apply again at once.
  const Time start = clock.now();
  auto lifted = pool.unprotect(alice, customer(1));
  ASSERT_HIGHSEAS_OK(lifted);
  EXPECT_EQ(lifted->deadline, start + days(7));
  EXPECT_REFUSED(pool.unprotect(alice, customer(1)), invalid_argument);
  EXPECT_HIGHSEAS_OK(pool.protect(alice, customer(4)));
  // Another rep's holding: only admins and the boss (protect_any).
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(5)));
  EXPECT_REFUSED(pool.protect(alice, customer(5)), not_permitted);
  EXPECT_HIGHSEAS_OK(pool.protect(admin, customer(5)));
}

TEST_F(ReturnRulesPoolTest, ProtectionIsRefusedWhereThePolicyTurnsItOff) {
  ClaimPolicy off = policy();
  off.protection.max_per_user = 0;
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, off));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  EXPECT_REFUSED(pool.protect(alice, customer(1)), protection_limit);
  EXPECT_REFUSED(pool.protect(alice, customer(2)), not_held);
}

TEST_F(ReturnRulesPoolTest, AHoldingKeepsTheRulesAndVersionItStartedUnder) {
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ClaimPolicy longer = policy();
  longer.default_rule = {days(45), std::nullopt};
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, longer));
  EXPECT_EQ(pool.info(boss)->policy, longer);
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
  EXPECT_EQ(view(2).deadline, start + days(45));
  EXPECT_EQ(view(2).deadline_reason, DeadlineReason::period);
  const auto first = pool.history(boss, customer(1))->back();
  const auto second = pool.history(boss, customer(2))->back();
  EXPECT_EQ(first.policy_version, 1U);
  EXPECT_EQ(second.policy_version, 2U);
  // The running holding keeps its idle limit: a follow-up restarts 7 days.
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(1), "call"));
  EXPECT_EQ(view(1).deadline, clock.now() + days(7));
}

TEST_F(ReturnRulesPoolTest, APauseMovesEveryClockOfAHolding) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));  // A: period day 60, idle day 14
  ASSERT_HIGHSEAS_OK(pool.protect(alice, customer(3), days(20)));
  clock.advance(days(1));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(days(5));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
  EXPECT_EQ(view(3).deadline, start + days(25)) << "protection end moved by the pause";
  ASSERT_HIGHSEAS_OK(pool.unprotect(alice, customer(3)));
  EXPECT_EQ(view(3).deadline, start + days(19)) << "idle deadline moved by the pause";
  // Enough follow-ups: the period clock was moved too.
  for (int day = 10; day <= 60; day += 10) {
    clock.set(start + days(day));
    ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(3), "call")) << "day " << day;
  }
  EXPECT_EQ(view(3).deadline, start + days(65));
  EXPECT_EQ(view(3).deadline_reason, DeadlineReason::period);
}

TEST_F(ReturnRulesPoolTest, ExplainSaysWhichClockSetTheDeadlineAndWhatWouldMoveIt) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));  // A: 60 days, idle 14
  clock.advance(days(4));
  ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(3), "call"));
  clock.advance(days(6));
  const auto why = pool.explain(bob, customer(3));  // any member may ask
  ASSERT_HIGHSEAS_OK(why);
  EXPECT_EQ(why->holder, alice);
  EXPECT_EQ(why->deadline, start + days(18));
  EXPECT_EQ(why->reason, DeadlineReason::idle);
  ASSERT_EQ(why->clocks.size(), 2U);
  EXPECT_EQ(why->clocks[0].clock, DeadlineReason::idle) << "the clock that set it comes first";
  EXPECT_EQ(why->clocks[0].counts_from, start + days(4)) << "the last follow-up";
  EXPECT_EQ(why->clocks[0].length, Span(days(14)));
  EXPECT_EQ(why->clocks[1].clock, DeadlineReason::period);
  EXPECT_EQ(why->clocks[1].ends_at, start + days(60));
  EXPECT_EQ(why->clocks[1].counts_from, start);
  EXPECT_EQ(why->after_follow_up, start + days(24));
  EXPECT_EQ(why->after_extension, start + days(18)) << "an extension moves only the period";
  EXPECT_EQ(why->after_protection, start + days(40));
  EXPECT_EQ(why->policy_version, 1U);

  // What explain promised is what the commands do.
  ASSERT_HIGHSEAS_OK(pool.follow_up(alice, customer(3), "call"));
  EXPECT_EQ(view(3).deadline, *why->after_follow_up);
  const auto protected_holding = pool.protect(alice, customer(3));
  ASSERT_HIGHSEAS_OK(protected_holding);
  EXPECT_EQ(protected_holding->deadline, *why->after_protection);
  EXPECT_EQ(pool.explain(alice, customer(3))->after_protection, std::nullopt);

  EXPECT_REFUSED(pool.explain(alice, customer(1)), not_held);
  EXPECT_REFUSED(pool.explain(alice, CustomerId("nobody")), unknown_customer);
  EXPECT_REFUSED(pool.explain(stranger, customer(3)), not_a_member);
}

}  // namespace
}  // namespace highseas::test

// What a policy change does to a running holding (issue 16), as pure
// decisions: keep, recompute, never_shorten, for the period, the idle clock,
// extensions, paused time, protection and levels; and how a preview counts.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "highseas/rules.hpp"

namespace highseas::rules {
namespace {

// At midnight: whole-day spans from it end exactly whole days later (end of day N).
const Time kStart = utc(2026, 3, 1);
const TeamCalendar kUtc;
const UserId kRep("li.wei");
const CustomerId kCustomer("CU1");

ClaimPolicy old_policy() {
  ClaimPolicy policy;
  policy.default_rule = {days(30), Span(days(7))};
  policy.levels = {{"A", {days(60), Span(days(14))}}};
  policy.protection = {3, days(30)};
  return policy;
}

Situation at(Time now, ClaimPolicy policy, std::uint32_t version) {
  PoolRecord pool;
  pool.policy = std::move(policy);
  pool.policy_version = version;
  return Situation{std::move(pool), RoleGuard::standard(), kRep, Role::boss, now, nullptr};
}

// A holding of `level` claimed at kStart under old_policy() (version 1).
CustomerRecord claimed(std::string_view level) {
  auto change = take(at(kStart, old_policy(), 1), Command::claim, kCustomer, CustomerRecord{},
                     Taker{kRep, Role::pool_user, 0, {}}, level);
  EXPECT_TRUE(change.ok()) << change.refusal().message;
  return change->after;
}

ClaimPolicy with_default(ReturnRule rule) {
  ClaimPolicy policy = old_policy();
  policy.default_rule = rule;
  return policy;
}

struct Row {
  std::string name;
  std::string level;
  ReturnRule new_default;
  RunningHoldings running;
  std::optional<Time> deadline;  // nothing: the holding keeps its deadline
  DeadlineReason reason = DeadlineReason::period;
};

TEST(PolicyChangeTest, EachModeOnAHoldingThatWasNeverTouched) {
  const Time now = kStart + days(2);
  const std::vector<Row> rows = {
      {"keep never recomputes", "", {days(45), std::nullopt}, RunningHoldings::keep, std::nullopt},
      {"recompute: the idle clock stops, the longer period rules",
       "",
       {days(45), std::nullopt},
       RunningHoldings::recompute,
       kStart + days(45)},
      {"recompute: a longer idle limit",
       "",
       {days(30), Span(days(10))},
       RunningHoldings::recompute,
       kStart + days(10),
       DeadlineReason::idle},
      {"recompute may shorten",
       "",
       {days(30), Span(days(3))},
       RunningHoldings::recompute,
       kStart + days(3),
       DeadlineReason::idle},
      {"never_shorten refuses to shorten",
       "",
       {days(30), Span(days(3))},
       RunningHoldings::never_shorten,
       std::nullopt},
      {"never_shorten lengthens",
       "",
       {days(30), Span(days(10))},
       RunningHoldings::never_shorten,
       kStart + days(10),
       DeadlineReason::idle},
      // Its period ran out a day ago: due at once, at the change (never dated before it).
      {"recompute into the past", "", {days(1), std::nullopt}, RunningHoldings::recompute, now},
      {"an unchanged rule changes nothing",
       "",
       {days(30), Span(days(7))},
       RunningHoldings::recompute,
       std::nullopt},
      {"a level keeps its own rule when only the default changes",
       "A",
       {days(45), std::nullopt},
       RunningHoldings::recompute,
       std::nullopt},
  };
  for (const Row& row : rows) {
    const CustomerRecord before = claimed(row.level);
    const auto change =
        recompute(at(now, with_default(row.new_default), 2), kUtc, before, row.level, row.running);
    if (!row.deadline) {
      EXPECT_FALSE(change.has_value()) << row.name;
      continue;
    }
    ASSERT_TRUE(change.has_value()) << row.name;
    EXPECT_EQ(change->after.deadline, *row.deadline) << row.name;
    EXPECT_EQ(change->after.deadline_reason, row.reason) << row.name;
    EXPECT_EQ(change->after.period_length, row.new_default.holding_period) << row.name;
    EXPECT_EQ(change->after.policy_version, 2U) << row.name;
    EXPECT_EQ(change->entry.kind, HistoryKind::rules_changed) << row.name;
    EXPECT_EQ(change->entry.policy_version, 2U) << row.name;
    EXPECT_EQ(change->entry.deadline, *row.deadline) << row.name;
    EXPECT_EQ(change->entry.holder_before, kRep) << row.name;
    EXPECT_EQ(change->entry.holder_after, kRep) << row.name;
  }
}

TEST(PolicyChangeTest, ARecomputeKeepsExtensionsPausedTimeAndTheLastFollowUp) {
  CustomerRecord holding = claimed("");
  // Extended once (15 days), paused for 5 days, followed up on day 4.
  auto extended = extend(at(kStart + days(1), old_policy(), 1), kCustomer, holding);
  ASSERT_TRUE(extended.ok());
  holding = extended->after;
  for (Time* clock : {&holding.period_deadline, &holding.idle_deadline, &holding.deadline}) {
    *clock += days(5);
  }
  auto followed = follow_up(at(kStart + days(4), old_policy(), 1), kCustomer, holding, "call");
  ASSERT_TRUE(followed.ok());
  holding = followed->after;
  ASSERT_EQ(holding.period_deadline, kStart + days(30 + 15 + 5));
  ASSERT_EQ(holding.idle_deadline, kStart + days(4 + 7));

  const auto change = recompute(at(kStart + days(6), with_default({days(40), Span(days(9))}), 2),
                                kUtc, holding, "", RunningHoldings::recompute);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->after.period_deadline, kStart + days(40 + 15 + 5));
  EXPECT_EQ(change->after.idle_deadline, kStart + days(4 + 9));
  EXPECT_EQ(change->after.deadline, kStart + days(13));
  EXPECT_EQ(change->after.extensions_used, 1U);
  EXPECT_EQ(change->after.since, kStart);
}

TEST(PolicyChangeTest, ANewIdleClockCountsFromTheLastFollowUpAndAProtectionStillHolds) {
  ClaimPolicy no_idle = old_policy();
  no_idle.default_rule = {days(30), std::nullopt};
  auto taken = take(at(kStart, no_idle, 1), Command::claim, kCustomer, CustomerRecord{},
                    Taker{kRep, Role::pool_user, 0, {}}, "");
  ASSERT_TRUE(taken.ok());
  CustomerRecord holding = taken->after;
  holding = follow_up(at(kStart + days(3), no_idle, 1), kCustomer, holding, "call")->after;
  holding = protect(at(kStart + days(3), no_idle, 1), kCustomer, holding, 0, days(20))->after;
  ASSERT_EQ(holding.deadline, kStart + days(30));

  const auto change = recompute(at(kStart + days(4), with_default({days(30), Span(days(5))}), 2),
                                kUtc, holding, "", RunningHoldings::recompute);
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->after.idle_deadline, kStart + days(8));
  EXPECT_EQ(change->after.idle_limit, Span(days(5)));
  // Idle would end it on day 8, but it is protected until day 23.
  EXPECT_EQ(change->after.deadline, kStart + days(23));
  EXPECT_EQ(change->after.deadline_reason, DeadlineReason::protection_ended);
}

TEST(PolicyChangeTest, ALevelRuleChangeReachesOnlyThatLevel) {
  ClaimPolicy next = old_policy();
  next.levels = {{"A", {days(90), Span(days(20))}}};
  const Situation change_at = at(kStart + days(1), next, 2);
  const auto a = recompute(change_at, kUtc, claimed("A"), "A", RunningHoldings::recompute);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->after.deadline, kStart + days(20));
  EXPECT_FALSE(recompute(change_at, kUtc, claimed("B"), "B", RunningHoldings::recompute));
}

TEST(PolicyChangeTest, APreviewCountsEachReturnOnTheDayTheSweepAtItsEndWouldReturnIt) {
  const Time from = kStart;
  auto holding = [&](std::string id, std::string holder, Duration after_from, Duration before) {
    HoldingPreview row;
    row.customer = CustomerId(std::move(id));
    row.holder = UserId(std::move(holder));
    row.deadline_after = from + after_from;
    row.deadline_before = from + before;
    row.due_at_once = after_from <= Duration(0, 0, 0);
    return row;
  };
  PolicyPreview preview;
  preview.counted_from = from;
  preview.holdings = {
      holding("c1", "ana", days(1), days(1)),  // the end of day 0
      holding("c2", "ana", days(1) + boost::posix_time::microseconds(1),
              days(3)),                                                   // day 1, earlier
      holding("c3", "bo", Duration(0, 0, 0), days(2)),                    // due at once
      holding("c4", "bo", days(30), days(9)),                             // the last day, later
      holding("c5", "bo", days(30) + seconds(1), days(40)),               // past the window
      holding("c6", "ana", boost::posix_time::microseconds(1), days(1)),  // day 0
  };
  summarize(preview);
  std::vector<std::uint32_t> expected(PolicyPreview::kDays, 0);
  expected[0] = 2;
  expected[1] = 1;
  expected[29] = 1;
  EXPECT_EQ(preview.returns_by_day, expected);
  EXPECT_EQ(preview.due_at_once, 1U);
  ASSERT_EQ(preview.holdings.size(), 6U);
  EXPECT_EQ(preview.holdings.front().customer, CustomerId("c3"));  // by new deadline
  EXPECT_EQ(preview.holdings.back().customer, CustomerId("c5"));
  ASSERT_EQ(preview.reps.size(), 2U);
  EXPECT_EQ(preview.reps[0], (RepPreview{UserId("ana"), 3, 2, 0, 0}));
  EXPECT_EQ(preview.reps[1], (RepPreview{UserId("bo"), 3, 2, 1, 1}));
}

}  // namespace
}  // namespace highseas::rules

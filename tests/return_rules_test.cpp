// Return rules as pure decisions (issue 16): which clock ends a holding, per
// level, after follow-ups and extensions; what a policy may say; the text
// form the CLI and the storages use.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "highseas/rules.hpp"

namespace highseas::rules {
namespace {

// At midnight: whole-day spans from it end exactly whole days later (end of day N).
const Time kNow = utc(2026, 3, 1);
const UserId kRep("li.wei");
const CustomerId kCustomer("CU1");

// "A-level: 60 days, idle 14; others: 30 days, idle 7; at most 3 protected
// per rep for 30 days": the policy of the issue's "done when".
ClaimPolicy team_policy() {
  ClaimPolicy policy;
  policy.default_rule = {days(30), Span(days(7))};
  policy.levels = {{"A", {days(60), Span(days(14))}}};
  policy.protection = {3, days(30)};
  return policy;
}

Situation rep_at(Time now, ClaimPolicy policy = team_policy()) {
  PoolRecord pool;
  pool.policy = std::move(policy);
  pool.policy_version = 4;
  return Situation{std::move(pool), RoleGuard::standard(), kRep, Role::pool_user, now, nullptr};
}

CustomerRecord available() { return CustomerRecord{}; }

CustomerRecord claimed(std::string_view level, Time at = kNow) {
  auto change = take(rep_at(at), Command::claim, kCustomer, available(),
                     Taker{kRep, Role::pool_user, 0, {}}, level);
  EXPECT_TRUE(change.ok()) << change.refusal().message;
  return change->after;
}

TEST(ReturnRulesTest, ALevelWithItsOwnRuleUsesItAndEveryOtherLevelTheDefault) {
  const ClaimPolicy policy = team_policy();
  EXPECT_EQ(policy.rule_for("A").holding_period, Span(days(60)));
  // No guess from a similar level: case, spaces and unknown levels get the default.
  for (const std::string_view level : {"", "a", "A ", "B", "AA"}) {
    EXPECT_EQ(policy.rule_for(level), policy.default_rule) << "'" << level << "'";
  }
}

TEST(ReturnRulesTest, TheDeadlineIsTheEarliestClockUnlessAProtectionEndsLater) {
  struct Row {
    std::string name;
    Time period;
    Time idle;  // not_a_date_time: no idle limit
    Time protected_until;
    Time deadline;
    DeadlineReason reason;
  };
  const Time t = kNow;
  const std::vector<Row> table{
      {"period only", t + days(30), Time(), Time(), t + days(30), DeadlineReason::period},
      {"idle earlier", t + days(30), t + days(7), Time(), t + days(7), DeadlineReason::idle},
      {"period earlier", t + days(5), t + days(7), Time(), t + days(5), DeadlineReason::period},
      {"a tie is the period", t + days(7), t + days(7), Time(), t + days(7),
       DeadlineReason::period},
      {"protection past both", t + days(30), t + days(7), t + days(40), t + days(40),
       DeadlineReason::protection_ended},
      {"protection past the idle clock only", t + days(30), t + days(7), t + days(20), t + days(20),
       DeadlineReason::protection_ended},
      {"protection ends before the clocks", t + days(30), t + days(7), t + days(3), t + days(7),
       DeadlineReason::idle},
  };
  for (const Row& row : table) {
    CustomerRecord holding;
    holding.state = CustomerState::held;
    holding.period_deadline = row.period;
    holding.idle_deadline = row.idle;
    holding.protected_until = row.protected_until;
    settle_deadline(holding);
    EXPECT_EQ(holding.deadline, row.deadline) << row.name;
    EXPECT_EQ(holding.deadline_reason, row.reason) << row.name;
  }
}

TEST(ReturnRulesTest, AClaimTakesItsLevelsRuleAndThePolicyVersion) {
  const CustomerRecord a = claimed("A");
  EXPECT_EQ(a.period_deadline, kNow + days(60));
  EXPECT_EQ(a.idle_limit, Span(days(14)));
  EXPECT_EQ(a.idle_deadline, kNow + days(14));
  EXPECT_EQ(a.deadline, kNow + days(14));
  EXPECT_EQ(a.deadline_reason, DeadlineReason::idle);
  EXPECT_EQ(a.policy_version, 4U);

  const CustomerRecord other = claimed("C");
  EXPECT_EQ(other.period_deadline, kNow + days(30));
  EXPECT_EQ(other.deadline, kNow + days(7));

  ClaimPolicy no_idle = team_policy();
  no_idle.default_rule.idle_limit.reset();
  auto plain = take(rep_at(kNow, no_idle), Command::claim, kCustomer, available(),
                    Taker{kRep, Role::pool_user, 0, {}}, "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->after.deadline, kNow + days(30));
  EXPECT_EQ(plain->after.deadline_reason, DeadlineReason::period);
  EXPECT_TRUE(plain->after.idle_deadline.is_not_a_date_time());
  EXPECT_EQ(plain->entry.deadline_reason, DeadlineReason::period);
  EXPECT_EQ(plain->entry.policy_version, 4U);
}

TEST(ReturnRulesTest, AFollowUpMovesTheIdleClockAtOnceButNeverPastThePeriod) {
  CustomerRecord holding = claimed("A");
  auto first = follow_up(rep_at(kNow + days(10)), kCustomer, holding, "called");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->after.deadline, kNow + days(24));
  EXPECT_EQ(first->after.deadline_reason, DeadlineReason::idle);
  EXPECT_EQ(first->entry.deadline, kNow + days(24));
  // A follow-up every ten days keeps it; late in the holding the period is
  // the earlier clock.
  holding = first->after;
  for (int day = 20; day <= 50; day += 10) {
    auto again = follow_up(rep_at(kNow + days(day)), kCustomer, holding, "called again");
    ASSERT_TRUE(again.ok()) << "day " << day;
    holding = again->after;
  }
  EXPECT_EQ(holding.deadline, kNow + days(60));
  EXPECT_EQ(holding.deadline_reason, DeadlineReason::period);
  EXPECT_EQ(holding.idle_deadline, kNow + days(64));
  // Past the idle deadline the holding is over: no follow-up revives it.
  EXPECT_EQ(follow_up(rep_at(kNow + days(14)), kCustomer, claimed("A"), "too late").code(),
            RefusalCode::deadline_passed);
}

TEST(ReturnRulesTest, AnExtensionMovesThePeriodClockOnly) {
  const CustomerRecord holding = claimed("");  // 30 days, idle 7
  auto extended = extend(rep_at(kNow + days(1)), kCustomer, holding);
  ASSERT_TRUE(extended.ok());
  EXPECT_EQ(extended->after.period_deadline, kNow + days(45));
  EXPECT_EQ(extended->after.deadline, kNow + days(7)) << "the idle clock still binds";
  EXPECT_EQ(extended->after.deadline_reason, DeadlineReason::idle);
  // Once follow-ups keep the idle clock ahead, the extension is what counts.
  auto followed = follow_up(rep_at(kNow + days(40)), kCustomer, extended->after, "x");
  EXPECT_EQ(followed.code(), RefusalCode::deadline_passed);
}

TEST(ReturnRulesTest, AReturnSaysWhichClockRanOutAndClearsTheHoldingsClocks) {
  const CustomerRecord holding = claimed("A");
  const Change returned = return_due(rep_at(kNow + days(14)), holding);
  EXPECT_EQ(returned.entry.kind, HistoryKind::returned);
  EXPECT_EQ(returned.entry.deadline_reason, DeadlineReason::idle);
  EXPECT_EQ(returned.entry.policy_version, 4U);
  EXPECT_EQ(returned.after.state, CustomerState::available);
  EXPECT_TRUE(returned.after.period_deadline.is_not_a_date_time());
  EXPECT_TRUE(returned.after.idle_deadline.is_not_a_date_time());
  EXPECT_EQ(returned.after.idle_limit, std::nullopt);
  EXPECT_EQ(returned.after.policy_version, 0U);
  // A win leaves no running clock behind either.
  auto won = record_win(rep_at(kNow + days(1)), kCustomer, holding, WinKind::contract_signed);
  ASSERT_TRUE(won.ok());
  EXPECT_TRUE(won->after.idle_deadline.is_not_a_date_time());
  EXPECT_EQ(won->entry.deadline_reason, std::nullopt);
}

TEST(ReturnRulesTest, APolicyIsRefusedNamingTheFirstBadRule) {
  using Edit = void (*)(ClaimPolicy&);
  const std::vector<std::tuple<std::string, Edit, std::string>> table{
      {"zero business days",
       [](ClaimPolicy& p) { p.default_rule.holding_period = Span::business_days(0); },
       "holding_period must be positive"},
      {"business days over 10 years",
       [](ClaimPolicy& p) { p.default_rule.holding_period = Span::business_days(2601); },
       "holding_period must be at most 2600 business days"},
      {"zero idle", [](ClaimPolicy& p) { p.default_rule.idle_limit = Span(seconds(0)); },
       "idle_limit must be positive"},
      {"infinite idle",
       [](ClaimPolicy& p) {
         p.default_rule.idle_limit = Span(Duration(boost::posix_time::pos_infin));
       },
       "idle_limit must be positive"},
      {"idle over 10 years", [](ClaimPolicy& p) { p.default_rule.idle_limit = Span(days(3654)); },
       "idle_limit must be at most 10 years"},
      {"empty level",
       [](ClaimPolicy& p) {
         p.levels.push_back({"", {}});
       },
       "level ''"},
      {"level with a comma",
       [](ClaimPolicy& p) {
         p.levels.push_back({"A,B", {}});
       },
       "level 'A,B' must be 1 to 16 bytes"},
      {"level twice",
       [](ClaimPolicy& p) {
         p.levels.push_back({"A", {}});
       },
       "level 'A' has two rules"},
      {"bad level period",
       [](ClaimPolicy& p) {
         p.levels.push_back({"B", {-days(1), std::nullopt}});
       },
       "level B: holding_period must be positive"},
      {"protection of no time", [](ClaimPolicy& p) { p.protection.longest = Span(seconds(0)); },
       "protection longest must be positive"},
      {"a fraction of a second",
       [](ClaimPolicy& p) {
         p.default_rule.holding_period = hours(7) + boost::posix_time::milliseconds(5);
       },
       "holding_period must be whole seconds"},
      {"protection count", [](ClaimPolicy& p) { p.protection.max_per_user = 1'000'001; },
       "protection max_per_user"},
  };
  for (const auto& [name, edit, message] : table) {
    ClaimPolicy policy = team_policy();
    edit(policy);
    const auto valid = policy.validate();
    ASSERT_FALSE(valid.ok()) << name;
    EXPECT_EQ(valid.code(), RefusalCode::invalid_argument) << name;
    EXPECT_NE(valid.refusal().message.find(message), std::string::npos)
        << name << ": " << valid.refusal().message;
  }
  EXPECT_TRUE(team_policy().validate().ok());
}

TEST(ReturnRulesTest, RulesWriteAndReadAsText) {
  const ClaimPolicy policy = team_policy();
  EXPECT_EQ(to_string(policy.default_rule), "30d/7d");
  EXPECT_EQ(to_string(ReturnRule{hours(36), std::nullopt}), "36h");
  EXPECT_EQ(to_string(policy.levels), "A=60d/14d");
  const std::vector<LevelRule> three{{"A", {days(60), Span(days(14))}},
                                     {"B", {days(30), Span(days(10))}},
                                     {"VIP", {Span::business_days(20), std::nullopt}}};
  EXPECT_EQ(to_string(three), "A=60d/14d,B=30d/10d,VIP=20bd");
  EXPECT_EQ(parse_level_rules(to_string(three)), three);
  EXPECT_EQ(parse_level_rules(""), std::vector<LevelRule>{});
  for (const std::string_view bad :
       {"A", "=30d", "A=30", "A=30d/", "A=30d,", "A=30d/7d/1d", "A=30d,,B=10d", "A=x"}) {
    EXPECT_EQ(parse_level_rules(bad), std::nullopt) << bad;
  }
}

TEST(ReturnRulesTest, RemindersWriteAndReadAsTextInsideTheirRule) {
  const ReturnRule warned{days(30),
                          Span(days(7)),
                          {{days(7), ReminderAudience::holder},
                           {Span::business_days(2), ReminderAudience::admins},
                           {hours(20), ReminderAudience::boss}}};
  EXPECT_EQ(to_string(warned), "30d/7d@7d:holder;2bd:admins;20h:boss");
  EXPECT_EQ(parse_return_rule(to_string(warned)), warned);
  const std::vector<LevelRule> levels{{"A", warned}, {"B", {days(20), std::nullopt, {}}}};
  EXPECT_EQ(to_string(levels), "A=30d/7d@7d:holder;2bd:admins;20h:boss,B=20d");
  EXPECT_EQ(parse_level_rules(to_string(levels)), levels);
  EXPECT_EQ(parse_reminders(""), std::vector<Reminder>{});
  for (const std::string_view bad : {"30d@", "30d@7d", "30d@7d:", "30d@7d:everyone", "30d@:holder",
                                     "30d@7d:holder;", "30d@7d:holder;;1d:boss", "30d@7x:holder"}) {
    EXPECT_EQ(parse_return_rule(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace highseas::rules

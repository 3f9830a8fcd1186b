// ClaimPolicy's pure decisions, without storage, clock or threads.
#include <gtest/gtest.h>

#include <highseas/claim_policy.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>
#include <vector>

namespace highseas {
namespace {

TEST(ClaimPolicyTest, DefaultsMatchTheProductBrief) {
  const ClaimPolicy policy;
  EXPECT_EQ(policy.default_rule.holding_period, Span::time(days(30)));
  EXPECT_EQ(policy.max_holdings, 20U);
  EXPECT_EQ(policy.extension, days(15));
  EXPECT_EQ(policy.max_extensions, 2U);
  EXPECT_EQ(policy.reclaim_cooldown, days(7));
  EXPECT_TRUE(policy.validate().ok());
}

TEST(ClaimPolicyTest, ValidateRefusesNonsense) {
  auto with = [](auto change) {
    ClaimPolicy policy;
    change(policy);
    return policy.validate();
  };
  EXPECT_EQ(with([](ClaimPolicy& p) { p.default_rule.holding_period = Duration(0, 0, 0); }).code(),
            RefusalCode::invalid_argument);
  EXPECT_FALSE(with([](ClaimPolicy& p) { p.default_rule.holding_period = hours(-5); }).ok());
  EXPECT_FALSE(with([](ClaimPolicy& p) { p.default_rule.holding_period = days(3654); }).ok());
  EXPECT_TRUE(with([](ClaimPolicy& p) { p.default_rule.holding_period = days(3653); }).ok());
  EXPECT_FALSE(with([](ClaimPolicy& p) { p.extension = Duration(0, 0, 0); }).ok());
  EXPECT_FALSE(with([](ClaimPolicy& p) { p.reclaim_cooldown = seconds(-1); }).ok());
  EXPECT_TRUE(with([](ClaimPolicy& p) { p.reclaim_cooldown = Duration(0, 0, 0); }).ok());
  EXPECT_TRUE(with([](ClaimPolicy& p) { p.max_holdings = 0; }).ok());
  EXPECT_FALSE(with([](ClaimPolicy& p) { p.max_holdings = 2'000'000; }).ok());
  EXPECT_FALSE(with([](ClaimPolicy& p) {
                 p.default_rule.holding_period = Duration(boost::date_time::pos_infin);
               }).ok());
}

TEST(ClaimPolicyTest, TheTimeZoneIsAZoneOfTheTzDatabase) {
  ClaimPolicy policy;
  EXPECT_EQ(policy.time_zone, "UTC");
  policy.time_zone = "Asia/Shanghai";
  EXPECT_TRUE(policy.validate().ok());
  for (const char* wrong : {"Mars/Olympus_Mons", "asia/shanghai", "", "+08:00"}) {
    policy.time_zone = wrong;
    const Result<Done> checked = policy.validate();
    EXPECT_REFUSED(checked, invalid_argument) << wrong;
    EXPECT_NE(checked.refusal().message.find("time_zone '" + std::string(wrong) + "'"),
              std::string::npos)
        << checked.refusal().message;
  }
}

TEST(ClaimPolicyTest, PolicyPatchChangesTheTimeZoneOnlyWhenItSaysSo) {
  ClaimPolicy policy;
  policy.time_zone = "Europe/Berlin";
  EXPECT_EQ(PolicyPatch{}.applied_to(policy).time_zone, "Europe/Berlin");
  PolicyPatch patch;
  patch.time_zone = "America/New_York";
  EXPECT_EQ(patch.applied_to(policy).time_zone, "America/New_York");
}

TEST(ClaimPolicyTest, DeadlinesAndExtensions) {
  ClaimPolicy policy;
  const Time start = utc(2026, 2, 1, 12);
  EXPECT_EQ(policy.rule_for("").holding_period, Span::time(days(30)));
  EXPECT_TRUE(policy.may_extend(0));
  EXPECT_TRUE(policy.may_extend(1));
  EXPECT_FALSE(policy.may_extend(2));
  EXPECT_TRUE(ClaimPolicy::is_due(start, start));
  EXPECT_FALSE(ClaimPolicy::is_due(start + seconds(1), start));
  EXPECT_EQ(policy.release_cooldown_until(start), start + days(7));
}

TEST(ClaimPolicyTest, MayTakeChecksCooldownThenCap) {
  ClaimPolicy policy;
  policy.max_holdings = 2;
  const Time now = utc(2026, 3, 1);
  const UserId taker("li.wei");
  CustomerRecord fresh;
  CustomerRecord given_back_by_taker;
  // Each rep who gave it back keeps their own wait; the latest of a rep's counts.
  given_back_by_taker.cooldowns = {
      {taker, now - days(1)}, {UserId("ana"), now + days(3)}, {taker, now + seconds(1)}};
  EXPECT_FALSE(policy.may_take(fresh, taker, 1, now).has_value());
  EXPECT_EQ(policy.may_take(fresh, taker, 2, now)->code, RefusalCode::cap_reached);
  EXPECT_EQ(policy.may_take(fresh, taker, 5, now)->code, RefusalCode::cap_reached);
  EXPECT_EQ(policy.may_take(given_back_by_taker, taker, 0, now)->code, RefusalCode::cooldown);
  EXPECT_EQ(policy.may_take(given_back_by_taker, taker, 2, now)->code, RefusalCode::cooldown);
  EXPECT_EQ(policy.may_take(given_back_by_taker, taker, 0, now)->retry_after, now + seconds(1));
  EXPECT_EQ(policy.may_take(given_back_by_taker, UserId("ana"), 0, now)->retry_after,
            now + days(3));
  // The cooldown binds only the users who gave it back, and only until it ends.
  EXPECT_FALSE(policy.may_take(given_back_by_taker, UserId("bo"), 0, now).has_value());
  EXPECT_FALSE(policy.may_take(given_back_by_taker, taker, 0, now + seconds(1)).has_value());
  EXPECT_FALSE(policy.may_take(fresh, taker, 2, now)->retry_after.has_value())
      << "time does not lift a cap";
}

TEST(ClaimPolicyTest, TheDailyLimitDecisionTable) {
  ClaimPolicy policy;
  policy.daily_limit = DailyLimit{3, {{"A", 1}}, false};
  const LocalDate today(2026, 3, 2);
  const Time next_day = utc(2026, 3, 3);
  const DailyTakes two_b{today, 2, 5, {{"B", 2, 5}}};
  const DailyTakes three{today, 3, 0, {{"B", 3, 0}}};
  const DailyTakes one_a{today, 1, 0, {{"A", 1, 0}}};
  struct Row {
    const char* name;
    DailyTakes takes;
    const char* level;
    bool assignment;
    bool counting_assignments;
    bool refused;
  };
  const std::vector<Row> table{
      {"nothing taken yet", DailyTakes{}, "B", false, false, false},
      {"under the limit", two_b, "B", false, false, false},
      {"at the limit", three, "B", false, false, true},
      {"yesterday's takes do not count", DailyTakes{today - boost::gregorian::days(1), 9, 9, {}},
       "A", false, false, false},
      {"assignments do not count by default", two_b, "B", false, false, false},
      {"an assignment is not limited by default", three, "B", true, false, false},
      {"counted assignments fill the limit", two_b, "B", false, true, true},
      {"a counted assignment is limited", three, "B", true, true, true},
      {"the level's own limit", one_a, "A", false, false, true},
      {"another level is not bound by A's", one_a, "B", false, false, false},
  };
  for (const Row& row : table) {
    ClaimPolicy rules = policy;
    rules.daily_limit.assignments_count = row.counting_assignments;
    const std::optional<Refusal> refusal =
        rules.may_take_today(row.takes, today, row.level, row.assignment, next_day);
    EXPECT_EQ(refusal.has_value(), row.refused) << row.name;
    if (refusal) {
      EXPECT_EQ(refusal->code, RefusalCode::daily_limit) << row.name;
      EXPECT_EQ(refusal->retry_after, next_day) << row.name;
    }
  }
  ClaimPolicy none;
  EXPECT_FALSE(none.may_take_today(three, today, "A", false, next_day).has_value())
      << "no limit set";
  none.daily_limit.per_day = 0;
  EXPECT_TRUE(none.may_take_today(DailyTakes{}, today, "A", false, next_day).has_value())
      << "0 stops every counted take";
}

TEST(ClaimPolicyTest, TheDailyLimitIsValidatedAndReadsItsOwnText) {
  auto with = [](DailyLimit limit) {
    ClaimPolicy policy;
    policy.daily_limit = std::move(limit);
    return policy.validate();
  };
  EXPECT_TRUE(with(DailyLimit{3, {{"A", 1}, {"B", 0}}, true}).ok());
  EXPECT_FALSE(with(DailyLimit{1'000'001, {}, false}).ok());
  EXPECT_FALSE(with(DailyLimit{std::nullopt, {{"A", 1}, {"A", 2}}, false}).ok());
  EXPECT_FALSE(with(DailyLimit{std::nullopt, {{"A B", 1}}, false}).ok());
  EXPECT_FALSE(with(DailyLimit{std::nullopt, {{"", 1}}, false}).ok());

  for (const char* text : {"", "3", "A=1", "3,A=1,B=2,assigned", "0,assigned"}) {
    const std::optional<DailyLimit> parsed = parse_daily_limit(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_EQ(to_string(*parsed), text);
  }
  EXPECT_EQ(parse_daily_limit(" 3 , A=1 "), (DailyLimit{3, {{"A", 1}}, false}));
  for (const char* bad : {"x", "3,4", "=1", "A=", "A=-1", "-3", "3,,A=1", "assigned,assigned",
                          "A=1x", "99999999999"}) {
    EXPECT_FALSE(parse_daily_limit(bad).has_value()) << bad;
  }
  ClaimPolicy policy;
  policy.release_cooldown = seconds(-1);
  EXPECT_FALSE(policy.validate().ok());
  policy.release_cooldown = Duration(0, 0, 0);
  EXPECT_TRUE(policy.validate().ok());
}

}  // namespace
}  // namespace highseas

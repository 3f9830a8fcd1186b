// ClaimPolicy's pure decisions, without storage, clock or threads.
#include <gtest/gtest.h>

#include <highseas/claim_policy.hpp>
#include <highseas/testing/matchers.hpp>
#include <string>

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
  EXPECT_EQ(policy.cooldown_until(start), start + days(7));
}

TEST(ClaimPolicyTest, MayTakeChecksCooldownThenCap) {
  ClaimPolicy policy;
  policy.max_holdings = 2;
  const Time now = utc(2026, 3, 1);
  const UserId taker("li.wei");
  CustomerRecord fresh;
  CustomerRecord given_back_by_taker;
  given_back_by_taker.cooldown_user = taker;
  given_back_by_taker.cooldown_until = now + seconds(1);
  EXPECT_FALSE(policy.may_take(fresh, taker, 1, now).has_value());
  EXPECT_EQ(policy.may_take(fresh, taker, 2, now)->code, RefusalCode::cap_reached);
  EXPECT_EQ(policy.may_take(fresh, taker, 5, now)->code, RefusalCode::cap_reached);
  EXPECT_EQ(policy.may_take(given_back_by_taker, taker, 0, now)->code, RefusalCode::cooldown);
  EXPECT_EQ(policy.may_take(given_back_by_taker, taker, 2, now)->code, RefusalCode::cooldown);
  // The cooldown binds only the user who gave it back, and only until it ends.
  EXPECT_FALSE(policy.may_take(given_back_by_taker, UserId("ana"), 0, now).has_value());
  EXPECT_FALSE(policy.may_take(given_back_by_taker, taker, 0, now + seconds(1)).has_value());
}

}  // namespace
}  // namespace highseas

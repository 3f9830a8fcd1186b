// Policy changes that reach running holdings, through PublicPool (issue 16):
// preview a change, apply it in each mode, and check that the preview said
// what then happened, return by return, over the next 30 days of sweeps on a
// pool that has lived.
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <random>
#include <string>
#include <vector>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

// "A-level: 60 days, idle 14; others: 30 days, idle 7; at most 3 protected
// per rep for 30 days": the issue's "done when" policy.
ClaimPolicy team_policy(ClaimPolicy policy) {
  policy.default_rule = {days(30), Span(days(7))};
  policy.levels = {{"A", {days(60), Span(days(14))}}};
  policy.protection = {3, days(30)};
  return policy;
}

class PolicyChangeTest : public PoolFixture {};

TEST_F(PolicyChangeTest, TheBossPreviewsTheTeamPolicyThenAppliesItAsPreviewed) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(3)));  // level A
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));  // level B
  ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(2)));    // level B
  clock.advance(days(10));
  ASSERT_HIGHSEAS_OK(pool.follow_up(bob, customer(2), "sent the catalogue"));
  const ClaimPolicy next = team_policy(pool.info(boss)->policy);

  const auto preview = pool.preview_policy(boss, next, RunningHoldings::recompute);
  ASSERT_HIGHSEAS_OK(preview);
  EXPECT_EQ(preview->version, 2U);
  EXPECT_EQ(preview->counted_from, clock.now());
  ASSERT_EQ(preview->holdings.size(), 3U);
  // c1: idle 7 from the claim, already past: due at once, so its deadline
  // is now (a change never dates a return before itself). c2: idle from its
  // follow-up. c3: A, idle 14 from the claim.
  EXPECT_EQ(preview->holdings[0].customer, customer(1));
  EXPECT_EQ(preview->holdings[0].deadline_after, clock.now());
  EXPECT_EQ(preview->holdings[0].reason_after, DeadlineReason::idle);
  EXPECT_TRUE(preview->holdings[0].due_at_once);
  EXPECT_EQ(preview->holdings[1].customer, customer(3));
  EXPECT_EQ(preview->holdings[1].deadline_after, start + days(14));
  EXPECT_EQ(preview->holdings[1].reason_after, DeadlineReason::idle);
  EXPECT_EQ(preview->holdings[2].customer, customer(2));
  EXPECT_EQ(preview->holdings[2].deadline_after, start + days(17));
  EXPECT_EQ(preview->due_at_once, 1U);
  EXPECT_EQ(preview->returns_by_day[3], 1U);  // c3, 4 days from now
  EXPECT_EQ(preview->returns_by_day[6], 1U);  // c2, 7 days from now
  ASSERT_EQ(preview->reps.size(), 2U);
  EXPECT_EQ(preview->reps[0], (RepPreview{alice, 2, 2, 0, 1}));
  EXPECT_EQ(preview->reps[1], (RepPreview{bob, 1, 1, 0, 0}));
  EXPECT_EQ(pool.info(boss)->policy_version, 1U) << "a preview writes nothing";
  EXPECT_EQ(pool.customer(boss, customer(3))->deadline, start + days(30));

  std::vector<DeadlineRecomputed> recomputed;
  std::vector<PolicyChanged> changed;
  const ScopedConnection on_deadline = pool.events().deadline_recomputed.connect(
      [&](const DeadlineRecomputed& event) { recomputed.push_back(event); });
  const ScopedConnection on_policy = pool.events().policy_changed.connect(
      [&](const PolicyChanged& event) { changed.push_back(event); });
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, next, RunningHoldings::recompute));
  for (const HoldingPreview& previewed : preview->holdings) {
    const CustomerView view = *pool.customer(boss, previewed.customer);
    std::vector<HistoryEntry> history = *pool.history(boss, previewed.customer);
    if (previewed.due_at_once) {
      // Returned at its new deadline, the change, after the change.
      EXPECT_EQ(view.state, CustomerState::available) << previewed.customer;
      EXPECT_EQ(view.since, previewed.deadline_after) << previewed.customer;
      EXPECT_EQ(history.back().kind, HistoryKind::returned);
      EXPECT_EQ(history.back().deadline_reason, previewed.reason_after);
      history.pop_back();
    } else {
      EXPECT_EQ(view.deadline, previewed.deadline_after) << previewed.customer;
      EXPECT_EQ(view.deadline_reason, previewed.reason_after) << previewed.customer;
    }
    EXPECT_EQ(history.back().kind, HistoryKind::rules_changed);
    EXPECT_EQ(history.back().policy_version, 2U);
    EXPECT_EQ(history.back().actor, boss);
  }
  ASSERT_EQ(changed.size(), 1U);
  EXPECT_EQ(changed[0].version, 2U);
  EXPECT_EQ(changed[0].running, RunningHoldings::recompute);
  EXPECT_EQ(changed[0].recomputed, 3U);
  ASSERT_EQ(recomputed.size(), 3U);
  EXPECT_EQ(recomputed[0].previous_deadline, start + days(30));
  EXPECT_EQ(recomputed[0].policy_version, 2U);
  const PoolInfo info = *pool.info(boss);
  EXPECT_EQ(info.policy_version, 2U);
  EXPECT_EQ(info.policy_since, clock.now());
  EXPECT_EQ(pool.sweep()->returned.size(), 1U) << "c1 was due at once";
}

TEST_F(PolicyChangeTest, KeepLeavesRunningHoldingsAndARecomputeLaterReachesThem) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  const ClaimPolicy next = team_policy(pool.info(boss)->policy);
  const auto kept = pool.preview_policy(boss, next, RunningHoldings::keep);
  ASSERT_HIGHSEAS_OK(kept);
  ASSERT_EQ(kept->holdings.size(), 1U);
  EXPECT_FALSE(kept->holdings[0].changed);
  EXPECT_EQ(kept->holdings[0].deadline_after, start + days(30));

  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, next));  // keep by default
  EXPECT_EQ(pool.customer(boss, customer(1))->deadline, start + days(30));
  EXPECT_EQ(pool.history(boss, customer(1))->back().kind, HistoryKind::claimed);
  // The same policy again, now recomputing: a new version reaches the kept holding.
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, next, RunningHoldings::recompute));
  EXPECT_EQ(pool.customer(boss, customer(1))->deadline, start + days(7));
  EXPECT_EQ(pool.info(boss)->policy_version, 3U);
  EXPECT_EQ(pool.history(boss, customer(1))->back().policy_version, 3U);
}

TEST_F(PolicyChangeTest, NeverShortenLengthensButNeverShortens) {
  const Time start = clock.now();
  ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));
  ClaimPolicy shorter = pool.info(boss)->policy;
  shorter.default_rule.holding_period = days(20);
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, shorter, RunningHoldings::never_shorten));
  EXPECT_EQ(pool.customer(boss, customer(1))->deadline, start + days(30));
  PolicyPatch longer;
  longer.holding_period = Span(days(40));
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, longer, RunningHoldings::never_shorten));
  // The period moves by the difference from the length it ran under (30 days).
  EXPECT_EQ(pool.customer(boss, customer(1))->deadline, start + days(40));
}

TEST_F(PolicyChangeTest, APreviewIsRefusedAsTheChangeWouldBe) {
  const ClaimPolicy next = team_policy(pool.info(boss)->policy);
  EXPECT_REFUSED(pool.preview_policy(alice, next, RunningHoldings::recompute), not_permitted);
  ClaimPolicy invalid = next;
  invalid.default_rule.holding_period = Duration(0, 0, 0);
  EXPECT_REFUSED(pool.preview_policy(boss, invalid, RunningHoldings::recompute), invalid_argument);
  EXPECT_REFUSED(pool.preview_policy(stranger, next, RunningHoldings::recompute), not_a_member);
}

// A pool that has lived 40 days: 6 reps claim, follow up, extend, protect,
// release and win at random, the sweep runs daily, the pool was paused for
// three days. Then a boss previews a change and applies it; the next 30 days
// of daily sweeps must return exactly what the preview said, day by day.
class PreviewAgreesWithSweepsTest : public ::testing::TestWithParam<RunningHoldings> {
 protected:
  void live_40_days() {
    ClaimPolicy policy;
    policy.default_rule = {days(20), std::nullopt};
    policy.levels = {{"A", {days(45), Span(days(12))}}, {"C", {days(10), Span(days(4))}}};
    policy.protection = {2, days(6)};
    policy.max_holdings = 40;
    ASSERT_HIGHSEAS_OK(pool.create(boss, policy));
    for (const UserId& rep : reps) ASSERT_HIGHSEAS_OK(pool.set_member(boss, rep, Role::pool_user));
    std::vector<CustomerProfile> batch;
    for (int i = 0; i < 400; ++i) {
      const std::string level = i % 5 == 0 ? "A" : (i % 5 == 1 ? "C" : (i % 5 == 2 ? "" : "B"));
      batch.push_back({CustomerId("lead-" + std::to_string(i)),
                       "Importadora Sol " + std::to_string(i),
                       "BR",
                       level,
                       {}});
    }
    ASSERT_HIGHSEAS_OK(pool.import_customers(boss, batch));
    std::mt19937 random(20261130);
    auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    for (int hour = 0; hour < 40 * 24; hour += 3) {
      clock.advance(hours(3));
      if (hour == 20 * 24) {
        ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
      }
      if (hour == 23 * 24) {
        ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, true));
      }
      if (hour % 24 == 0) {
        ASSERT_HIGHSEAS_OK(pool.sweep());
      }
      const UserId& rep = reps[pick(reps.size())];
      const CustomerId lead("lead-" + std::to_string(pick(batch.size())));
      // Refusals (held by another, cooldown, paused...) are part of a pool's life.
      switch (pick(8)) {
        case 0:
        case 1:
        case 2:
          (void)pool.claim(rep, lead);
          break;
        case 3:
          (void)pool.follow_up(rep, lead, "WhatsApp call");
          break;
        case 4:
          (void)pool.extend(rep, lead);
          break;
        case 5:
          (void)pool.protect(rep, lead);
          break;
        case 6:
          (void)pool.release(rep, lead);
          break;
        default:
          (void)pool.record_win(rep, lead, WinKind::contract_signed);
      }
    }
  }

  const UserId boss{"boss"};
  const std::vector<UserId> reps{UserId("ana"),   UserId("bruno"), UserId("carla"),
                                 UserId("diego"), UserId("elena"), UserId("fabio")};
  ManualClock clock{utc(2026, 1, 5, 9)};
  MemoryStorage storage;
  PublicPool pool{PoolId("south-america"), storage, clock};
};

TEST_P(PreviewAgreesWithSweepsTest, DayByDay) {
  live_40_days();
  if (HasFatalFailure()) return;
  ClaimPolicy next = pool.info(boss)->policy;
  next.default_rule = {days(15), Span(days(6))};
  next.levels = {{"A", {days(30), Span(days(9))}}};  // C falls back to the default

  const auto preview = pool.preview_policy(boss, next, GetParam());
  ASSERT_HIGHSEAS_OK(preview);
  ASSERT_GT(preview->holdings.size(), 20U) << "a pool that has lived holds customers";
  ASSERT_HIGHSEAS_OK(pool.set_policy(boss, next, GetParam()));
  std::vector<std::uint32_t> returned_by_day;
  const auto at_once = pool.sweep();
  ASSERT_HIGHSEAS_OK(at_once);
  EXPECT_EQ(at_once->returned.size(), preview->due_at_once);
  for (std::size_t day = 0; day < PolicyPreview::kDays; ++day) {
    clock.advance(days(1));
    const auto report = pool.sweep();
    ASSERT_HIGHSEAS_OK(report);
    returned_by_day.push_back(static_cast<std::uint32_t>(report->returned.size()));
  }
  EXPECT_EQ(returned_by_day, preview->returns_by_day);
  std::uint32_t changed = 0;
  for (const HoldingPreview& holding : preview->holdings) changed += holding.changed ? 1 : 0;
  if (GetParam() == RunningHoldings::keep) {
    EXPECT_EQ(changed, 0U);
  } else {
    EXPECT_GT(changed, 0U) << "the change reached running holdings";
  }
}

INSTANTIATE_TEST_SUITE_P(EveryMode, PreviewAgreesWithSweepsTest,
                         ::testing::ValuesIn(kAllRunningHoldings),
                         [](const auto& info) { return std::string(to_string(info.param)); });

}  // namespace
}  // namespace highseas::test

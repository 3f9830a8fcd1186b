// The at-risk list (issue 18): the holdings about to return, for one rep or
// the whole team, earliest first, with the clock that set each deadline and
// the time left; pages by (deadline, id); a paused pool's list stands still.
#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

class AtRiskTest : public PoolFixture {
 protected:
  // Alice holds c1 (due 4 February 00:00) and c2 (6 February); Bob c3 (6
  // February, after c2 by id) and c4 (20 February).
  void SetUp() override {
    PoolFixture::SetUp();
    ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(1)));  // Monday 5 January, 00:00
    clock.set(utc(2026, 1, 6, 10));
    ASSERT_HIGHSEAS_OK(pool.claim(alice, customer(2)));
    ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(3)));
    clock.set(utc(2026, 1, 20, 10));
    ASSERT_HIGHSEAS_OK(pool.claim(bob, customer(4)));
  }

  // A query for `holder`'s holdings (none: everyone's) due within `span`.
  static AtRiskQuery within(Span span, std::optional<UserId> holder = std::nullopt) {
    AtRiskQuery query;
    query.within = span;
    query.holder = std::move(holder);
    return query;
  }
  static AtRiskQuery of(const UserId& holder) { return within(days(3), holder); }

  std::vector<CustomerId> ids(const AtRiskQuery& query) {
    auto page = pool.at_risk(bob, query);
    EXPECT_HIGHSEAS_OK(page);
    std::vector<CustomerId> out;
    if (page.ok()) {
      for (const CustomerView& view : page->customers) out.push_back(view.profile.id);
    }
    return out;
  }
};

TEST_F(AtRiskTest, ListsTheTeamsHoldingsDueWithinTheWindowEarliestFirst) {
  clock.set(utc(2026, 2, 2, 12));  // Monday noon
  auto page = pool.at_risk(alice);
  ASSERT_HIGHSEAS_OK(page);
  // Three days: to the end of Thursday 5 February.
  EXPECT_EQ(page->until, utc(2026, 2, 6));
  ASSERT_EQ(page->customers.size(), 3U);
  EXPECT_EQ(page->customers[0].profile.id, customer(1));
  EXPECT_EQ(page->customers[0].holder, alice);
  EXPECT_EQ(page->customers[0].deadline, utc(2026, 2, 4));
  EXPECT_EQ(page->customers[0].deadline_reason, DeadlineReason::period);
  EXPECT_EQ(page->customers[0].time_left, hours(36));
  EXPECT_EQ(page->customers[1].profile.id, customer(2));
  EXPECT_EQ(page->customers[2].profile.id, customer(3)) << "a tie goes by id";
  EXPECT_EQ(page->customers[2].holder, bob);
  EXPECT_EQ(page->next, std::nullopt);
  // One day: to the end of Tuesday; a longer window reaches c4.
  EXPECT_EQ(ids(within(days(1))), std::vector<CustomerId>{customer(1)});
  EXPECT_EQ(ids(within(days(18))),
            (std::vector<CustomerId>{customer(1), customer(2), customer(3), customer(4)}));
}

TEST_F(AtRiskTest, ListsOneRepsHoldings) {
  clock.set(utc(2026, 2, 2, 12));
  EXPECT_EQ(ids(of(alice)), (std::vector<CustomerId>{customer(1), customer(2)}));
  EXPECT_EQ(ids(of(bob)), std::vector<CustomerId>{customer(3)});
  EXPECT_EQ(ids(within(days(30), bob)), (std::vector<CustomerId>{customer(3), customer(4)}));
  EXPECT_TRUE(ids(of(admin)).empty());
}

TEST_F(AtRiskTest, PagesByDeadlineThenId) {
  clock.set(utc(2026, 2, 2, 12));
  for (const std::optional<UserId>& holder : {std::optional<UserId>(), std::optional(bob)}) {
    SCOPED_TRACE(holder ? "bob's" : "the team's");
    AtRiskQuery query = within(days(30), holder);
    query.limit = 1;
    std::vector<CustomerId> seen;
    for (int page = 0; page < 6; ++page) {
      auto found = pool.at_risk(admin, query);
      ASSERT_HIGHSEAS_OK(found);
      ASSERT_LE(found->customers.size(), 1U);
      for (const CustomerView& view : found->customers) seen.push_back(view.profile.id);
      if (!found->next) break;
      EXPECT_EQ(found->next->id, seen.back());
      query.after = found->next;
    }
    if (holder) {
      EXPECT_EQ(seen, (std::vector<CustomerId>{customer(3), customer(4)}));
    } else {
      EXPECT_EQ(seen,
                (std::vector<CustomerId>{customer(1), customer(2), customer(3), customer(4)}));
    }
  }
}

TEST_F(AtRiskTest, AHoldingDueAtItsDeadlineIsNoLongerAtRiskBeforeAnySweep) {
  clock.set(utc(2026, 2, 4));  // c1's deadline
  EXPECT_EQ(ids(AtRiskQuery{}), (std::vector<CustomerId>{customer(2), customer(3)}));
  EXPECT_EQ(ids(of(alice)), std::vector<CustomerId>{customer(2)});
  EXPECT_EQ(state_of(customer(1)), CustomerState::available);
}

TEST_F(AtRiskTest, AFollowUpOrAnExtensionTakesAHoldingOffTheList) {
  clock.set(utc(2026, 2, 2, 12));
  ASSERT_HIGHSEAS_OK(pool.extend(admin, customer(1)));  // 15 days more
  EXPECT_EQ(ids(AtRiskQuery{}), (std::vector<CustomerId>{customer(2), customer(3)}));
}

TEST_F(AtRiskTest, APausedPoolsListStandsStill) {
  clock.set(utc(2026, 2, 2, 12));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(days(10));
  auto page = pool.at_risk(alice);
  ASSERT_HIGHSEAS_OK(page);
  EXPECT_EQ(page->until, utc(2026, 2, 6)) << "counted from when the pool went off";
  ASSERT_EQ(page->customers.size(), 3U);
  EXPECT_EQ(page->customers[0].time_left, hours(36));
  EXPECT_TRUE(page->customers[0].paused);
}

TEST_F(AtRiskTest, AHoldingARecomputeMadeDueWhilePausedIsNotAtRisk) {
  clock.set(utc(2026, 2, 2, 12));
  ASSERT_HIGHSEAS_OK(pool.set_enabled(boss, false));
  clock.advance(hours(1));
  // Ten days shorter: c1, c2 and c3 are due at the pause, c4 on 10 February.
  PolicyPatch shorter;
  shorter.holding_period = days(20);
  ASSERT_HIGHSEAS_OK(pool.update_policy(boss, shorter, RunningHoldings::recompute));
  EXPECT_EQ(ids(within(days(10))), std::vector<CustomerId>{customer(4)});
}

TEST_F(AtRiskTest, AWindowOfWorkingDaysSkipsTheWeekend) {
  clock.set(utc(2026, 1, 30, 12));  // Friday noon
  // Two working days: Monday 2 and Tuesday 3 February; two days: the weekend.
  EXPECT_EQ(ids(within(Span::business_days(2))), std::vector<CustomerId>{customer(1)});
  EXPECT_TRUE(ids(within(days(2))).empty());
}

TEST_F(AtRiskTest, RefusesBadQueries) {
  EXPECT_REFUSED(pool.at_risk(bob, within(days(0))), invalid_argument);
  EXPECT_REFUSED(pool.at_risk(bob, within(-hours(1))), invalid_argument);
  EXPECT_REFUSED(pool.at_risk(bob, within(days(4000))), invalid_argument);
  EXPECT_REFUSED(pool.at_risk(bob, within(Span::business_days(0))), invalid_argument);
  EXPECT_REFUSED(pool.at_risk(bob, of(UserId(""))), invalid_argument);
  AtRiskQuery bad;
  bad.limit = 0;
  EXPECT_REFUSED(pool.at_risk(bob, bad), invalid_argument);
  bad.limit = PublicPool::kMaxPage + 1;
  EXPECT_REFUSED(pool.at_risk(bob, bad), invalid_argument);
  bad.limit = 10;
  bad.after = DeadlinePosition{Time(), customer(1)};
  EXPECT_REFUSED(pool.at_risk(bob, bad), invalid_argument);
  EXPECT_REFUSED(pool.at_risk(stranger), not_a_member);
}

}  // namespace
}  // namespace highseas::test

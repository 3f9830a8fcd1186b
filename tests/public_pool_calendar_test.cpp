// A pool's work calendar through PublicPool (issue 17): the boss sets it as a
// new version, every member reads it, and a change is heard once.
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <vector>

#include "pool_fixture.hpp"

namespace highseas::test {
namespace {

using boost::gregorian::date;

WorkCalendar national_day_2025() {
  WorkCalendar calendar;
  for (int day = 1; day <= 8; ++day) {
    EXPECT_TRUE(calendar.add({date(2025, 10, day), DayKind::off, "国庆节、中秋节"}));
  }
  EXPECT_TRUE(calendar.add({date(2025, 9, 28), DayKind::work, "国庆节调休"}));
  EXPECT_TRUE(calendar.add({date(2025, 10, 11), DayKind::work, "国庆节调休"}));
  EXPECT_TRUE(calendar.add_year(2025));
  return calendar;
}

class PoolCalendarTest : public PoolFixture {};

TEST_F(PoolCalendarTest, APoolWithoutOneHasTheDefaultWeekendAsVersionZero) {
  const auto current = pool.calendar(alice);
  ASSERT_HIGHSEAS_OK(current);
  EXPECT_EQ(current->version, 0U);
  EXPECT_EQ(current->calendar, WorkCalendar());
}

TEST_F(PoolCalendarTest, TheBossSetsANewVersionThatEveryMemberReads) {
  std::vector<CalendarChanged> heard;
  const ScopedConnection on_change = pool.events().calendar_changed.connect(
      [&](const CalendarChanged& event) { heard.push_back(event); });
  const auto first = pool.set_calendar(boss, national_day_2025());
  ASSERT_HIGHSEAS_OK(first);
  EXPECT_EQ(first->version, 1U);
  EXPECT_EQ(first->since, clock.now());
  EXPECT_EQ(first->by, boss);
  EXPECT_EQ(pool.calendar(alice).value(), *first);
  ASSERT_EQ(heard.size(), 1U);
  EXPECT_EQ(heard[0].version, 1U);
  EXPECT_EQ(heard[0].before, WorkCalendar());
  EXPECT_EQ(heard[0].after, national_day_2025());
  EXPECT_EQ(heard[0].actor, boss);

  // The same calendar again is no change: no version, no event.
  EXPECT_EQ(pool.set_calendar(boss, national_day_2025()).value(), *first);
  EXPECT_EQ(heard.size(), 1U);

  clock.advance(days(60));
  WorkCalendar next_year = national_day_2025();
  ASSERT_TRUE(next_year.add({date(2026, 1, 1), DayKind::off, "元旦"}));
  ASSERT_TRUE(next_year.add_year(2026));
  const auto second = pool.set_calendar(boss, next_year);
  ASSERT_HIGHSEAS_OK(second);
  EXPECT_EQ(second->version, 2U);
  EXPECT_EQ(pool.calendar(bob)->calendar, next_year);
  ASSERT_EQ(heard.size(), 2U);
  EXPECT_EQ(heard[1].before, national_day_2025());
  // The first version is kept: the calendar's history.
  EXPECT_EQ(storage.begin(PoolId("pool"), TransactionMode::read_only)->find_calendar(1), *first);
}

TEST_F(PoolCalendarTest, OnlyWhoMayChangeTheTimeRulesMaySetItAndARefusalWritesNothing) {
  EXPECT_REFUSED(pool.set_calendar(admin, national_day_2025()), not_permitted);
  EXPECT_REFUSED(pool.set_calendar(alice, national_day_2025()), not_permitted);
  EXPECT_REFUSED(pool.set_calendar(stranger, national_day_2025()), not_a_member);
  EXPECT_REFUSED(pool.calendar(stranger), not_a_member);
  EXPECT_REFUSED(pool.set_calendar(UserId(""), national_day_2025()), invalid_argument);
  EXPECT_EQ(pool.calendar(boss)->version, 0U);
  PublicPool elsewhere(PoolId("nowhere"), storage, clock);
  EXPECT_REFUSED(elsewhere.set_calendar(boss, national_day_2025()), unknown_pool);
}

}  // namespace
}  // namespace highseas::test

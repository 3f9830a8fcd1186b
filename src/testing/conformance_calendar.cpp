// Conformance tests: a pool's work calendars, every version kept exactly.
// Compiled into HighSeas::testing.
#include <string>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"

namespace highseas::testing {

namespace {

LocalDate date(int year, int month, int day) {
  return {static_cast<unsigned short>(year), static_cast<unsigned short>(month),
          static_cast<unsigned short>(day)};
}

// The 2025 Spring Festival as the State Council set it, and one entry whose
// name has blanks, quotes and a backslash: the text columns keep it as is.
WorkCalendar spring_festival() {
  WorkCalendar calendar;
  EXPECT_TRUE(calendar.add({date(2025, 1, 26), DayKind::work, "春节调休"}));
  for (int day = 28; day <= 31; ++day) {
    EXPECT_TRUE(calendar.add({date(2025, 1, day), DayKind::off, "春节"}));
  }
  for (int day = 1; day <= 4; ++day) {
    EXPECT_TRUE(calendar.add({date(2025, 2, day), DayKind::off, "春节"}));
  }
  EXPECT_TRUE(calendar.add({date(2025, 2, 8), DayKind::work, ""}));
  EXPECT_TRUE(calendar.add({date(2025, 12, 31), DayKind::off, "New Year's  \"Eve\" \\ 除夕"}));
  EXPECT_TRUE(calendar.add_year(2025));
  EXPECT_TRUE(calendar.add_year(2024));
  return calendar;
}

}  // namespace

TEST_P(StorageConformance, EveryVersionOfAWorkCalendarIsStoredExactly) {
  const Time now = clock().now();
  WorkCalendar friday_off;  // a team whose weekend is Friday and Saturday
  ASSERT_TRUE(friday_off.set_weekend(0b110'0000));
  ASSERT_TRUE(friday_off.add({date(2026, 3, 30), DayKind::off, "Eid al-Fitr"}));
  const CalendarVersion first{1, now, UserId("boss"), spring_festival()};
  const CalendarVersion second{2, now + days(40) + boost::posix_time::microseconds(3),
                               UserId("老板"), friday_off};
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->put_pool(PoolRecord{true, small_policy(), now, Time(), 1, now, 2});
    tx->add_calendar(first);
    tx->add_calendar(second);
    EXPECT_EQ(tx->find_calendar(2), second) << "its own write, before commit";
    tx->commit();
  }
  auto tx = begin("pool-a", TransactionMode::read_only);
  EXPECT_EQ(tx->find_pool()->calendar_version, 2U);
  EXPECT_EQ(tx->find_calendar(1), first);
  EXPECT_EQ(tx->find_calendar(2), second);
  EXPECT_EQ(tx->find_calendar(3), std::nullopt);
  EXPECT_EQ(tx->find_calendar(0), std::nullopt);
  EXPECT_EQ(begin("pool-b", TransactionMode::read_only)->find_calendar(1), std::nullopt)
      << "pools never mix";
}

TEST_P(StorageConformance, ACalendarWrittenInATransactionThatRollsBackIsGone) {
  const Time now = clock().now();
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->add_calendar({1, now, UserId("boss"), spring_festival()});
  }  // no commit
  EXPECT_EQ(begin("pool-a", TransactionMode::read_only)->find_calendar(1), std::nullopt);
  {
    auto tx = begin("pool-a", TransactionMode::read_write);
    tx->add_calendar({1, now, UserId("boss"), WorkCalendar()});
    tx->commit();
  }
  EXPECT_EQ(begin("pool-a", TransactionMode::read_only)->find_calendar(1)->calendar,
            WorkCalendar());
}

TEST_P(StorageConformance, DeadlinesCountInTheStoredCalendarAndTimeZone) {
  populate(pool(), 3);
  WorkCalendar company;
  ASSERT_HIGHSEAS_OK(company.add({date(2026, 3, 4), DayKind::off, "公司年会"}));
  ASSERT_HIGHSEAS_OK(company.add_year(2026));
  ASSERT_HIGHSEAS_OK(pool().set_calendar(boss, company));
  PolicyPatch patch;
  patch.time_zone = "Asia/Shanghai";
  patch.holding_period = Span::business_days(3);
  ASSERT_HIGHSEAS_OK(pool().update_policy(boss, patch));
  // Monday 2 March, 17:30 in Shanghai: Tue 3, (Wed 4 off), Thu 5, Fri 6; due
  // at the end of Friday there, 16:00 UTC.
  auto claimed = pool().claim(alice, customer(1));
  ASSERT_HIGHSEAS_OK(claimed);
  EXPECT_EQ(claimed->deadline, utc(2026, 3, 6, 16));
  // Another app server reads the calendar and the zone from the storage.
  PublicPool second_server(pool().id(), storage(), clock());
  auto other = second_server.claim(bob, customer(2));
  ASSERT_HIGHSEAS_OK(other);
  EXPECT_EQ(other->deadline, utc(2026, 3, 6, 16));
  auto why = second_server.explain(bob, customer(2));
  ASSERT_HIGHSEAS_OK(why);
  ASSERT_FALSE(why->clocks.empty());
  EXPECT_EQ(why->clocks.front().skipped, (std::vector<SkippedDay>{{date(2026, 3, 4), "公司年会"}}));
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_calendar() {}

}  // namespace highseas::testing

// WorkCalendar: weekends, dated days off and make-up working days, the years
// known, and all-or-nothing changes.
#include <gtest/gtest.h>

#include <highseas/testing/matchers.hpp>
#include <highseas/work_calendar.hpp>

namespace highseas {
namespace {

using boost::gregorian::date;

TEST(WorkCalendarTest, SaturdayAndSundayAreOffByDefault) {
  const WorkCalendar calendar;
  EXPECT_TRUE(calendar.is_working_day(date(2025, 3, 7)));  // Friday
  EXPECT_FALSE(calendar.is_working_day(date(2025, 3, 8)));
  EXPECT_FALSE(calendar.is_working_day(date(2025, 3, 9)));
  EXPECT_EQ(calendar.why_off(date(2025, 3, 8)), "Saturday");
  EXPECT_EQ(calendar.why_off(date(2025, 3, 9)), "Sunday");
  EXPECT_EQ(calendar.why_off(date(2025, 3, 10)), std::nullopt);
  EXPECT_TRUE(calendar.years().empty());
}

TEST(WorkCalendarTest, ADatedEntryOverridesTheWeekday) {
  WorkCalendar calendar;
  ASSERT_TRUE(calendar.add({date(2025, 1, 28), DayKind::off, "春节"}));       // a Tuesday
  ASSERT_TRUE(calendar.add({date(2025, 1, 26), DayKind::work, "春节调休"}));  // a Sunday
  ASSERT_TRUE(calendar.add({date(2025, 1, 1), DayKind::off, ""}));
  EXPECT_FALSE(calendar.is_working_day(date(2025, 1, 28)));
  EXPECT_EQ(calendar.why_off(date(2025, 1, 28)), "春节");
  EXPECT_TRUE(calendar.is_working_day(date(2025, 1, 26)));
  EXPECT_EQ(calendar.why_off(date(2025, 1, 26)), std::nullopt);
  EXPECT_EQ(calendar.why_off(date(2025, 1, 1)), "holiday");
}

TEST(WorkCalendarTest, AnotherWeekendCanBeSet) {
  WorkCalendar calendar;
  // Friday and Saturday, as in much of the Middle East.
  ASSERT_TRUE(calendar.set_weekend(0b110'0000));
  EXPECT_FALSE(calendar.is_working_day(date(2025, 3, 7)));
  EXPECT_TRUE(calendar.is_working_day(date(2025, 3, 9)));
  EXPECT_EQ(calendar.why_off(date(2025, 3, 7)), "Friday");
  EXPECT_REFUSED(calendar.set_weekend(0b111'1111), invalid_argument);
  EXPECT_REFUSED(calendar.set_weekend(0b1000'0000), invalid_argument);
  EXPECT_EQ(calendar.weekend(), 0b110'0000);  // the refusals changed nothing
}

TEST(WorkCalendarTest, TheSameEntryTwiceIsKeptOnceAndAConflictIsRefused) {
  WorkCalendar calendar;
  ASSERT_TRUE(calendar.add({date(2025, 10, 1), DayKind::off, "国庆节"}));
  ASSERT_TRUE(calendar.add({date(2025, 10, 1), DayKind::off, "National Day"}));
  EXPECT_EQ(calendar.days().size(), 1U);
  EXPECT_EQ(calendar.days().at(date(2025, 10, 1)).name, "国庆节");
  const auto refused = calendar.add({date(2025, 10, 1), DayKind::work, "调休"});
  EXPECT_REFUSED(refused, invalid_argument);
  EXPECT_NE(refused.refusal().message.find("2025-10-01"), std::string::npos);
  EXPECT_FALSE(calendar.is_working_day(date(2025, 10, 1)));
}

TEST(WorkCalendarTest, BadDatesYearsAndNamesAreRefused) {
  WorkCalendar calendar;
  EXPECT_REFUSED(calendar.add({LocalDate(), DayKind::off, ""}), invalid_argument);
  EXPECT_REFUSED(calendar.add({date(1969, 12, 31), DayKind::off, ""}), invalid_argument);
  EXPECT_REFUSED(calendar.add({date(2025, 5, 1), DayKind::off, std::string(101, 'x')}),
                 invalid_argument);
  // A name is kept as the rest of one line: no line break, no blank at its ends.
  EXPECT_REFUSED(calendar.add({date(2025, 5, 1), DayKind::off, "Labour\nDay"}), invalid_argument);
  EXPECT_REFUSED(calendar.add({date(2025, 5, 1), DayKind::off, " Labour Day"}), invalid_argument);
  EXPECT_REFUSED(calendar.add({date(2025, 5, 1), DayKind::off, "Labour Day "}), invalid_argument);
  EXPECT_REFUSED(calendar.add_year(1969), invalid_argument);
  EXPECT_REFUSED(calendar.add_year(9999), invalid_argument);
  EXPECT_EQ(calendar, WorkCalendar());
  ASSERT_TRUE(calendar.add_year(2025));
  EXPECT_TRUE(calendar.knows_year(2025));
  EXPECT_FALSE(calendar.knows_year(2026));
}

TEST(WorkCalendarTest, ADayReadsBackFromItsLine) {
  for (const CalendarDay& day :
       {CalendarDay{date(2025, 1, 28), DayKind::off, "春节"},
        CalendarDay{date(2025, 2, 8), DayKind::work, ""},
        CalendarDay{date(2025, 10, 3), DayKind::off, "Tag der  Einheit"}}) {
    EXPECT_EQ(parse_calendar_day(to_string(day)), day) << to_string(day);
  }
  EXPECT_EQ(to_string(CalendarDay{date(2025, 2, 8), DayKind::work, ""}), "2025-02-08 work");
  EXPECT_EQ(parse_calendar_day("\t2025-01-28   off\t春节  "),
            (CalendarDay{date(2025, 1, 28), DayKind::off, "春节"}));
  for (const char* wrong : {"", "2025-01-28", "2025-01-28 holiday", "2025-02-30 off",
                            "28.01.2025 off", "2025-1-28 off"}) {
    EXPECT_EQ(parse_calendar_day(wrong), std::nullopt) << wrong;
  }
}

TEST(WorkCalendarTest, MergeIsAllOrNothing) {
  WorkCalendar calendar;
  ASSERT_TRUE(calendar.add({date(2025, 10, 1), DayKind::off, "国庆节"}));
  ASSERT_TRUE(calendar.add_year(2025));
  WorkCalendar next;
  ASSERT_TRUE(next.add({date(2025, 12, 31), DayKind::off, "元旦"}));  // in the next year's file
  ASSERT_TRUE(next.add({date(2026, 1, 4), DayKind::work, "元旦"}));
  ASSERT_TRUE(next.add_year(2026));
  WorkCalendar clashing = next;
  ASSERT_TRUE(clashing.add({date(2025, 10, 1), DayKind::work, ""}));
  const WorkCalendar before = calendar;
  EXPECT_REFUSED(calendar.merge(clashing), invalid_argument);
  EXPECT_EQ(calendar, before);
  ASSERT_TRUE(calendar.merge(next));
  EXPECT_EQ(calendar.days().size(), 3U);
  EXPECT_EQ(calendar.years(), (std::set<int>{2025, 2026}));
  EXPECT_FALSE(calendar.is_working_day(date(2025, 12, 31)));
}

}  // namespace
}  // namespace highseas

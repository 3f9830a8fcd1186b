// TeamCalendar: where calendar-day and business-day spans end in a team's
// zone and calendar, checked against days counted by hand on the 2025
// Chinese calendar, across DST changes, and by properties over many starts.
#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <highseas/team_calendar.hpp>
#include <random>

namespace highseas {
namespace {

using boost::gregorian::date;

TimeZone zone(const char* name) { return TimeZone::named(name).value(); }

// The 2025 calendar of the State Council's notice (国办发明电〔2024〕12号).
WorkCalendar china_2025() {
  WorkCalendar calendar;
  auto off = [&](int month, int first, int last, const char* name) {
    for (int day = first; day <= last; ++day) {
      EXPECT_TRUE(calendar.add({date(2025, month, day), DayKind::off, name}));
    }
  };
  auto work = [&](int month, int day, const char* name) {
    EXPECT_TRUE(calendar.add({date(2025, month, day), DayKind::work, name}));
  };
  off(1, 1, 1, "元旦");
  off(1, 28, 31, "春节");
  off(2, 1, 4, "春节");
  work(1, 26, "春节");
  work(2, 8, "春节");
  off(4, 4, 6, "清明节");
  off(5, 1, 5, "劳动节");
  work(4, 27, "劳动节");
  off(5, 31, 31, "端午节");
  off(6, 1, 2, "端午节");
  off(10, 1, 8, "国庆节、中秋节");
  work(9, 28, "国庆节、中秋节");
  work(10, 11, "国庆节、中秋节");
  EXPECT_TRUE(calendar.add_year(2025));
  return calendar;
}

// Local midnight in Shanghai (UTC+8) at the start of `day`.
Time shanghai_midnight(date day) { return Time(day) - hours(8); }
// A local time of day in Shanghai.
Time shanghai(int year, int month, int day, int hour, int minute = 0) {
  return utc(year, month, day, hour, minute) - hours(8);
}

TEST(TeamCalendarTest, TenBusinessDaysOverTheSpringFestivalAsASalesTeamCountsThem) {
  const TeamCalendar team(zone("Asia/Shanghai"), china_2025());
  // Claimed Friday 2025-01-24 at 10:00. Counted: Sun 26 (make-up day), Mon 27,
  // Wed 5, Thu 6, Fri 7, Sat 8 (make-up day), Mon 10 .. Thu 13. Due at the
  // end of Thursday 2025-02-13.
  std::vector<SkippedDay> skipped;
  const BusinessDayCount count = team.after_business_days(shanghai(2025, 1, 24, 10), 10, &skipped);
  EXPECT_EQ(count.end, shanghai_midnight(date(2025, 2, 14)));
  EXPECT_EQ(count.unknown_year, std::nullopt);
  std::vector<SkippedDay> expected{{date(2025, 1, 25), "Saturday"}};
  for (int day = 28; day <= 31; ++day) expected.push_back({date(2025, 1, day), "春节"});
  for (int day = 1; day <= 4; ++day) expected.push_back({date(2025, 2, day), "春节"});
  expected.push_back({date(2025, 2, 9), "Sunday"});
  EXPECT_EQ(skipped, expected);
}

TEST(TeamCalendarTest, NationalDayWeekAndItsMakeUpDays) {
  const TeamCalendar team(zone("Asia/Shanghai"), china_2025());
  // Friday 2025-09-26: Sun 28 (make-up), Mon 29, Tue 30, then 1..8 October
  // off, Thu 9, Fri 10.
  EXPECT_EQ(team.after_business_days(shanghai(2025, 9, 26, 15), 5).end,
            shanghai_midnight(date(2025, 10, 11)));
  // Saturday 2025-10-11 is a make-up working day: one business day from
  // Friday the 10th ends with it.
  EXPECT_EQ(team.after_business_days(shanghai(2025, 10, 10, 9), 1).end,
            shanghai_midnight(date(2025, 10, 12)));
}

TEST(TeamCalendarTest, TheDayOfTheStartNeverCounts) {
  const TeamCalendar team(zone("Asia/Shanghai"), china_2025());
  // Claimed on Saturday 2025-03-01: counting starts on Monday the 3rd.
  EXPECT_EQ(team.after_business_days(shanghai(2025, 3, 1, 15), 10).end,
            shanghai_midnight(date(2025, 3, 15)));
  // Claimed on Monday the 3rd at 00:01 or at 23:59: the same deadline, the
  // end of Monday the 17th (4..7, 10..14, 17).
  const Time early = team.after_business_days(shanghai(2025, 3, 3, 0, 1), 10).end;
  EXPECT_EQ(early, shanghai_midnight(date(2025, 3, 18)));
  EXPECT_EQ(team.after_business_days(shanghai(2025, 3, 3, 23, 59), 10).end, early);
  // Exactly at midnight is the end of Sunday the 2nd: counting starts on the 3rd.
  EXPECT_EQ(team.after_business_days(shanghai_midnight(date(2025, 3, 3)), 10).end,
            shanghai_midnight(date(2025, 3, 15)));
  EXPECT_EQ(team.after_business_days(shanghai(2025, 3, 3, 9), 0).end, shanghai(2025, 3, 3, 9));
}

TEST(TeamCalendarTest, CalendarDaysEndAtLocalMidnight) {
  const TeamCalendar team(zone("Asia/Shanghai"), WorkCalendar());
  // 30 days from 2025-01-01 09:00 end with 31 January, however the days fall.
  EXPECT_EQ(team.after_calendar_days(shanghai(2025, 1, 1, 9), 30),
            shanghai_midnight(date(2025, 2, 1)));
  EXPECT_EQ(team.after(shanghai(2025, 1, 1, 9), Span(days(30))).end,
            shanghai_midnight(date(2025, 2, 1)));
  // A span that is not whole days stays exact.
  EXPECT_EQ(team.after(shanghai(2025, 1, 1, 9), Span(hours(36))).end, shanghai(2025, 1, 2, 21));
  EXPECT_EQ(team.after(shanghai(2025, 1, 1, 9), Span::business_days(2)).end,
            shanghai_midnight(date(2025, 1, 4)));
}

TEST(TeamCalendarTest, DeadlinesAcrossDstEndAtLocalMidnight) {
  const TeamCalendar berlin(zone("Europe/Berlin"), WorkCalendar());
  // Friday 2025-03-28 10:00 CET; 2 business days: Mon 31 (CEST), Tue 1 April.
  const Time start = utc(2025, 3, 28, 9);
  EXPECT_EQ(berlin.after_business_days(start, 2).end, utc(2025, 4, 1, 22));  // midnight CEST
  EXPECT_EQ(berlin.after_calendar_days(utc(2025, 10, 24, 9), 3), utc(2025, 10, 27, 23));  // CET
  const TeamCalendar new_york(zone("America/New_York"), WorkCalendar());
  EXPECT_EQ(new_york.after_calendar_days(utc(2025, 3, 8, 15), 1), utc(2025, 3, 10, 4));   // EDT
  EXPECT_EQ(new_york.after_calendar_days(utc(2025, 11, 1, 15), 1), utc(2025, 11, 3, 5));  // EST
  // São Paulo, 2018-11-04, a day without midnight: 1 day from the 2nd (a
  // Friday) ends when the 4th begins, at the jump; 1 business day from it
  // ends at the end of Monday the 5th.
  const TeamCalendar sao_paulo(zone("America/Sao_Paulo"), WorkCalendar());
  EXPECT_EQ(sao_paulo.after_calendar_days(utc(2018, 11, 2, 15), 1), utc(2018, 11, 4, 3));
  EXPECT_EQ(sao_paulo.after_business_days(utc(2018, 11, 3, 15), 1).end, utc(2018, 11, 6, 2));
  // And 2019-02-16, the 25-hour day: it ends after its second 23:59.
  EXPECT_EQ(sao_paulo.after_calendar_days(utc(2019, 2, 15, 15), 1), utc(2019, 2, 17, 3));
}

TEST(TeamCalendarTest, ACountIntoAYearTheCalendarDoesNotKnowSaysSo) {
  const TeamCalendar team(zone("Asia/Shanghai"), china_2025());
  const BusinessDayCount inside = team.after_business_days(shanghai(2025, 12, 1, 9), 5);
  EXPECT_EQ(inside.unknown_year, std::nullopt);
  // From 22 December, 10 business days reach 2026: weekends only there.
  const BusinessDayCount past = team.after_business_days(shanghai(2025, 12, 22, 9), 10);
  EXPECT_EQ(past.unknown_year, 2026);
  EXPECT_EQ(past.end, shanghai_midnight(date(2026, 1, 6)));  // 23..26, 29..31, 1, 2, 5
}

// Properties over many random starts and counts, in three zones with
// calendars that have holidays and make-up days.
TEST(TeamCalendarTest, CountsAddUpNeverEndOnADayOffAndMoveWithTheStart) {
  std::mt19937_64 random(20250128);
  for (const char* name : {"Asia/Shanghai", "America/Sao_Paulo", "Europe/Berlin"}) {
    const TeamCalendar team(zone(name), china_2025());
    for (int round = 0; round < 300; ++round) {
      const Time start =
          utc(2024, 11, 1) + seconds(static_cast<std::int64_t>(random() % 31'000'000));
      const auto n = static_cast<std::uint32_t>(random() % 40 + 1);
      const auto m = static_cast<std::uint32_t>(random() % 40 + 1);
      const Time end_n = team.after_business_days(start, n).end;
      SCOPED_TRACE(std::string(name) + " from " + to_iso8601(start) + ", " + std::to_string(n) +
                   " then " + std::to_string(m));
      EXPECT_EQ(team.after_business_days(end_n, m).end, team.after_business_days(start, n + m).end);
      EXPECT_EQ(team.after_calendar_days(team.after_calendar_days(start, n), m),
                team.after_calendar_days(start, n + m));
      // The last day counted (the one the end closes) is a working day, and
      // the end is that day's local midnight.
      const LocalDate last = team.day_zero(end_n);
      EXPECT_TRUE(team.calendar().is_working_day(last)) << to_simple_string(last);
      EXPECT_EQ(team.zone().start_of(last + boost::gregorian::days(1)), end_n);
      EXPECT_GT(end_n, start);
      // Monotonic: a later start never ends earlier.
      const Time later = start + seconds(static_cast<std::int64_t>(random() % 500'000));
      EXPECT_LE(end_n, team.after_business_days(later, n).end);
      EXPECT_LE(team.after_calendar_days(start, n), team.after_calendar_days(later, n));
    }
  }
}

// before() is the first instant from which a span reaches an end: where a
// reminder that long before a deadline falls due.
TEST(TeamCalendarTest, BeforeIsWhereASpanFirstReachesTheEnd) {
  const TeamCalendar team(zone("Asia/Shanghai"), china_2025());
  const Duration one_micro = boost::posix_time::microseconds(1);
  // A deadline at the end of Thursday 2025-02-13: 3 days before is from the
  // first instant of Monday 10 (Mon is day 0; Tue, Wed, Thu count).
  const Time deadline = shanghai_midnight(date(2025, 2, 14));
  EXPECT_EQ(team.before(deadline, days(3)), shanghai_midnight(date(2025, 2, 10)) + one_micro);
  // 3 business days: Tue 11, Wed 12, Thu 13 again (no day off between).
  EXPECT_EQ(team.before(deadline, Span::business_days(3)),
            shanghai_midnight(date(2025, 2, 10)) + one_micro);
  // 6 business days reach back over the weekend of 8-9 February, where
  // Saturday the 8th is a make-up working day: Fri 7, Sat 8, Mon 10 .. Thu 13
  // count, so the count starts on Thursday 6.
  EXPECT_EQ(team.before(deadline, Span::business_days(6)),
            shanghai_midnight(date(2025, 2, 6)) + one_micro);
  // 8 business days reach over the Spring Festival (28 Jan - 4 Feb off):
  // counted from any day 28 January .. 4 February they are Wed 5 .. Thu 13,
  // and from Monday 27 January too; from Sunday 26 (a make-up working day)
  // the 27th would count, and they would end on the 12th.
  EXPECT_EQ(team.before(deadline, Span::business_days(8)),
            shanghai_midnight(date(2025, 1, 27)) + one_micro);
  // Hours stay exact; zero is the end itself.
  EXPECT_EQ(team.before(deadline, hours(36)), deadline - hours(36));
  EXPECT_EQ(team.before(deadline, Span::business_days(0)), deadline);
  EXPECT_THROW((void)team.before(Time(), days(1)), std::invalid_argument);
}

TEST(TeamCalendarTest, BeforeAgreesWithAfterAtEveryInstant) {
  std::mt19937_64 random(20251130);
  for (const char* name : {"Asia/Shanghai", "America/Sao_Paulo", "Europe/Berlin"}) {
    const TeamCalendar team(zone(name), china_2025());
    for (int round = 0; round < 200; ++round) {
      const Time end = utc(2025, 1, 1) + seconds(static_cast<std::int64_t>(random() % 29'000'000));
      const auto n = static_cast<std::uint32_t>(random() % 12 + 1);
      for (const Span span : {Span::business_days(n), Span::time(days(n)), Span::time(hours(n))}) {
        const Time from = team.before(end, span);
        SCOPED_TRACE(std::string(name) + ": " + to_string(span) + " before " + to_iso8601(end));
        // From `from` on the span reaches the end; just before, it does not.
        EXPECT_GE(team.after(from, span).end, end);
        EXPECT_LT(team.after(from - boost::posix_time::microseconds(1), span).end, end);
        const Time later = from + seconds(static_cast<std::int64_t>(random() % 400'000));
        EXPECT_GE(team.after(later, span).end, end);
      }
    }
  }
}

}  // namespace
}  // namespace highseas

// TimeZone: IANA names from the system tz database, local dates, the start
// of a local day across DST changes, offsets and local text.
#include <gtest/gtest.h>

#include <highseas/time_zone.hpp>

namespace highseas {
namespace {

using boost::gregorian::date;

TimeZone zone(const char* name) {
  auto found = TimeZone::named(name);
  EXPECT_TRUE(found.has_value()) << name;
  return found.value_or(TimeZone());
}

TEST(TimeZoneTest, TheDefaultIsUtc) {
  const TimeZone standard;
  EXPECT_EQ(standard.name(), "UTC");
  EXPECT_EQ(standard.date_at(utc(2025, 1, 27, 23, 59, 59)), date(2025, 1, 27));
  EXPECT_EQ(standard.offset_at(utc(2025, 7, 1)), Duration(0, 0, 0));
}

TEST(TimeZoneTest, KnowsIanaNamesAndRefusesOthers) {
  for (const char* name : {"Asia/Shanghai", "America/Sao_Paulo", "Europe/Berlin",
                           "America/New_York", "UTC", "Etc/UTC"}) {
    EXPECT_TRUE(TimeZone::named(name).has_value()) << name;
  }
  for (const char* name : {"", "Asia/Shang_hai", "asia/shanghai", "Mars/Olympus",
                           "../../etc/passwd", "/usr/share/zoneinfo/UTC", "Asia/Shanghai "}) {
    EXPECT_FALSE(TimeZone::named(name).has_value()) << "'" << name << "'";
  }
  EXPECT_EQ(zone("Asia/Shanghai").name(), "Asia/Shanghai");
}

TEST(TimeZoneTest, LocalDatesFollowTheZone) {
  // 2025-01-27 20:00 UTC is already the 28th (除夕) in Shanghai and still the 27th in São Paulo.
  const Time at = utc(2025, 1, 27, 20);
  EXPECT_EQ(zone("Asia/Shanghai").date_at(at), date(2025, 1, 28));
  EXPECT_EQ(zone("America/Sao_Paulo").date_at(at), date(2025, 1, 27));
  EXPECT_EQ(zone("Asia/Shanghai").start_of(date(2025, 1, 28)), utc(2025, 1, 27, 16));
}

TEST(TimeZoneTest, ADayAcrossADstChangeIs23Or25HoursLong) {
  const TimeZone berlin = zone("Europe/Berlin");
  // 2025-03-30: clocks go 02:00 -> 03:00; 2025-10-26: 03:00 -> 02:00.
  EXPECT_EQ(berlin.start_of(date(2025, 3, 31)) - berlin.start_of(date(2025, 3, 30)), hours(23));
  EXPECT_EQ(berlin.start_of(date(2025, 10, 27)) - berlin.start_of(date(2025, 10, 26)), hours(25));
  const TimeZone new_york = zone("America/New_York");
  // 2025-03-09 and 2025-11-02, at 02:00 local.
  EXPECT_EQ(new_york.start_of(date(2025, 3, 10)) - new_york.start_of(date(2025, 3, 9)), hours(23));
  EXPECT_EQ(new_york.start_of(date(2025, 11, 3)) - new_york.start_of(date(2025, 11, 2)), hours(25));
  EXPECT_EQ(new_york.offset_at(utc(2025, 7, 1)), hours(-4));
  EXPECT_EQ(new_york.offset_at(utc(2025, 12, 1)), hours(-5));
}

TEST(TimeZoneTest, AMidnightDstSkippedStartsTheDayWhenTheClocksJump) {
  // São Paulo's last DST (abolished in 2019) began on 2018-11-04 at 00:00,
  // which became 01:00 (-03:00 -> -02:00): that day has no local midnight.
  // It starts at the jump, 03:00 UTC, and is 23 hours long.
  const TimeZone sao_paulo = zone("America/Sao_Paulo");
  EXPECT_EQ(sao_paulo.start_of(date(2018, 11, 4)), utc(2018, 11, 4, 3));
  EXPECT_EQ(sao_paulo.start_of(date(2018, 11, 5)), utc(2018, 11, 5, 2));
  // It ended on 2019-02-17 at 00:00 (-02:00), back to 23:00 of the 16th: the
  // 16th's last hour came twice and that day was 25 hours long.
  EXPECT_EQ(sao_paulo.start_of(date(2019, 2, 17)) - sao_paulo.start_of(date(2019, 2, 16)),
            hours(25));
  EXPECT_EQ(sao_paulo.date_at(utc(2019, 2, 17, 2, 30)), date(2019, 2, 16));  // the second 23:30
  // No DST since.
  EXPECT_EQ(sao_paulo.offset_at(utc(2025, 1, 15)), hours(-3));
}

TEST(TimeZoneTest, AMidnightThatComesTwiceStartsTheDayAtTheFirst) {
  // Havana ended DST on 2024-11-03 at 01:00, back to 00:00 (-04:00 -> -05:00):
  // that day's first hour came twice. It starts at the first midnight.
  const TimeZone havana = zone("America/Havana");
  EXPECT_EQ(havana.start_of(date(2024, 11, 3)), utc(2024, 11, 3, 4));
  EXPECT_EQ(havana.start_of(date(2024, 11, 4)) - havana.start_of(date(2024, 11, 3)), hours(25));
}

TEST(TimeZoneTest, LocalTextCarriesTheOffset) {
  EXPECT_EQ(zone("Asia/Shanghai").local_text(utc(2025, 2, 14, 10)), "2025-02-14 18:00:00 +08:00");
  EXPECT_EQ(zone("America/Sao_Paulo").local_text(utc(2025, 2, 14, 10, 5, 9)),
            "2025-02-14 07:05:09 -03:00");
  EXPECT_EQ(zone("Asia/Kolkata").local_text(utc(2025, 2, 14)), "2025-02-14 05:30:00 +05:30");
  EXPECT_EQ(TimeZone().local_text(Time()), "-");
}

TEST(TimeZoneTest, SpecialTimesAreProgrammerErrors) {
  EXPECT_THROW((void)TimeZone().date_at(Time()), std::invalid_argument);
  EXPECT_THROW((void)TimeZone().offset_at(Time(boost::posix_time::pos_infin)),
               std::invalid_argument);
  EXPECT_THROW((void)TimeZone().start_of(LocalDate()), std::invalid_argument);
}

}  // namespace
}  // namespace highseas

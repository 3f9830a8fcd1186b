// The small public helpers: time formatting and construction, Result and Refusal.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "highseas/result.hpp"
#include "highseas/time.hpp"

namespace highseas {
namespace {

TEST(TimeTest, FormatsTimeLeftAtEachScale) {
  EXPECT_EQ(format_time_left(days(3) + hours(4) + minutes(5)), "3d 4h");
  EXPECT_EQ(format_time_left(hours(5) + minutes(12)), "5h 12m");
  EXPECT_EQ(format_time_left(minutes(40) + seconds(3)), "40m");
  EXPECT_EQ(format_time_left(seconds(40)), "40s");
  EXPECT_EQ(format_time_left(seconds(0)), "overdue");
  EXPECT_EQ(format_time_left(seconds(-5)), "overdue");
}

TEST(TimeTest, PrintsIso8601WithoutFractionsAndADashForNoTime) {
  EXPECT_EQ(to_iso8601(utc(2026, 1, 31, 9, 5, 7)), "2026-01-31T09:05:07Z");
  EXPECT_EQ(to_iso8601(utc(2026, 1, 31) + boost::posix_time::microseconds(250)),
            "2026-01-31T00:00:00Z");
  EXPECT_EQ(to_iso8601(Time()), "-");
}

TEST(TimeTest, DaysAreWholeDaysOf24Hours) {
  EXPECT_EQ(days(2), hours(48));
  EXPECT_EQ(utc(2026, 3, 1) - utc(2026, 2, 1), days(28));
}

TEST(ResultTest, HoldsAValueOrARefusal) {
  const Result<int> ok = 7;
  const Result<int> refused = refuse(RefusalCode::cap_reached, "holds 20 of at most 20");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.value(), 7);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(refused.code(), RefusalCode::cap_reached);
  EXPECT_EQ(refused.refusal().to_string(), "cap_reached: holds 20 of at most 20");
  EXPECT_THROW((void)refused.value(), BadResultAccess);
  EXPECT_THROW((void)ok.refusal(), std::logic_error);
}

TEST(ResultTest, ValueOrFallsBackOnlyOnARefusal) {
  const Result<std::string> ok = std::string("held");
  const Result<std::string> refused = refuse(RefusalCode::not_held, "nobody holds it");
  EXPECT_EQ(ok.value_or("none"), "held");
  EXPECT_EQ(refused.value_or("none"), "none");
}

TEST(ResultTest, EveryCodeHasADistinctStableName) {
  EXPECT_EQ(to_string(RefusalCode::not_permitted), "not_permitted");
  EXPECT_EQ(to_string(RefusalCode::known_customer), "known_customer");
  EXPECT_NE(to_string(RefusalCode::already_in_pool), to_string(RefusalCode::known_customer));
}

}  // namespace
}  // namespace highseas

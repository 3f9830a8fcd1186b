// Span: calendar time or business days, never confused, written and parsed
// the way the CLI and a policy file say them.
#include <gtest/gtest.h>

#include <highseas/span.hpp>
#include <stdexcept>

namespace highseas {
namespace {

TEST(SpanTest, BusinessDaysNeverEqualTheSameNumberOfCalendarDays) {
  EXPECT_NE(Span::business_days(5), Span::time(days(5)));
  EXPECT_EQ(Span::business_days(5), Span::business_days(5));
  EXPECT_EQ(Span::time(hours(48)), Span::time(days(2)));
  EXPECT_EQ(Span(), Span::time(seconds(0)));
}

TEST(SpanTest, EachUnitAnswersOnlyItsOwnQuestion) {
  EXPECT_EQ(Span::time(days(3)).length(), days(3));
  EXPECT_EQ(Span::business_days(10).days(), 10U);
  EXPECT_THROW((void)Span::business_days(10).length(), std::logic_error);
  EXPECT_THROW((void)Span::time(days(3)).days(), std::logic_error);
  EXPECT_FALSE(Span::time(Duration(boost::posix_time::pos_infin)).is_zero());
}

TEST(SpanTest, ZeroInEitherUnit) {
  EXPECT_TRUE(Span().is_zero());
  EXPECT_TRUE(Span::business_days(0).is_zero());
  EXPECT_FALSE(Span::business_days(1).is_zero());
  EXPECT_FALSE(Span::time(seconds(1)).is_zero());
}

TEST(SpanTest, WrittenWithTheLargestUnitThatDividesIt) {
  EXPECT_EQ(to_string(Span::time(days(30))), "30d");
  EXPECT_EQ(to_string(Span::time(hours(36))), "36h");
  EXPECT_EQ(to_string(Span::time(minutes(90))), "90m");
  EXPECT_EQ(to_string(Span::time(seconds(61))), "61s");
  EXPECT_EQ(to_string(Span::business_days(10)), "10bd");
  EXPECT_EQ(to_string(Span()), "0d");
}

TEST(SpanTest, ParsesWhatItWrites) {
  for (const Span& span : {Span::time(days(30)), Span::time(hours(36)), Span::time(minutes(90)),
                           Span::time(seconds(61)), Span::time(days(30) + seconds(1)),
                           Span::time(days(3653)), Span::business_days(10), Span()}) {
    EXPECT_EQ(parse_span(to_string(span)), span) << to_string(span);
  }
  EXPECT_EQ(parse_span("7d"), Span::time(days(7)));
  EXPECT_EQ(parse_span("1000000bd"), Span::business_days(1'000'000));
  EXPECT_EQ(parse_span("86400000000s"), Span::time(days(1'000'000)));
}

TEST(SpanTest, RefusesAnythingElse) {
  for (const char* text :
       {"", "d", "bd", "10", "-1d", "+1d", " 5d", "5d ", "5 d", "1.5d", "5D", "5w", "5dd",
        "1000001d", "1000001bd", "86400000001s", "99999999999d", "18446744073709551616s"}) {
    EXPECT_EQ(parse_span(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace highseas

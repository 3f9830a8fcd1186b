// The calendar file readers: the shipped Chinese calendars for 2024-2026, a
// December holiday in the next year's file, the line format, and refusals
// that name the file and line and change nothing.
#include <gtest/gtest.h>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <filesystem>
#include <fstream>
#include <highseas/calendar/calendar_files.hpp>
#include <highseas/testing/matchers.hpp>

#include "../sqlite/temp_directory.hpp"

namespace highseas::calendar {
namespace {

using boost::gregorian::date;

const std::filesystem::path kChina = HIGHSEAS_CN_CALENDARS;

std::string message_of(const Result<WorkCalendar>& result) {
  return result ? std::string("(read)") : result.refusal().message;
}

// `read` (of `text`) is refused as invalid_argument with `expected` in its message.
void expect_refused_saying(const Result<WorkCalendar>& read, const std::string& text,
                           const std::string& expected) {
  EXPECT_REFUSED(read, invalid_argument);
  EXPECT_NE(message_of(read).find(expected), std::string::npos)
      << text << "\n  gave: " << message_of(read);
}

TEST(CalendarFilesTest, TheShippedChineseCalendarsRead) {
  auto calendar =
      read_calendar_files({kChina / "2024.json", kChina / "2025.json", kChina / "2026.json"});
  ASSERT_TRUE(calendar) << message_of(calendar);
  EXPECT_EQ(calendar->years(), (std::set<int>{2024, 2025, 2026}));
  // 2025 Spring Festival: 28 January to 4 February off, 26 January and
  // 8 February (a Sunday and a Saturday) worked.
  for (date day(2025, 1, 28); day <= date(2025, 2, 4); day += boost::gregorian::days(1)) {
    EXPECT_FALSE(calendar->is_working_day(day)) << to_simple_string(day);
    EXPECT_EQ(calendar->why_off(day), "春节");
  }
  EXPECT_TRUE(calendar->is_working_day(date(2025, 1, 26)));
  EXPECT_TRUE(calendar->is_working_day(date(2025, 2, 8)));
  // National Day and Mid-Autumn 2025: 1..8 October off, 28 September and 11 October worked.
  EXPECT_FALSE(calendar->is_working_day(date(2025, 10, 8)));
  EXPECT_TRUE(calendar->is_working_day(date(2025, 9, 28)));
  EXPECT_TRUE(calendar->is_working_day(date(2025, 10, 11)));
  EXPECT_TRUE(calendar->is_working_day(date(2025, 10, 9)));
  // 2026: the Spring Festival runs 15..23 February, with 14 and 28 February worked.
  EXPECT_FALSE(calendar->is_working_day(date(2026, 2, 23)));
  EXPECT_TRUE(calendar->is_working_day(date(2026, 2, 14)));
  EXPECT_TRUE(calendar->is_working_day(date(2026, 2, 28)));
  // 2024: 4 and 18 February, both Sundays, were worked.
  EXPECT_TRUE(calendar->is_working_day(date(2024, 2, 18)));
}

TEST(CalendarFilesTest, ADecemberHolidayInTheNextYearsFileMerges) {
  const std::string next = R"({"year": 2031, "papers": [], "days": [
    {"name": "元旦", "date": "2030-12-30", "isOffDay": true},
    {"name": "元旦", "date": "2030-12-31", "isOffDay": true},
    {"name": "元旦", "date": "2031-01-01", "isOffDay": true},
    {"name": "元旦", "date": "2031-01-04", "isOffDay": false}]})";
  const std::string year = R"({"year": 2030, "days": [
    {"name": "国庆节", "date": "2030-10-01", "isOffDay": true}]})";
  auto later = read_holiday_cn_json(next, "2031.json");
  auto earlier = read_holiday_cn_json(year, "2030.json");
  ASSERT_TRUE(later) << message_of(later);
  ASSERT_TRUE(earlier) << message_of(earlier);
  WorkCalendar both = *earlier;
  ASSERT_TRUE(both.merge(*later));
  EXPECT_FALSE(both.is_working_day(date(2030, 12, 30)));  // a Monday
  EXPECT_EQ(both.why_off(date(2030, 12, 31)), "元旦");
  EXPECT_TRUE(both.is_working_day(date(2031, 1, 4)));  // a Saturday
  EXPECT_EQ(both.years(), (std::set<int>{2030, 2031}));
}

TEST(CalendarFilesTest, BadJsonIsRefusedNamingTheEntry) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"not json", "x.json: not JSON"},
      {"[1, 2]", "not a holiday-cn object"},
      {R"({"days": []})", "no integer \"year\""},
      {R"({"year": "2025", "days": []})", "no integer \"year\""},
      {R"({"year": 2025})", "no \"days\" array"},
      {R"({"year": 2025, "days": [{"date": "2025-02-30", "isOffDay": true}]})",
       "x.json days[0]: \"date\" must be a date"},
      {R"({"year": 2025, "days": [{"date": "2025-1-28", "isOffDay": true}]})", "days[0]"},
      {R"({"year": 2025, "days": [{"date": "2025-01-28", "isOffDay": "yes"}]})", "\"isOffDay\""},
      {R"({"year": 2025, "days": [{"date": "2025-01-28", "isOffDay": true, "name": 7}]})",
       "\"name\" must be a string"},
      {R"({"year": 2025, "days": [{"date": "2025-01-28", "isOffDay": true},
                                  {"date": "2025-01-28", "isOffDay": false}]})",
       "x.json days[1]: 2025-01-28 is already a day off"},
      {R"({"year": 12025, "days": []})", "calendar year"},
  };
  for (const auto& [text, expected] : cases) {
    expect_refused_saying(read_holiday_cn_json(text, "x.json"), text, expected);
  }
}

TEST(CalendarFilesTest, TheLineFormatReadsHolidaysMakeUpDaysAndYears) {
  const std::string text =
      "\xEF\xBB\xBF# Bavaria 2025, part\r\n"
      "year 2025\n"
      "\n"
      "2025-01-06 off Heilige Drei Könige\n"
      "2025-10-03 off   Tag der Deutschen Einheit  \n"
      "2025-12-27 work inventory Saturday\n"
      "2025-12-25 off\n";
  auto read = read_day_lines(text, "by.txt");
  ASSERT_TRUE(read) << message_of(read);
  EXPECT_EQ(read->years(), std::set<int>{2025});
  EXPECT_EQ(read->why_off(date(2025, 1, 6)), "Heilige Drei Könige");
  EXPECT_EQ(read->why_off(date(2025, 10, 3)), "Tag der Deutschen Einheit");
  EXPECT_EQ(read->why_off(date(2025, 12, 25)), "holiday");
  EXPECT_TRUE(read->is_working_day(date(2025, 12, 27)));
  // Without a year line, the years of its dates.
  auto undeclared = read_day_lines("2027-05-01 off\n2028-05-01 off\n", "x.txt");
  ASSERT_TRUE(undeclared);
  EXPECT_EQ(undeclared->years(), (std::set<int>{2027, 2028}));
}

TEST(CalendarFilesTest, BadLinesAreRefusedNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2025-01-06\n", "x.txt:1: after the date write off or work"},
      {"# ok\n2025-01-06 holiday\n", "x.txt:2: after the date"},
      {"06.01.2025 off\n", "x.txt:1: expected YYYY-MM-DD"},
      {"2025-02-29 off\n", "expected YYYY-MM-DD"},
      {"year\n", "x.txt:1: write a year line as: year YYYY"},
      {"year 2025 2026\n", "write a year line"},
      {"year 1900\n", "calendar year"},
      {"2025-01-06 off\n2025-01-06 work\n", "x.txt:2: 2025-01-06 is already a day off"},
  };
  for (const auto& [text, expected] : cases) {
    expect_refused_saying(read_day_lines(text, "x.txt"), text, expected);
  }
}

TEST(CalendarFilesTest, FilesThatDisagreeOrCannotBeReadAreRefusedWhole) {
  test::TempDirectory directory;
  const std::filesystem::path clash = directory.path() / "clash.txt";
  std::ofstream(clash) << "2025-01-26 off Sunday off after all\n";
  const auto read = read_calendar_files({kChina / "2025.json", clash});
  EXPECT_REFUSED(read, invalid_argument);
  EXPECT_NE(message_of(read).find("clash.txt: disagrees with an earlier file"), std::string::npos)
      << message_of(read);
  EXPECT_REFUSED(read_calendar_files({}), invalid_argument);
  const auto missing = read_calendar_files({directory.path() / "none.json"});
  EXPECT_REFUSED(missing, invalid_argument);
  EXPECT_NE(message_of(missing).find("none.json: cannot be read"), std::string::npos);
}

}  // namespace
}  // namespace highseas::calendar

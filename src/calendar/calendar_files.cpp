// The calendar file readers (highseas/calendar/calendar_files.hpp).
#include "highseas/calendar/calendar_files.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace highseas::calendar {

namespace {

Refusal bad(const std::string& where, const std::string& problem) {
  return refuse(RefusalCode::invalid_argument, where + ": " + problem);
}

// Parses exactly "YYYY-MM-DD" into a valid date.
std::optional<LocalDate> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + at;
    const auto [end, error] = std::from_chars(first, first + length, value);
    if (error != std::errc() || end != first + length) return std::nullopt;
    return value;
  };
  const auto year = number(0, 4);
  const auto month = number(5, 2);
  const auto day = number(8, 2);
  if (!year || !month || !day) return std::nullopt;
  try {
    return LocalDate(static_cast<unsigned short>(*year), static_cast<unsigned short>(*month),
                     static_cast<unsigned short>(*day));
  } catch (const std::out_of_range&) {  // Boost's bad_year, bad_month, bad_day_of_month
    return std::nullopt;
  }
}

// Adds `day`, naming `where` in a refusal.
Result<Done> add_day(WorkCalendar& calendar, const CalendarDay& day, const std::string& where) {
  auto added = calendar.add(day);
  if (!added) return bad(where, added.refusal().message);
  return Done{};
}

}  // namespace

Result<WorkCalendar> read_holiday_cn_json(std::string_view text, const std::string& source) {
  const nlohmann::json document = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return bad(source, "not JSON");
  if (!document.is_object()) return bad(source, "not a holiday-cn object");
  const auto year = document.find("year");
  if (year == document.end() || !year->is_number_integer()) {
    return bad(source, "no integer \"year\"");
  }
  WorkCalendar calendar;
  if (auto added = calendar.add_year(year->get<int>()); !added) {
    return bad(source, added.refusal().message);
  }
  const auto days = document.find("days");
  if (days == document.end() || !days->is_array()) return bad(source, "no \"days\" array");
  for (std::size_t index = 0; index < days->size(); ++index) {
    const nlohmann::json& entry = (*days)[index];
    const std::string where = source + " days[" + std::to_string(index) + "]";
    if (!entry.is_object()) return bad(where, "not an object");
    const auto date = entry.find("date");
    const auto off = entry.find("isOffDay");
    const auto name = entry.find("name");
    std::optional<LocalDate> parsed;
    if (date != entry.end() && date->is_string()) parsed = parse_date(date->get<std::string>());
    if (!parsed) return bad(where, "\"date\" must be a date written YYYY-MM-DD");
    if (off == entry.end() || !off->is_boolean())
      return bad(where, "\"isOffDay\" must be true or false");
    if (name != entry.end() && !name->is_string()) return bad(where, "\"name\" must be a string");
    const CalendarDay day{*parsed, off->get<bool>() ? DayKind::off : DayKind::work,
                          name != entry.end() ? name->get<std::string>() : std::string()};
    if (auto added = add_day(calendar, day, where); !added) return added.refusal();
  }
  return calendar;
}

Result<WorkCalendar> read_day_lines(std::string_view text, const std::string& source) {
  WorkCalendar calendar;
  std::set<int> declared;
  std::set<int> dated;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (std::size_t number = 1; std::getline(lines, line); ++number) {
    const std::string where = source + ":" + std::to_string(number);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 BOM
    std::istringstream words(line);
    std::string first;
    std::string kind;
    if (!(words >> first) || first.front() == '#') continue;
    if (first == "year") {
      int year = 0;
      std::string rest;
      if (!(words >> year) || (words >> rest)) return bad(where, "write a year line as: year YYYY");
      if (auto added = calendar.add_year(year); !added) return bad(where, added.refusal().message);
      declared.insert(year);
      continue;
    }
    const std::optional<LocalDate> date = parse_date(first);
    if (!date) return bad(where, "expected YYYY-MM-DD off|work [name], got '" + line + "'");
    if (!(words >> kind) || (kind != "off" && kind != "work")) {
      return bad(where, "after the date write off or work");
    }
    std::string name;
    std::getline(words >> std::ws, name);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.pop_back();
    const CalendarDay day{*date, kind == "off" ? DayKind::off : DayKind::work, name};
    if (auto added = add_day(calendar, day, where); !added) return added.refusal();
    dated.insert(date->year());
  }
  if (declared.empty()) {
    for (const int year : dated) (void)calendar.add_year(year);  // in range: add() checked
  }
  return calendar;
}

Result<WorkCalendar> read_calendar_files(const std::vector<std::filesystem::path>& files) {
  if (files.empty()) return refuse(RefusalCode::invalid_argument, "no calendar file given");
  WorkCalendar merged;
  for (const std::filesystem::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    if (in) text << in.rdbuf();
    if (!in || in.bad()) return bad(file.string(), "cannot be read");
    const bool json = file.extension() == ".json";
    auto read = json ? read_holiday_cn_json(text.str(), file.string())
                     : read_day_lines(text.str(), file.string());
    if (!read) return read.refusal();
    if (auto added = merged.merge(*read); !added) {
      return bad(file.string(), "disagrees with an earlier file: " + added.refusal().message);
    }
  }
  return merged;
}

}  // namespace highseas::calendar

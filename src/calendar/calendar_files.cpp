// The calendar file readers (highseas/calendar/calendar_files.hpp).
#include "highseas/calendar/calendar_files.hpp"

#include <boost/date_time/gregorian/gregorian.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace highseas::calendar {

namespace {

Refusal bad(const std::string& where, const std::string& problem) {
  return refuse(RefusalCode::invalid_argument, where + ": " + problem);
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
    if (date != entry.end() && date->is_string())
      parsed = parse_local_date(date->get<std::string>());
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
    if (!(words >> first) || first.front() == '#') continue;
    if (first == "year") {
      int year = 0;
      std::string rest;
      if (!(words >> year) || (words >> rest)) return bad(where, "write a year line as: year YYYY");
      if (auto added = calendar.add_year(year); !added) return bad(where, added.refusal().message);
      declared.insert(year);
      continue;
    }
    const std::optional<CalendarDay> day = parse_calendar_day(line);
    if (!day && parse_local_date(first)) return bad(where, "after the date write off or work");
    if (!day) return bad(where, "expected YYYY-MM-DD off|work [name], got '" + line + "'");
    if (auto added = add_day(calendar, *day, where); !added) return added.refusal();
    dated.insert(day->date.year());
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

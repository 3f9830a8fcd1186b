// calendar, calendar import, calendar show: the pool's work calendar. The
// boss imports holiday files (holiday-cn JSON, or the line format); everyone
// may read it.
#include <array>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <cctype>
#include <filesystem>
#include <highseas/calendar/calendar_files.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "format.hpp"
#include "policy_flags.hpp"

namespace highseas::cli {

namespace {

constexpr std::array<const char*, 7> kWeekdayNames{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

// Reads "sat,sun" or "Friday,Saturday" (any case, a name or its first three
// letters) as a weekend mask; throws UsageError otherwise.
WorkCalendar::Weekdays parse_weekend(const std::string& text) {
  WorkCalendar::Weekdays mask = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    std::string word = text.substr(start, comma - start);
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool found = false;
    for (std::size_t day = 0; day < kWeekdayNames.size(); ++day) {
      std::string name = kWeekdayNames[day];
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (word.size() >= 3 && name.rfind(word, 0) == 0) {
        mask = static_cast<WorkCalendar::Weekdays>(mask | (1U << day));
        found = true;
      }
    }
    if (!found) {
      throw UsageError{"--weekend must list weekdays, e.g. sat,sun or fri,sat; not '" + word + "'"};
    }
    start = comma + 1;
  }
  return mask;
}

// Monday first, as a work week reads: "Saturday, Sunday".
std::string weekend_text(WorkCalendar::Weekdays mask) {
  std::string text;
  for (std::size_t shifted = 1; shifted <= kWeekdayNames.size(); ++shifted) {
    const std::size_t day = shifted % kWeekdayNames.size();
    if ((mask & (1U << day)) == 0) continue;
    if (!text.empty()) text += ", ";
    text += kWeekdayNames[day];
  }
  return text.empty() ? "none" : text;
}

std::string years_text(const WorkCalendar& calendar) {
  std::string text;
  for (const int year : calendar.years()) text += (text.empty() ? "" : " ") + std::to_string(year);
  return text.empty() ? "none" : text;
}

// Whether the calendar covers the business days the policy counts in the
// next 60 days: holidays are announced late, so the boss hears it in time.
nlohmann::json outlook_json(const CalendarOutlook& outlook) {
  return {{"counts_business_days", outlook.counts_business_days},
          {"unknown_years", std::string(to_string(outlook.unknown_years))},
          {"runs_out_at", outlook.runs_out_at ? nlohmann::json(to_iso8601(*outlook.runs_out_at))
                                              : nlohmann::json()},
          {"unknown_year",
           outlook.unknown_year ? nlohmann::json(*outlook.unknown_year) : nlohmann::json()}};
}

void print_outlook(std::ostream& out, const CalendarOutlook& outlook) {
  if (!outlook.counts_business_days) return;
  if (!outlook.runs_out_at) {
    out << "covers every business day the policy counts in the next 60 days\n";
    return;
  }
  const std::string year = std::to_string(*outlook.unknown_year);
  out << "warning: from " << time_text(*outlook.runs_out_at)
      << " the policy's business days run into " << year << ", which this calendar does not know: "
      << (outlook.unknown_years == UnknownYears::refuse
              ? "claims and protections that count into it are refused"
              : "that year counts weekends only")
      << "; import " << year << "'s holidays (calendar import FILE)\n";
}

int show(Session& session, const CalendarVersion& current, std::optional<int> year) {
  auto outlook = session.pool().calendar_outlook();
  if (!outlook) return session.refused(outlook.refusal());
  const WorkCalendar& calendar = current.calendar;
  std::vector<const CalendarDay*> days;
  for (const auto& [date, day] : calendar.days()) {
    if (!year || date.year() == *year) days.push_back(&day);
  }
  if (session.json) {
    nlohmann::json listed = nlohmann::json::array();
    for (const CalendarDay* day : days) {
      listed.push_back({{"date", boost::gregorian::to_iso_extended_string(day->date)},
                        {"kind", std::string(to_string(day->kind))},
                        {"name", day->name}});
    }
    return session.print_json(
        {{"version", current.version},
         {"since", to_iso8601(current.since)},
         {"by", current.version == 0 ? nlohmann::json() : nlohmann::json(current.by.str())},
         {"weekend", weekend_text(calendar.weekend())},
         {"years", calendar.years()},
         {"days", listed},
         {"outlook", outlook_json(*outlook)}});
  }
  std::ostream& out = session.out();
  if (current.version == 0) {
    out << "no work calendar set: Saturday and Sunday off, no holidays\n";
    print_outlook(out, *outlook);
    return kExitOk;
  }
  out << "work calendar version " << current.version << ", set by " << current.by.str() << " at "
      << time_text(current.since) << "\n"
      << "weekend: " << weekend_text(calendar.weekend()) << "\n"
      << "complete for: " << years_text(calendar) << "\n";
  print_outlook(out, *outlook);
  Table table({"date", "weekday", "day", "name"});
  for (const CalendarDay* day : days) {
    table.add({boost::gregorian::to_iso_extended_string(day->date),
               kWeekdayNames[day->date.day_of_week().as_number()],
               day->kind == DayKind::off ? "off" : "work", day->name});
  }
  table.print(out);
  return kExitOk;
}

struct ImportOptions {
  std::vector<std::string> files;
  bool replace = false;
  std::string weekend;
  RunningFlag running;  // what the new calendar does to running holdings
};

// Reads the files (all or nothing), merges them into the pool's calendar (or
// replaces it) and sets the result as a new version.
int import(Session& session, const ImportOptions& options) {
  const UserId actor = session.actor();
  std::vector<std::filesystem::path> paths(options.files.begin(), options.files.end());
  auto read = calendar::read_calendar_files(paths);
  if (!read) return session.refused(read.refusal());
  auto current = session.pool().calendar(actor);
  if (!current) return session.refused(current.refusal());
  WorkCalendar next = options.replace ? WorkCalendar() : current->calendar;
  if (auto merged = next.merge(*read); !merged) return session.refused(merged.refusal());
  const WorkCalendar::Weekdays weekend =
      options.weekend.empty() ? current->calendar.weekend() : parse_weekend(options.weekend);
  if (auto set = next.set_weekend(weekend); !set) return session.refused(set.refusal());
  auto stored = session.pool().set_calendar(actor, next, options.running.value());
  if (!stored) return session.refused(stored.refusal());
  std::size_t off = 0;
  for (const auto& [date, day] : next.days()) off += day.kind == DayKind::off ? 1 : 0;
  const std::size_t work = next.days().size() - off;
  return done(session,
              "work calendar version " + std::to_string(stored->version) + ": " +
                  std::to_string(off) + " days off, " + std::to_string(work) +
                  " make-up working days, complete for " + years_text(next),
              {{"version", stored->version},
               {"days_off", off},
               {"working_days", work},
               {"years", next.years()}});
}

}  // namespace

void add_calendar_commands(CLI::App& app, Session& session, Action& action) {
  CLI::App* calendar = app.add_subcommand(
      "calendar", "show the pool's work calendar: weekend, holidays, make-up days (as `show`)");
  auto shown_year = std::make_shared<std::optional<int>>();
  auto year_option = [](CLI::App* command, std::optional<int>& year) {
    command->add_option("--year", year, "only this year's days");
  };
  year_option(calendar, *shown_year);

  CLI::App* import_command = calendar->add_subcommand(
      "import", "add holiday files to the pool's work calendar as a new version (boss)");
  auto options = std::make_shared<ImportOptions>();
  import_command
      ->add_option("FILE", options->files,
                   "holiday-cn JSON (e.g. 2025.json) or lines 'YYYY-MM-DD off|work [name]'")
      ->required();
  import_command->add_flag("--replace", options->replace,
                           "replace the calendar's days and years instead of adding to them");
  import_command->add_option("--weekend", options->weekend,
                             "the days off each week, e.g. sat,sun (default: as it is)");
  options->running.add_to(import_command);
  import_command->callback([&session, &action, options] {
    action = [&session, options] { return import(session, *options); };
  });

  CLI::App* show_command = calendar->add_subcommand("show", "show the pool's work calendar");
  auto show_year = std::make_shared<std::optional<int>>();
  year_option(show_command, *show_year);
  show_command->callback([&session, &action, show_year] {
    action = [&session, show_year] {
      auto current = session.pool().calendar(session.actor());
      if (!current) return session.refused(current.refusal());
      return show(session, *current, *show_year);
    };
  });

  calendar->callback([&session, &action, calendar, shown_year] {
    if (!calendar->get_subcommands().empty()) return;  // import or show chose the action
    action = [&session, shown_year] {
      auto current = session.pool().calendar(session.actor());
      if (!current) return session.refused(current.refusal());
      return show(session, *current, *shown_year);
    };
  });
}

}  // namespace highseas::cli

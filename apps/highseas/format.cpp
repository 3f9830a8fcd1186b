// Tables, time left, durations and JSON for the CLI.
#include "format.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/date_time/posix_time/posix_time.hpp>
#include <charconv>
#include <cstdio>

namespace highseas::cli {

namespace {

// The zone text output shows times in (none: UTC).
std::optional<TimeZone>& shown_zone() {
  static std::optional<TimeZone> zone;
  return zone;
}

}  // namespace

void show_times_in(std::optional<TimeZone> zone) { shown_zone() = std::move(zone); }

std::string time_text(Time at) {
  const std::optional<TimeZone>& zone = shown_zone();
  if (at.is_special() || !zone || zone->name() == "UTC") return to_iso8601(at);
  const Duration offset = zone->offset_at(at);
  std::string local = to_iso8601(at + offset);
  if (!local.empty() && local.back() == 'Z') local.pop_back();
  const std::int64_t minutes = offset.total_seconds() / 60;
  const std::int64_t size = minutes < 0 ? -minutes : minutes;
  auto two_digits = [](std::int64_t value) {
    return std::string(1, static_cast<char>('0' + value / 10)) +
           static_cast<char>('0' + value % 10);
  };
  return local + (minutes < 0 ? "-" : "+") + two_digits(size / 60) + ":" + two_digits(size % 60);
}

namespace {

nlohmann::json user_or_null(const std::optional<UserId>& user) {
  return user ? nlohmann::json(user->str()) : nlohmann::json(nullptr);
}

nlohmann::json time_or_null(Time at) {
  return at.is_special() ? nlohmann::json(nullptr) : nlohmann::json(to_iso8601(at));
}

}  // namespace

std::size_t display_width(std::string_view text) {
  // utf8proc's tables (Unicode's East Asian Width and general categories):
  // combining marks take 0 columns, CJK, full-width forms and emoji 2.
  std::size_t width = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    utf8proc_int32_t code_point = 0;
    const utf8proc_ssize_t length =
        utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(text.size() - i), &code_point);
    if (length <= 0) {  // not UTF-8: one column per byte, as a terminal shows a replacement
      ++width;
      ++i;
      continue;
    }
    i += static_cast<std::size_t>(length);
    width += static_cast<std::size_t>(std::max(utf8proc_charwidth(code_point), 0));
  }
  return width;
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> widths(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], display_width(row[i]));
    }
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  auto line = [&](const std::vector<std::string>& row) {
    std::string text;
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text += std::string(widths[i] - display_width(row[i]) + 2, ' ');
    }
    // Empty last cells would leave padding at the end of the line.
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << "\n";
  };
  line(header_);
  for (const auto& row : rows_) line(row);
}

std::string time_left_text(const CustomerView& view) {
  if (view.state != CustomerState::held) return "";
  return time_left_text(view.time_left, view.paused);
}

std::string deadline_text(const CustomerView& view) {
  if (view.state != CustomerState::held) return "";
  if (view.paused) return "paused: moves when the pool is switched on";
  return time_text(view.deadline) + (rules::is_urgent(view) ? "  (!)" : "");
}

std::string time_left_text(const std::optional<Duration>& time_left, bool paused) {
  if (!time_left) return "";
  const std::string left = format_time_left(*time_left);
  const std::string text = left == "overdue" ? left : left + " left";
  return paused ? "paused, " + text : text;
}

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  char unit = 'd';
  if (std::string_view("dhms").find(text.back()) != std::string_view::npos) {
    unit = text.back();
    text.remove_suffix(1);
  }
  std::int64_t count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size() || count < 0 ||
      count > 3653LL * 24 * 3600) {
    return std::nullopt;
  }
  switch (unit) {
    case 'd':
      return days(count);
    case 'h':
      return hours(count);
    case 'm':
      return minutes(count);
    default:
      return seconds(count);
  }
}

std::string duration_text(Duration duration) {
  const std::int64_t total = duration.total_seconds();
  if (total % 86400 == 0) return std::to_string(total / 86400) + "d";
  if (total % 3600 == 0) return std::to_string(total / 3600) + "h";
  if (total % 60 == 0) return std::to_string(total / 60) + "m";
  return std::to_string(total) + "s";
}

std::string reminders_text(const std::vector<Reminder>& reminders) {
  std::string text;
  for (const Reminder& reminder : reminders) {
    if (!text.empty()) text += ", ";
    text += to_string(reminder);
  }
  return text.empty() ? "none" : text;
}

std::optional<Time> parse_time(std::string_view text) {
  std::string value(text);
  if (!value.empty() && value.back() == 'Z') value.pop_back();
  if (value.size() == 10) value += "T00:00:00";
  try {
    const Time at = boost::posix_time::from_iso_extended_string(value);
    if (at.is_special()) return std::nullopt;
    return at;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

nlohmann::json to_json(const CustomerView& view) {
  nlohmann::json out{
      {"id", view.profile.id.str()},
      {"name", view.profile.name},
      {"country", view.profile.country},
      {"level", view.profile.level},
      {"tags", view.profile.tags},
      {"state", std::string(to_string(view.state))},
      {"holder", user_or_null(view.holder)},
      {"since", time_or_null(view.since)},
      {"deadline", time_or_null(view.deadline)},
      {"deadline_reason", view.deadline_reason
                              ? nlohmann::json(std::string(to_string(*view.deadline_reason)))
                              : nlohmann::json(nullptr)},
      {"time_left_seconds",
       view.time_left ? nlohmann::json(view.time_left->total_seconds()) : nlohmann::json(nullptr)},
      {"time_left", time_left_text(view)},
      {"urgent", rules::is_urgent(view)},
      {"extensions_used", view.extensions_used},
      {"extensions_left", view.extensions_left},
      {"reminders_sent", view.reminders_sent},
      {"last_follow_up", time_or_null(view.last_follow_up)},
      {"paused", view.paused},
  };
  return out;
}

nlohmann::json to_json(const SweepReport& report) {
  nlohmann::json returned = nlohmann::json::array();
  for (const ReturnedHolding& r : report.returned) {
    returned.push_back({{"customer", r.customer.str()},
                        {"previous_holder", r.previous_holder.str()},
                        {"deadline", to_iso8601(r.deadline)}});
  }
  nlohmann::json reminded = nlohmann::json::array();
  for (const SentReminder& r : report.reminded) {
    nlohmann::json audience = nlohmann::json::array();
    for (const UserId& user : r.audience) audience.push_back(user.str());
    reminded.push_back({{"customer", r.customer.str()},
                        {"holder", r.holder.str()},
                        {"deadline", to_iso8601(r.deadline)},
                        {"time_left_seconds", r.time_left.total_seconds()},
                        {"before", to_string(r.reminder.before)},
                        {"to", std::string(to_string(r.reminder.audience))},
                        {"audience", audience}});
  }
  return {{"ok", true}, {"paused", report.paused}, {"returned", returned}, {"reminded", reminded}};
}

nlohmann::json to_json(const Holding& holding) {
  return {{"customer", holding.customer.str()},
          {"holder", holding.holder.str()},
          {"since", to_iso8601(holding.since)},
          {"deadline", to_iso8601(holding.deadline)},
          {"extensions_used", holding.extensions_used}};
}

nlohmann::json to_json(const HistoryEntry& entry) {
  return {
      {"at", to_iso8601(entry.at)},
      {"kind", std::string(to_string(entry.kind))},
      {"actor", user_or_null(entry.actor)},
      {"holder_before", user_or_null(entry.holder_before)},
      {"holder_after", user_or_null(entry.holder_after)},
      {"deadline", time_or_null(entry.deadline)},
      {"win", entry.win ? nlohmann::json(std::string(to_string(*entry.win))) : nlohmann::json()},
      {"deadline_reason", entry.deadline_reason
                              ? nlohmann::json(std::string(to_string(*entry.deadline_reason)))
                              : nlohmann::json()},
      {"note", entry.note}};
}

nlohmann::json to_json(const ClaimPolicy& policy) {
  return {{"holding_period", to_string(policy.default_rule.holding_period)},
          {"idle_limit", policy.default_rule.idle_limit
                             ? nlohmann::json(to_string(*policy.default_rule.idle_limit))
                             : nlohmann::json()},
          {"reminders", to_string(policy.default_rule.reminders)},
          {"levels", to_string(policy.levels)},
          {"protection",
           {{"max_per_user", policy.protection.max_per_user},
            {"longest", to_string(policy.protection.longest)}}},
          {"max_holdings", policy.max_holdings},
          {"extension", to_string(policy.extension)},
          {"max_extensions", policy.max_extensions},
          {"reclaim_cooldown", duration_text(policy.reclaim_cooldown)},
          {"release_cooldown", duration_text(policy.release_cooldown)},
          {"daily_limit", to_string(policy.daily_limit)},
          {"time_zone", policy.time_zone},
          {"unknown_years", std::string(to_string(policy.unknown_years))}};
}

nlohmann::json to_json(const Collision& collision) {
  return {{"existing", collision.existing.str()},
          {"by_name", collision.by_name},
          {"state", std::string(to_string(collision.state))},
          {"holder", user_or_null(collision.holder)},
          {"deadline", time_or_null(collision.deadline)}};
}

}  // namespace highseas::cli

namespace highseas::cli {

namespace {

std::string clock_words(DeadlineReason clock) {
  switch (clock) {
    case DeadlineReason::period:
      return "holding period";
    case DeadlineReason::idle:
      return "no follow-up";
    case DeadlineReason::protection_ended:
      return "protection ends";
  }
  return "?";
}

nlohmann::json skipped_json(const std::vector<SkippedDay>& skipped) {
  nlohmann::json days = nlohmann::json::array();
  for (const SkippedDay& day : skipped) {
    days.push_back(
        {{"date", boost::gregorian::to_iso_extended_string(day.date)}, {"why", day.why}});
  }
  return days;
}

// The days a count skipped, in runs of the same reason: "2025-01-25
// Saturday, 2025-01-28..2025-02-04 春节".
std::string skipped_text(const std::vector<SkippedDay>& skipped) {
  std::string text;
  for (std::size_t first = 0; first < skipped.size();) {
    std::size_t last = first;
    while (last + 1 < skipped.size() && skipped[last + 1].why == skipped[first].why &&
           skipped[last + 1].date == skipped[last].date + boost::gregorian::days(1)) {
      ++last;
    }
    if (!text.empty()) text += ", ";
    text += boost::gregorian::to_iso_extended_string(skipped[first].date);
    if (last > first) text += ".." + boost::gregorian::to_iso_extended_string(skipped[last].date);
    text += " " + skipped[first].why;
    first = last + 1;
  }
  return text;
}

}  // namespace

nlohmann::json to_json(const Explanation& explanation) {
  nlohmann::json clocks = nlohmann::json::array();
  for (const HoldingClock& clock : explanation.clocks) {
    clocks.push_back(
        {{"clock", std::string(to_string(clock.clock))},
         {"ends_at", time_or_null(clock.ends_at)},
         {"counts_from", time_or_null(clock.counts_from)},
         {"length", clock.length ? nlohmann::json(to_string(*clock.length)) : nlohmann::json()},
         {"extensions", clock.extensions},
         {"skipped", skipped_json(clock.skipped)},
         {"unknown_year",
          clock.unknown_year ? nlohmann::json(*clock.unknown_year) : nlohmann::json()}});
  }
  auto maybe = [](const std::optional<Time>& at) {
    return at ? nlohmann::json(to_iso8601(*at)) : nlohmann::json();
  };
  return {{"customer", explanation.customer.str()},
          {"holder", explanation.holder.str()},
          {"deadline", to_iso8601(explanation.deadline)},
          {"time_zone", explanation.time_zone},
          {"local_deadline", explanation.local_deadline},
          {"reason", std::string(to_string(explanation.reason))},
          {"clocks", clocks},
          {"policy_version", explanation.policy_version},
          {"paused", explanation.paused},
          {"after_follow_up", maybe(explanation.after_follow_up)},
          {"after_extension", maybe(explanation.after_extension)},
          {"after_protection", maybe(explanation.after_protection)}};
}

void print_explanation(std::ostream& out, const Explanation& explanation) {
  out << explanation.customer.str() << " held by " << explanation.holder.str() << " returns at "
      << time_text(explanation.deadline) << ": " << clock_words(explanation.reason)
      << (explanation.paused ? " (the pool is off: every clock stands still)" : "") << "\n";
  Table table({"clock", "ends at", "counts from", "rule"});
  for (const HoldingClock& clock : explanation.clocks) {
    std::string rule;
    if (clock.length) rule = to_string(*clock.length);
    if (clock.clock == DeadlineReason::period && clock.extensions > 0) {
      rule = std::to_string(clock.extensions) +
             (clock.extensions == 1 ? " extension included" : " extensions included");
    }
    table.add({clock_words(clock.clock), time_text(clock.ends_at),
               clock.counts_from.is_special() ? "" : time_text(clock.counts_from), rule});
  }
  table.print(out);
  for (const HoldingClock& clock : explanation.clocks) {
    if (!clock.skipped.empty()) {
      out << clock_words(clock.clock) << " skips " << clock.skipped.size()
          << (clock.skipped.size() == 1 ? " day off: " : " days off: ")
          << skipped_text(clock.skipped) << "\n";
    }
    if (clock.unknown_year) {
      out << clock_words(clock.clock) << " runs into " << *clock.unknown_year
          << ", a year the work calendar does not know: only weekends were skipped there\n";
    }
  }
  auto what_if = [&](const char* what, const std::optional<Time>& at) {
    if (at) out << what << time_text(*at) << "\n";
  };
  what_if("a follow-up now moves it to ", explanation.after_follow_up);
  what_if("one more extension moves it to ", explanation.after_extension);
  what_if("protecting it now moves it to ", explanation.after_protection);
}

}  // namespace highseas::cli

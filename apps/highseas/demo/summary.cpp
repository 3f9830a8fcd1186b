// The demo's readable summary: the rules, the imports, each rep's quarter,
// and the pool over time. Deterministic text: tests compare it byte for byte.
#include <array>
#include <cstdio>
#include <sstream>

#include "demo.hpp"

namespace highseas::demo {

namespace {

std::string fixed(double value, int decimals) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.*f", decimals, value);
  return text.data();
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string pad_right(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// Percent of the customers taken (claimed or assigned) that were won, as the chart shows it.
std::string won_share(const RepStats& s) {
  const std::size_t taken = s.claimed + s.assigned;
  return taken == 0 ? "-" : std::to_string((s.won * 100 + taken / 2) / taken) + "%";
}

std::string days_of(Duration duration) { return std::to_string(duration.hours() / 24) + "d"; }

// "10 working days" or "14d".
std::string span_of(const Span& span) {
  if (span.unit() == Span::Unit::business_days)
    return std::to_string(span.days()) + " working days";
  return days_of(span.length());
}

}  // namespace

std::string summary_text(const DemoResult& result) {
  std::ostringstream out;
  const ClaimPolicy& policy = result.policy;
  out << "HighSeas demo: " << result.options.days
      << " days of a foreign-trade team's customer public pool (客户公海), seed "
      << result.options.seed << "\n";
  out << "Team: a boss, an admin and " << result.team.size() << " reps. Rules: hold "
      << span_of(policy.default_rule.holding_period) << " (" << policy.time_zone
      << ", Chinese public holidays) to win, at most " << policy.max_holdings << " each, "
      << policy.max_extensions << " extension of " << span_of(policy.extension) << ", cooldown "
      << days_of(policy.reclaim_cooldown) << " after a loss.\n\n";

  out << "Imports (CSV, header 编号,客户名称,国家,客户级别,标签):\n";
  for (const ImportSummary& import : result.imports) {
    out << "  day " << pad_left(std::to_string(import.day), 2) << ": " << import.imported << " of "
        << import.rows << " rows imported";
    if (import.collisions > 0) {
      out << "; " << import.collisions << " collided with known customers (撞单), "
          << import.collisions_held << " of them held by a rep";
    }
    if (import.duplicates_in_file > 0) {
      out << "; " << import.duplicates_in_file << " repeated within the file";
    }
    out << "\n";
  }

  out << "\nPer rep over the quarter:\n";
  const std::vector<std::string> header{"rep",      "skill",    "claimed",  "assigned",
                                        "won",      "returned", "released", "extended",
                                        "cooldown", "held now", "won %"};
  out << "  " << pad_right(header[0], 14);
  for (std::size_t i = 1; i < header.size(); ++i) out << pad_left(header[i], 9);
  out << "\n";
  RepStats total;
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    const RepStats& s = result.stats[r];
    const std::vector<std::size_t> numbers{s.claimed,           s.assigned, s.won,
                                           s.returned,          s.released, s.extended,
                                           s.cooldown_refusals, s.held_now};
    out << "  " << pad_right(result.team[r].user.str(), 14)
        << pad_left(fixed(result.team[r].skill, 2), 9);
    for (const std::size_t n : numbers) out << pad_left(std::to_string(n), 9);
    out << pad_left(won_share(s), 9) << "\n";
    total.claimed += s.claimed;
    total.assigned += s.assigned;
    total.won += s.won;
    total.returned += s.returned;
    total.released += s.released;
    total.extended += s.extended;
    total.cooldown_refusals += s.cooldown_refusals;
    total.held_now += s.held_now;
  }
  out << "  " << pad_right("all reps", 14) << pad_left("", 9);
  for (const std::size_t n :
       {total.claimed, total.assigned, total.won, total.returned, total.released, total.extended,
        total.cooldown_refusals, total.held_now}) {
    out << pad_left(std::to_string(n), 9);
  }
  out << pad_left(won_share(total), 9)
      << "\n  (returned: lost to the deadline by the nightly sweep; cooldown: tries to re-take a "
         "lost customer, refused; won %: of the customers taken)\n";

  const std::size_t returns = total.returned;
  out << "\nReminders: " << result.reminders_sent
      << " sent (3 working days before the deadline to the rep, 1 day before to the rep and the "
         "admin); "
      << result.returns_warned << " of the " << returns << " returns ("
      << (returns == 0 ? std::string("-")
                       : fixed(100.0 * static_cast<double>(result.returns_warned) /
                                   static_cast<double>(returns),
                               0) +
                             "%")
      << ") came after at least one; " << result.wins_after_warning
      << " warned holdings were won after all.\n";

  out << "\nThe pool over the quarter:\n";
  out << "  " << pad_left("day", 4) << pad_left("available", 11) << pad_left("held", 7)
      << pad_left("won", 7) << "\n";
  for (const DaySnapshot& day : result.days) {
    if (day.day % 10 != 0 && day.day != result.options.days) continue;
    out << "  " << pad_left(std::to_string(day.day), 4)
        << pad_left(std::to_string(day.available), 11) << pad_left(std::to_string(day.held), 7)
        << pad_left(std::to_string(day.won), 7) << "\n";
  }
  return out.str();
}

}  // namespace highseas::demo

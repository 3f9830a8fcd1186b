// How the CLI shows things: aligned tables (CJK-aware), time left, JSON
// documents, and the duration/time syntax of its options.
#pragma once

#include <highseas/highseas.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace highseas::cli {

// A plain text table: columns padded to the widest cell, in terminal columns.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  // Adds one row; REQUIRES: as many cells as the header.
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // Returns true iff no row was added.
  bool empty() const { return rows_.empty(); }
  // Writes the table, header first.
  void print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Returns how many terminal columns `text` takes: CJK, full-width forms and
// emoji 2, combining marks 0 (utf8proc's Unicode tables).
std::size_t display_width(std::string_view text);

// Returns "3d 4h left", "overdue", or "paused, 3d 4h left"; "" if not held.
std::string time_left_text(const CustomerView& view);
// Returns a held customer's deadline for people: "2026-03-12T09:00:00Z", with
// "  (!)" when urgent; while the pool is off, the stored deadline means
// nothing (it moves when the pool is switched on), so "paused: moves when the
// pool is switched on" instead; "" if not held. For `show`.
std::string deadline_text(const CustomerView& view);
// The same for a bare time left, e.g. a member's next deadline in a summary.
std::string time_left_text(const std::optional<Duration>& time_left, bool paused);

// Makes time_text show times in `zone` (none: UTC). A run shows one pool's
// times, in its zone: Session sets it once it has read the pool.
void show_times_in(std::optional<TimeZone> zone);
// Returns `at` as ISO 8601 in the zone show_times_in set, with its offset:
// "2025-02-14T00:00:00+08:00", or "2025-02-13T16:00:00Z" in UTC. For text
// output; JSON keeps UTC, which scripts compare without a tz database.
std::string time_text(Time at);

// Parses "30d", "12h", "45m", "90s" (or a bare number of days).
std::optional<Duration> parse_duration(std::string_view text);
// Returns "30d", "12h"... the inverse of parse_duration for whole units.
std::string duration_text(Duration duration);
// Returns reminders as --remind takes them ("7d:holder, 3d:admins"), or "none".
std::string reminders_text(const std::vector<Reminder>& reminders);
// Parses "2026-03-02T09:00:00Z" (the Z and the time part are optional).
std::optional<Time> parse_time(std::string_view text);

// JSON forms of the library's values, with stable field names.
nlohmann::json to_json(const CustomerView& view);
nlohmann::json to_json(const Holding& holding);
// A sweep's report: {"ok", "paused", "returned": [...], "reminded": [...]}.
nlohmann::json to_json(const SweepReport& report);
nlohmann::json to_json(const HistoryEntry& entry);
nlohmann::json to_json(const ClaimPolicy& policy);
nlohmann::json to_json(const Collision& collision);
nlohmann::json to_json(const Explanation& explanation);

// Prints an explanation as a rep reads it: the deadline and why, each clock,
// and what a follow-up, an extension or a protection now would give.
void print_explanation(std::ostream& out, const Explanation& explanation);

}  // namespace highseas::cli

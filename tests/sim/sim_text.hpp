// Text helpers the simulation's checks share: printable ids and values in
// failure messages, and field-by-field comparisons that name the first
// difference. Internal to tests/sim.
#pragma once

#include <highseas/highseas.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model.hpp"

namespace highseas::sim {

// Makes bytes printable in failure messages (quoted, cut at 40 characters).
std::string escape(std::string_view text);

template <class Tag>
std::string escape(const BasicId<Tag>& id) {
  return escape(id.str());
}

// Shows an optional id, or "-".
template <class T>
std::string show(const std::optional<T>& value) {
  return value ? escape(*value) : "-";
}

// Shows a refusal code, or "ok".
std::string show(const std::optional<RefusalCode>& code);
// Shows a deadline reason, or "-".
std::string show(const std::optional<DeadlineReason>& reason);
// Shows a time as ISO 8601.
std::string show(Time at);
// Shows one history entry on one line.
std::string show(const HistoryEntry& entry);
// Shows a role, or "-".
std::string role_or_dash(const std::optional<Role>& role);
// Shows a user's daily tally as stored ("2026-01-05 claims 2 assignments 1
// A:1/0"), and the model's in the same form, to compare them.
std::string show(const DailyTakes& takes);
std::string show(const Model::DayTally& tally);

// Compares one view field by field; returns the first difference, or "".
std::string compare_view(const CustomerView& engine, const CustomerView& model);
// Compares two stored records field by field, the clocks queries do not show
// (period_length, idle_limit, ...) and the reminders' state (reminders,
// reminders_sent, reminder_due) included; returns the first difference, or "".
std::string compare_record(const CustomerRecord& engine, const CustomerRecord& model);
// Compares two histories entry by entry; returns the first difference, or "".
std::string compare_history(const std::vector<HistoryEntry>& engine,
                            const std::vector<HistoryEntry>& model);
// Returns a member the snapshot may query as: the first boss.
std::optional<UserId> some_boss(const Model& model);

}  // namespace highseas::sim

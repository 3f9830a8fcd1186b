// The text helpers declared in sim_text.hpp.
#include "sim_text.hpp"

#include <algorithm>
#include <boost/date_time/gregorian/formatters.hpp>
#include <boost/date_time/posix_time/time_formatters.hpp>
#include <cstdio>
#include <sstream>

namespace highseas::sim {

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F) {
      static const char* const kHex = "0123456789abcdef";
      out += "\\x";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0xFU];
    } else {
      out += c;
    }
  }
  if (out.size() > 40) out = out.substr(0, 37) + "...";
  return "'" + out + "'";
}

std::string show(const std::optional<RefusalCode>& code) {
  return code ? std::string(to_string(*code)) : "ok";
}

std::string show(Time at) { return to_iso8601(at); }

std::string show(const std::optional<DeadlineReason>& reason) {
  return reason ? std::string(to_string(*reason)) : "-";
}

std::string role_or_dash(const std::optional<Role>& role) {
  return role ? std::string(to_string(*role)) : "-";
}

std::string show(const DailyTakes& takes) {
  std::string text = takes.day.is_special() ? std::string("no day")
                                            : boost::gregorian::to_iso_extended_string(takes.day);
  text += " claims " + std::to_string(takes.claims) + " assignments " +
          std::to_string(takes.assignments);
  for (const LevelTakes& level : takes.levels) {
    text += " " + level.level + ":" + std::to_string(level.claims) + "/" +
            std::to_string(level.assignments);
  }
  return text;
}

std::string show(const Model::DayTally& tally) {
  const date::year_month_day day(tally.day);
  char date_text[16];
  std::snprintf(date_text, sizeof date_text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  std::string text = std::string(date_text) + " claims " + std::to_string(tally.claims) +
                     " assignments " + std::to_string(tally.assignments);
  for (const auto& [level, taken] : tally.levels) {  // by level, as stored
    text += " " + level + ":" + std::to_string(taken.first) + "/" + std::to_string(taken.second);
  }
  return text;
}

namespace {

// Compares fields in order and keeps the first that differs, shown with the
// field's own text function.
class FirstDifference {
 public:
  template <class T, class Text>
  void operator()(const char* name, const T& engine, const T& model, Text&& text) {
    if (!found_.empty() || engine == model) return;
    found_ = std::string(name) + " " + text(engine) + " != model " + text(model);
  }
  // The first difference, or "" when every field agreed.
  const std::string& found() const { return found_; }

 private:
  std::string found_;
};

std::string show_span(const Span& span) { return to_string(span); }
std::string show_limit(const std::optional<Span>& limit) { return limit ? to_string(*limit) : "-"; }
std::string as_time(Time at) { return show(at); }
std::string as_number(std::uint32_t n) { return std::to_string(n); }
std::string as_bool(bool flag) { return flag ? "true" : "false"; }
std::string as_user(const std::optional<UserId>& user) { return show(user); }
std::string as_cooldowns(const std::vector<Cooldown>& cooldowns) {
  std::string text = "[";
  for (const Cooldown& cooldown : cooldowns) {
    if (text.size() > 1) text += ' ';
    text += cooldown.user.str() + "@" + show(cooldown.until);
  }
  return text + "]";
}
std::string as_state(CustomerState state) { return std::string(to_string(state)); }
std::string as_reason(const std::optional<DeadlineReason>& reason) { return show(reason); }
std::string as_time_left(const std::optional<Duration>& left) {
  return left ? boost::posix_time::to_simple_string(*left) : "-";
}

}  // namespace

std::string compare_view(const CustomerView& engine, const CustomerView& model) {
  FirstDifference field;
  field("profile", engine.profile, model.profile, [](const CustomerProfile&) { return "..."; });
  field("state", engine.state, model.state, as_state);
  field("holder", engine.holder, model.holder, as_user);
  field("since", engine.since, model.since, as_time);
  field("deadline", engine.deadline, model.deadline, as_time);
  field("time_left", engine.time_left, model.time_left, as_time_left);
  field("extensions_used", engine.extensions_used, model.extensions_used, as_number);
  field("extensions_left", engine.extensions_left, model.extensions_left, as_number);
  field("reminders_sent", engine.reminders_sent, model.reminders_sent, as_number);
  field("last_follow_up", engine.last_follow_up, model.last_follow_up, as_time);
  field("deadline_reason", engine.deadline_reason, model.deadline_reason, as_reason);
  field("protected_until", engine.protected_until, model.protected_until, as_time);
  field("paused", engine.paused, model.paused, as_bool);
  field("cooldowns", engine.cooldowns, model.cooldowns, as_cooldowns);
  return field.found();
}

std::string compare_record(const CustomerRecord& engine, const CustomerRecord& model) {
  FirstDifference field;
  field("state", engine.state, model.state, as_state);
  field("holder", engine.holder, model.holder, as_user);
  field("since", engine.since, model.since, as_time);
  field("deadline", engine.deadline, model.deadline, as_time);
  field("deadline_reason", engine.deadline_reason, model.deadline_reason,
        [](DeadlineReason reason) { return std::string(to_string(reason)); });
  field("period_deadline", engine.period_deadline, model.period_deadline, as_time);
  field("period_length", engine.period_length, model.period_length, show_span);
  field("idle_limit", engine.idle_limit, model.idle_limit, show_limit);
  field("idle_deadline", engine.idle_deadline, model.idle_deadline, as_time);
  field("protected_until", engine.protected_until, model.protected_until, as_time);
  field("reminders", engine.reminders, model.reminders,
        [](const std::vector<Reminder>& reminders) { return "[" + to_string(reminders) + "]"; });
  field("reminders_sent", engine.reminders_sent, model.reminders_sent, as_number);
  field("reminder_due", engine.reminder_due, model.reminder_due, as_time);
  field("policy_version", engine.policy_version, model.policy_version, as_number);
  field("extensions_used", engine.extensions_used, model.extensions_used, as_number);
  field("last_follow_up", engine.last_follow_up, model.last_follow_up, as_time);
  field("cooldowns", engine.cooldowns, model.cooldowns, as_cooldowns);
  return field.found();
}

std::string show(const HistoryEntry& entry) {
  return show(entry.at) + " " + std::string(to_string(entry.kind)) + " by " + show(entry.actor) +
         " " + show(entry.holder_before) + "->" + show(entry.holder_after) + " until " +
         show(entry.deadline) + " (" + show(entry.deadline_reason) + " v" +
         std::to_string(entry.policy_version) + ") " + escape(entry.note);
}

std::string compare_history(const std::vector<HistoryEntry>& engine,
                            const std::vector<HistoryEntry>& model) {
  for (std::size_t i = 0; i < std::min(engine.size(), model.size()); ++i) {
    if (!(engine[i] == model[i])) {
      return "history[" + std::to_string(i) + "] " + show(engine[i]) + " != model " +
             show(model[i]);
    }
  }
  if (engine.size() != model.size()) {
    return "history has " + std::to_string(engine.size()) + " entries, model " +
           std::to_string(model.size());
  }
  return {};
}

// Returns a member the snapshot may query as: the first boss.
std::optional<UserId> some_boss(const Model& model) {
  for (const auto& [user, role] : model.members()) {
    if (role == Role::boss) return user;
  }
  return std::nullopt;
}

}  // namespace highseas::sim

// digest() (reminder_digest.hpp): compiled into HighSeas::highseas by
// reminder_digest.cpp, or included by reminder_digest.hpp in header-only mode.
#pragma once

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "highseas/reminder_digest.hpp"

namespace highseas {

HIGHSEAS_INLINE std::vector<Digest> digest(std::span<const ReminderDue> reminders,
                                           const TimeZone& zone) {
  // (recipient, day) -> customer -> its line: ordered maps give the order
  // the digests promise, and one line per customer.
  std::map<std::pair<UserId, LocalDate>, std::map<CustomerId, DigestLine>> grouped;
  for (const ReminderDue& reminder : reminders) {
    const LocalDate day = zone.date_at(reminder.at);
    DigestLine line{reminder.customer,  reminder.holder.value_or(UserId()),
                    reminder.deadline,  reminder.reminder,
                    reminder.time_left, reminder.at};
    for (const UserId& recipient : reminder.audience) {
      auto [kept, added] = grouped[{recipient, day}].try_emplace(reminder.customer, line);
      if (!added && kept->second.sent_at <= line.sent_at) kept->second = line;
    }
  }
  std::vector<Digest> digests;
  digests.reserve(grouped.size());
  for (auto& [key, lines] : grouped) {
    Digest& out = digests.emplace_back();
    out.recipient = key.first;
    out.day = key.second;
    out.lines.reserve(lines.size());
    for (auto& [customer, line] : lines) out.lines.push_back(std::move(line));
    std::stable_sort(out.lines.begin(), out.lines.end(),
                     [](const DigestLine& a, const DigestLine& b) {
                       return std::tie(a.deadline, a.customer) < std::tie(b.deadline, b.customer);
                     });
  }
  return digests;
}

}  // namespace highseas

// ActivityTally: counting a pool's history into per-rep results.
#pragma once

#include <algorithm>
#include <utility>

#include "highseas/activity.hpp"

namespace highseas {

namespace detail {

// Returns the median of `durations` (not empty), reordering them.
inline Duration median_of(std::vector<Duration>& durations) {
  const std::size_t middle = durations.size() / 2;
  std::nth_element(durations.begin(), durations.begin() + static_cast<std::ptrdiff_t>(middle),
                   durations.end());
  const Duration upper = durations[middle];
  if (durations.size() % 2 == 1) return upper;
  const Duration lower =
      *std::max_element(durations.begin(), durations.begin() + static_cast<std::ptrdiff_t>(middle));
  return lower + (upper - lower) / 2;
}

}  // namespace detail

HIGHSEAS_INLINE ActivityTally::ActivityTally(const ActivityQuery& query, Time now)
    : query_(query), to_(query.to.is_not_a_date_time() ? now : query.to) {}

HIGHSEAS_INLINE bool ActivityTally::counts(Time at) const {
  if (!query_.from.is_not_a_date_time() && at < query_.from) return false;
  // An open period takes everything up to the last entry read, even one
  // written at the very instant the report began.
  return query_.to.is_not_a_date_time() || at < query_.to;
}

HIGHSEAS_INLINE ActivityTally::Line& ActivityTally::line(const UserId& user) {
  Line& found = lines_[user];
  found.counts.user = user;
  return found;
}

HIGHSEAS_INLINE void ActivityTally::start_customer(const CustomerId& customer) {
  customer_ = customer;
  holding_since_ = Time();
  holding_reminded_ = false;
  losses_.clear();
}

HIGHSEAS_INLINE void ActivityTally::lose(const UserId& holder, Time at) {
  // One entry per rep, the latest loss: a second chance names the latest
  // other rep who let the customer go.
  std::erase_if(losses_, [&](const Loss& loss) { return loss.by == holder; });
  losses_.push_back({holder, at});
}

HIGHSEAS_INLINE void ActivityTally::record_win(const CustomerId& customer, const UserId& winner,
                                               const HistoryEntry& entry) {
  Line& winner_line = line(winner);
  if (entry.win == WinKind::payment_received) {
    ++winner_line.counts.won_payment;
  } else {
    ++winner_line.counts.won_contract;
  }
  if (!holding_since_.is_not_a_date_time() && entry.at >= holding_since_) {
    winner_line.times_to_win.push_back(entry.at - holding_since_);
  }
  const auto other = std::find_if(losses_.rbegin(), losses_.rend(),
                                  [&](const Loss& loss) { return loss.by != winner; });
  if (other == losses_.rend()) return;
  ++second_chances_;
  if (query_.examples == 0) return;
  SecondChance chance{customer, other->by, winner, other->at, entry.at};
  // Newest win first; ties keep the order of reading.
  const auto place = std::find_if(examples_.begin(), examples_.end(),
                                  [&](const SecondChance& kept) { return kept.won_at < entry.at; });
  if (place == examples_.end() && examples_.size() >= query_.examples) return;
  examples_.insert(place, std::move(chance));
  if (examples_.size() > query_.examples) examples_.pop_back();
}

HIGHSEAS_INLINE void ActivityTally::add(const CustomerId& customer, const HistoryEntry& entry) {
  ++entries_;
  if (!customer_ || *customer_ != customer) start_customer(customer);
  const bool in_period = counts(entry.at);
  switch (entry.kind) {
    case HistoryKind::claimed:
    case HistoryKind::assigned:
      holding_since_ = entry.at;
      holding_reminded_ = false;
      if (in_period && entry.holder_after) {
        Line& taker = line(*entry.holder_after);
        ++(entry.kind == HistoryKind::claimed ? taker.counts.claimed : taker.counts.assigned);
      }
      return;
    case HistoryKind::won:
      if (in_period && entry.holder_before) {
        record_win(customer, *entry.holder_before, entry);
        if (holding_reminded_) ++line(*entry.holder_before).counts.won_after_reminder;
      }
      holding_since_ = Time();
      holding_reminded_ = false;
      return;
    case HistoryKind::returned:
    case HistoryKind::released:
    case HistoryKind::member_removed:
      if (entry.holder_before) {
        if (in_period) {
          Line& loser = line(*entry.holder_before);
          ++(entry.kind == HistoryKind::returned ? loser.counts.returned : loser.counts.released);
          if (entry.kind == HistoryKind::returned && holding_reminded_) {
            ++loser.counts.returned_after_reminder;
          }
        }
        lose(*entry.holder_before, entry.at);
      }
      holding_since_ = Time();
      holding_reminded_ = false;
      return;
    case HistoryKind::moved_out:
      holding_since_ = Time();
      holding_reminded_ = false;
      return;
    case HistoryKind::imported:
    case HistoryKind::moved_in:
    case HistoryKind::extended:
    case HistoryKind::followed_up:
    case HistoryKind::protection_set:
    case HistoryKind::protection_lifted:
    case HistoryKind::rules_changed:
      return;
    case HistoryKind::reminded:
      holding_reminded_ = true;
      return;
  }
}

HIGHSEAS_INLINE PoolActivity ActivityTally::finish() const {
  PoolActivity activity;
  activity.from = query_.from;
  activity.to = to_;
  activity.members.reserve(lines_.size());
  for (const auto& [user, kept] : lines_) {
    MemberActivity counts = kept.counts;
    if (!kept.times_to_win.empty()) {
      std::vector<Duration> times = kept.times_to_win;
      counts.median_time_to_win = detail::median_of(times);
    }
    activity.members.push_back(std::move(counts));
  }
  activity.second_chances = second_chances_;
  activity.recent_second_chances = examples_;
  activity.entries_read = entries_;
  return activity;
}

}  // namespace highseas

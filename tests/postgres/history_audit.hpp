// Replays a customer's history and checks that every step follows from the one
// before: a take starts from nobody, a give-back names the actual holder, and
// so on. Two holders at once, or one holding returned twice, break the chain.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "highseas/customer.hpp"

namespace highseas::test {

// The state a history replay ends in, or the first break in the chain.
struct Replay {
  CustomerState state = CustomerState::available;
  std::optional<UserId> holder;
  std::string problem;  // empty when the chain is whole
};

// Returns where `history` leaves the customer, or the first inconsistent step.
inline Replay replay(const std::vector<HistoryEntry>& history) {
  Replay at;
  auto broken = [&](std::size_t step, const std::string& why) {
    at.problem = "step ";
    at.problem += std::to_string(step);
    at.problem += " (";
    at.problem += to_string(history[step].kind);
    at.problem += "): ";
    at.problem += why;
    return at;
  };
  for (std::size_t step = 0; step < history.size(); ++step) {
    const HistoryEntry& entry = history[step];
    switch (entry.kind) {
      case HistoryKind::imported:
      case HistoryKind::moved_in:
        if (step > 0 && at.state != CustomerState::regular) return broken(step, "was in the pool");
        at = {CustomerState::available, std::nullopt, {}};
        break;
      case HistoryKind::claimed:
      case HistoryKind::assigned:
        if (at.state != CustomerState::available || entry.holder_before) {
          return broken(step, "taken while not available (two holders)");
        }
        if (!entry.holder_after) return broken(step, "no new holder");
        at = {CustomerState::held, entry.holder_after, {}};
        break;
      case HistoryKind::extended:
      case HistoryKind::followed_up:
      case HistoryKind::protection_set:
      case HistoryKind::protection_lifted:
      case HistoryKind::rules_changed:
      case HistoryKind::reminded:
        if (at.state != CustomerState::held || entry.holder_before != at.holder ||
            entry.holder_after != at.holder) {
          return broken(step, "not the current holding");
        }
        break;
      case HistoryKind::released:
      case HistoryKind::returned:
      case HistoryKind::member_removed:
        if (at.state != CustomerState::held || entry.holder_before != at.holder) {
          return broken(step, "gave back a holding that was not current (returned twice?)");
        }
        at = {CustomerState::available, std::nullopt, {}};
        break;
      case HistoryKind::won:
      case HistoryKind::moved_out:
        if (at.state == CustomerState::regular || entry.holder_before != at.holder) {
          return broken(step, "left the pool from a state it was not in");
        }
        at = {CustomerState::regular, at.holder, {}};
        break;
    }
  }
  return at;
}

}  // namespace highseas::test

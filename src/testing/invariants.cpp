// The pool's invariants as one check. Compiled into HighSeas::testing.
#include "highseas/testing/invariants.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace highseas::testing {

namespace {

// Collects broken invariants; keeps the message readable when many break.
class Problems {
 public:
  std::ostream& add() {
    ++count_;
    if (count_ > kShown) return discard_;
    text_ << "\n  - ";
    return text_;
  }

  ::testing::AssertionResult result() const {
    if (count_ == 0) return ::testing::AssertionSuccess();
    auto failure = ::testing::AssertionFailure()
                   << count_ << " broken invariant(s):" << text_.str();
    if (count_ > kShown) failure << "\n  ... and " << (count_ - kShown) << " more";
    return failure;
  }

 private:
  static constexpr std::size_t kShown = 20;
  std::size_t count_ = 0;
  std::ostringstream text_;
  std::ostringstream discard_;
};

}  // namespace

bool history_matches_state(HistoryKind kind, CustomerState state) {
  switch (state) {
    case CustomerState::held:
      return kind == HistoryKind::claimed || kind == HistoryKind::assigned ||
             kind == HistoryKind::extended || kind == HistoryKind::followed_up ||
             kind == HistoryKind::protection_set || kind == HistoryKind::protection_lifted ||
             kind == HistoryKind::rules_changed || kind == HistoryKind::reminded;
    case CustomerState::available:
      return kind == HistoryKind::imported || kind == HistoryKind::released ||
             kind == HistoryKind::returned || kind == HistoryKind::member_removed ||
             kind == HistoryKind::moved_in;
    case CustomerState::regular:
      return kind == HistoryKind::won || kind == HistoryKind::moved_out;
  }
  return false;
}

::testing::AssertionResult pool_invariants_hold(PublicPool& pool, const UserId& viewer,
                                                std::span<const CustomerId> customers,
                                                std::span<const UserId> members,
                                                std::uint32_t cap) {
  Problems problems;
  std::map<UserId, std::set<CustomerId>> held_by;
  for (const CustomerId& id : customers) {
    auto view = pool.customer(viewer, id);
    if (!view) {
      problems.add() << id << ": " << view.refusal();
      continue;
    }
    if (view->state == CustomerState::held) {
      if (!view->holder) problems.add() << id << " is held by nobody";
      if (view->deadline.is_special()) problems.add() << id << " is held without a deadline";
      if (view->holder) held_by[*view->holder].insert(id);
    } else if (view->state == CustomerState::available) {
      if (view->holder) problems.add() << id << " is available but held by " << *view->holder;
      if (!view->deadline.is_not_a_date_time()) {
        problems.add() << id << " is available but has a deadline";
      }
    }
    auto history = pool.history(viewer, id);
    if (!history) {
      problems.add() << id << ": history " << history.refusal();
      continue;
    }
    if (history->empty()) {
      problems.add() << id << " has no history";
      continue;
    }
    const HistoryEntry& last = history->back();
    if (!history_matches_state(last.kind, view->state)) {
      problems.add() << id << " is " << view->state << " but its last history entry is "
                     << last.kind;
    }
    if (view->state == CustomerState::held &&
        (last.holder_after != view->holder || last.deadline != view->deadline)) {
      problems.add() << id << ": the last history entry disagrees with the holder or deadline";
    }
  }
  std::set<CustomerId> listed_anywhere;
  for (const UserId& user : members) {
    auto holdings = pool.holdings(viewer, user);
    if (!holdings) {
      problems.add() << "holdings of " << user << ": " << holdings.refusal();
      continue;
    }
    if (holdings->size() > cap) {
      problems.add() << user << " holds " << holdings->size() << ", over the cap " << cap;
    }
    std::set<CustomerId> listed;
    for (const CustomerView& row : *holdings) {
      listed.insert(row.profile.id);
      if (!listed_anywhere.insert(row.profile.id).second) {
        problems.add() << row.profile.id << " has two holders";
      }
      if (row.holder != user) {
        problems.add() << row.profile.id << " is listed under " << user << " but held by "
                       << (row.holder ? row.holder->str() : std::string("nobody"));
      }
    }
    // Only the customers this check was given can be compared both ways.
    std::set<CustomerId> expected = held_by[user];
    for (const CustomerId& id : listed) {
      if (expected.erase(id) == 0 &&
          std::find(customers.begin(), customers.end(), id) != customers.end()) {
        problems.add() << id << " is listed under " << user << " but not held by them";
      }
    }
    for (const CustomerId& id : expected) {
      problems.add() << id << " is held by " << user << " but missing from their holdings";
    }
  }
  return problems.result();
}

}  // namespace highseas::testing

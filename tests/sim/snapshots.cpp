// Snapshots: the engine's whole state as its queries show it, compared with the
// model and checked against the pool's invariants.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "harness.hpp"
#include "sim_text.hpp"

namespace highseas::sim {

std::string compare_all(PublicPool& pool, const Model& model, Time now,
                        const std::vector<UserId>& users, const std::vector<CustomerId>& customers,
                        Storage* storage) {
  const std::optional<UserId> viewer = some_boss(model);
  if (!viewer) {
    auto info = pool.info(UserId("nobody"));
    if (info.ok() || info.code() != RefusalCode::unknown_pool) {
      return "pool should not exist yet";
    }
    return {};
  }
  auto info = pool.info(*viewer);
  if (!info) return "info refused: " + info.refusal().to_string();
  const PoolRecord& expected = model.pool();
  if (info->enabled != expected.enabled || !(info->policy == expected.policy) ||
      info->created_at != expected.created_at || info->paused_since != expected.paused_since ||
      info->members != model.members().size()) {
    return "info differs from the model";
  }
  if (info->policy_version != expected.policy_version ||
      info->policy_since != expected.policy_since) {
    return "policy version " + std::to_string(info->policy_version) + " since " +
           show(info->policy_since) + " != model " + std::to_string(expected.policy_version) +
           " since " + show(expected.policy_since);
  }
  auto members = pool.members(*viewer);
  if (!members) return "members refused";
  std::vector<Member> expected_members;
  for (const auto& [user, role] : model.members()) expected_members.push_back({user, role});
  if (*members != expected_members) return "members differ from the model";

  // Every customer: its view and its history.
  std::map<CustomerId, CustomerView> views;
  for (const CustomerId& id : customers) {
    auto view = pool.customer(*viewer, id);
    const auto known = model.customers().find(id);
    if (known == model.customers().end()) {
      if (view.ok() || view.code() != RefusalCode::unknown_customer) {
        return "customer " + escape(id) + " should be unknown";
      }
      continue;
    }
    if (!view) return "customer " + escape(id) + " refused: " + view.refusal().to_string();
    if (auto diff = compare_view(*view, model.view_of(known->second, now)); !diff.empty()) {
      return "customer " + escape(id) + ": " + diff;
    }
    auto history = pool.history(*viewer, id);
    if (!history) return "history refused";
    if (auto diff = compare_history(*history, known->second.history); !diff.empty()) {
      return "customer " + escape(id) + ": " + diff;
    }
    // History agrees with state: the last change left the current holder (or owner).
    if (history->empty() || history->back().holder_after != view->holder) {
      return "customer " + escape(id) + ": the last history entry disagrees with its holder";
    }
    views.emplace(id, view.value());
  }

  // The stored records, every field, in one read-only transaction of their own.
  // A return at the deadline nothing wrote yet is not stored: its customer is
  // still stored as held (and due), exactly as the model had it before the
  // return. Compared so, and not only after a sweep, every snapshot checks
  // both that each written return is stored exactly and that nothing wrote
  // one early (a refused command, a query, a command on another customer).
  if (storage != nullptr) {
    const std::unique_ptr<Transaction> tx = storage->begin(pool.id(), TransactionMode::read_only);
    for (const auto& [id, customer] : model.customers()) {
      const std::optional<CustomerRecord> stored = tx->find_customer(id);
      if (!stored) return "customer " + escape(id) + " is not stored";
      const auto pending = model.pending().find(id);
      const bool unwritten = pending != model.pending().end();
      const CustomerRecord& expected_stored = unwritten ? pending->second.stored : customer.record;
      if (auto diff = compare_record(*stored, expected_stored); !diff.empty()) {
        return "customer " + escape(id) + " stored" +
               (unwritten ? " (return not written yet)" : "") + ": " + diff;
      }
    }
    // Each user's tally of their last day of counted takes, as the daily
    // limit reads it (storage.hpp: find_daily_takes).
    for (const UserId& user : users) {
      const std::optional<DailyTakes> stored = tx->find_daily_takes(user);
      const auto tally = model.tallies().find(user);
      const std::string engine = stored ? show(*stored) : "none";
      const std::string expected_tally =
          tally == model.tallies().end() ? "none" : show(tally->second);
      if (engine != expected_tally) {
        return "daily takes of " + escape(user) + " stored: " + engine + " != model " +
               expected_tally;
      }
    }
  }

  // Holdings: each held customer is in exactly its holder's list, nobody
  // else's; the lists are ordered as the model orders them.
  std::map<CustomerId, int> seen_held;
  for (const UserId& user : users) {
    auto held = pool.holdings(*viewer, user);
    if (!held) return "holdings refused";
    const auto expected_held = model.holdings_of(user);
    if (held->size() != expected_held.size()) {
      return "holdings of " + escape(user) + ": " + std::to_string(held->size()) + " != model " +
             std::to_string(expected_held.size());
    }
    for (std::size_t i = 0; i < held->size(); ++i) {
      const CustomerView& view = (*held)[i];
      if (view.profile.id != expected_held[i]->profile.id) {
        return "holdings of " + escape(user) + " out of order at " + std::to_string(i);
      }
      if (view.state != CustomerState::held || view.holder != user) {
        return "holdings of " + escape(user) + " lists a customer it does not hold";
      }
      ++seen_held[view.profile.id];
    }
  }
  for (const auto& [id, view] : views) {
    const int times = seen_held.contains(id) ? seen_held[id] : 0;
    if ((view.state == CustomerState::held) != (times == 1) || times > 1) {
      return "customer " + escape(id) + " is in " + std::to_string(times) + " holdings lists";
    }
  }

  // Due holdings (the next sweep's work; due is no failure before it runs):
  // counted in the engine's views, in the model's records, and by the
  // engine's summary, whose urgent count at a warning of one microsecond is
  // exactly the due ones (time left <= 0). Paused, the countdown stands where
  // it stopped.
  const Time counted_at = expected.enabled ? now : expected.paused_since;
  std::size_t due_in_views = 0;
  for (const auto& [id, view] : views) {
    if (view.state == CustomerState::held && view.deadline <= counted_at) ++due_in_views;
  }
  std::size_t due_in_model = 0;
  for (const auto& [id, customer] : model.customers()) {
    const CustomerRecord& record = customer.record;
    if (record.state == CustomerState::held && record.deadline <= counted_at) ++due_in_model;
  }
  auto summary = pool.summary(*viewer, boost::posix_time::microseconds(1));
  if (!summary) return "summary refused: " + summary.refusal().to_string();
  std::size_t due_in_summary = 0;
  for (const MemberSummary& member : summary->members) due_in_summary += member.urgent;
  // The summary counts a due holding as available, not held, and not in its
  // holder's line: the model's settled records, counted.
  std::uint64_t in_state[3] = {0, 0, 0};
  for (const auto& [id, customer] : model.customers()) {
    ++in_state[customer.record.state == CustomerState::available ? 0
               : customer.record.state == CustomerState::held    ? 1
                                                                 : 2];
  }
  if (summary->available != in_state[0] || summary->held != in_state[1] ||
      summary->regular != in_state[2]) {
    return "summary counts " + std::to_string(summary->available) + "/" +
           std::to_string(summary->held) + "/" + std::to_string(summary->regular) +
           " (available/held/regular) != model " + std::to_string(in_state[0]) + "/" +
           std::to_string(in_state[1]) + "/" + std::to_string(in_state[2]);
  }
  for (const MemberSummary& member : summary->members) {
    const auto held = model.holdings_of(member.user);
    const Time next = held.empty() ? Time() : held.front()->record.deadline;
    if (member.held != held.size() || member.next_deadline != next) {
      return "summary of " + escape(member.user) + ": holds " + std::to_string(member.held) +
             " next " + show(member.next_deadline) + " != model " + std::to_string(held.size()) +
             " next " + show(next);
    }
  }
  if (due_in_views != due_in_model || due_in_summary != due_in_model) {
    return "due holdings: " + std::to_string(due_in_views) + " in the views, " +
           std::to_string(due_in_summary) + " in the summary, model " +
           std::to_string(due_in_model);
  }

  // Available: page through everything, compare with the model by id.
  std::vector<CustomerId> listed;
  AvailableQuery query;
  query.limit = 7;
  for (int pages = 0; pages < 1000; ++pages) {
    auto page = pool.available(*viewer, query);
    if (!page) return "available refused: " + page.refusal().to_string();
    for (const CustomerView& view : page->customers) {
      if (view.state != CustomerState::available) return "available lists a non-available one";
      listed.push_back(view.profile.id);
    }
    if (!page->next) break;
    query.after = page->next;
  }
  std::vector<CustomerId> expected_listed;
  for (const Model::Customer* customer : model.available({})) {
    expected_listed.push_back(customer->profile.id);
  }
  if (listed != expected_listed) {
    return "available lists " + std::to_string(listed.size()) + " customers, model " +
           std::to_string(expected_listed.size());
  }
  for (const auto& [id, view] : views) {
    const bool in_list = std::find(listed.begin(), listed.end(), id) != listed.end();
    if (in_list != (view.state == CustomerState::available)) {
      return "customer " + escape(id) + " is " + std::string(to_string(view.state)) +
             " but available() " + (in_list ? "lists" : "omits") + " it";
    }
  }
  return {};
}

std::string dump(PublicPool& pool, const UserId& viewer, const std::vector<UserId>& users,
                 const std::vector<CustomerId>& customers) {
  std::ostringstream out;
  if (auto info = pool.info(viewer)) {
    out << "enabled=" << info->enabled << " policy=" << describe(info->policy)
        << " version=" << info->policy_version << " since=" << show(info->policy_since)
        << " paused_since=" << show(info->paused_since) << " members=" << info->members << "\n";
  } else {
    out << "info: " << info.refusal().to_string() << "\n";
  }
  if (auto members = pool.members(viewer)) {
    for (const Member& member : *members)
      out << member.user << ":" << to_string(member.role) << " ";
    out << "\n";
  }
  for (const CustomerId& id : customers) {
    auto view = pool.customer(viewer, id);
    if (!view) {
      out << id << ": " << to_string(view.code()) << "\n";
      continue;
    }
    out << id << ": " << to_string(view->state) << " holder=" << show(view->holder)
        << " since=" << show(view->since) << " deadline=" << show(view->deadline)
        << " ext=" << view->extensions_used << " follow_up=" << show(view->last_follow_up) << "\n";
    const auto history = pool.history(viewer, id);  // kept alive for the loop
    for (const HistoryEntry& entry : history.value()) {
      out << "  " << show(entry) << "\n";
    }
  }
  for (const UserId& user : users) {
    out << user << " holds:";
    if (auto held = pool.holdings(viewer, user)) {
      for (const CustomerView& view : *held) out << " " << view.profile.id;
    }
    out << "\n";
  }
  AvailableQuery query;
  query.limit = PublicPool::kMaxPage;
  if (auto page = pool.available(viewer, query)) {
    out << "available:";
    for (const CustomerView& view : page->customers) out << " " << view.profile.id;
    out << "\n";
  }
  return out.str();
}

}  // namespace highseas::sim

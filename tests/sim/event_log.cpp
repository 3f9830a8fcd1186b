// EventLog: every event a pool emits, flattened for comparison with the model.
#include <string>
#include <utility>

#include "harness.hpp"
#include "sim_text.hpp"

namespace highseas::sim {

namespace {

template <class Event>
EventRecord flatten_customer(std::string kind, const Event& event, std::string detail = {}) {
  return EventRecord{std::move(kind), event.actor,           event.at,
                     event.customer,  event.previous_holder, event.holder,
                     event.deadline,  event.deadline_reason, std::move(detail)};
}

EventRecord flatten_header(std::string kind, const EventHeader& event, std::string detail) {
  return EventRecord{std::move(kind), event.actor, event.at, {}, {}, {}, {}, {}, std::move(detail)};
}

}  // namespace

EventLog::EventLog(PoolEvents& events) {
  auto keep = [this](Connection connection) { connections_.emplace_back(std::move(connection)); };
  keep(events.pool_switched.connect([this](const PoolSwitched& e) {
    events_.push_back(flatten_header("pool_switched", e, e.enabled ? "enabled=1" : "enabled=0"));
  }));
  keep(events.policy_changed.connect([this](const PolicyChanged& e) {
    events_.push_back(flatten_header("policy_changed", e,
                                     describe(e.before) + " -> " + describe(e.after) +
                                         " version=" + std::to_string(e.version) +
                                         " running=" + std::string(to_string(e.running)) +
                                         " recomputed=" + std::to_string(e.recomputed)));
  }));
  keep(events.calendar_changed.connect([this](const CalendarChanged& e) {
    events_.push_back(flatten_header("calendar_changed", e,
                                     "version=" + std::to_string(e.version) +
                                         " running=" + std::string(to_string(e.running)) +
                                         " recomputed=" + std::to_string(e.recomputed)));
  }));
  keep(events.member_changed.connect([this](const MemberChanged& e) {
    events_.push_back(flatten_header("member_changed", e,
                                     "user=" + e.user.str() + " before=" + role_or_dash(e.before) +
                                         " after=" + role_or_dash(e.after)));
  }));
  keep(events.customers_imported.connect([this](const CustomersImported& e) {
    std::string ids;
    for (const CustomerId& id : e.customers) ids += (ids.empty() ? "" : ",") + id.str();
    events_.push_back(flatten_header("customers_imported", e, "ids=" + ids));
  }));
  keep(events.moved_into_pool.connect([this](const MovedIntoPool& e) {
    events_.push_back(flatten_customer("moved_into_pool", e));
  }));
  keep(events.moved_out_of_pool.connect([this](const MovedOutOfPool& e) {
    events_.push_back(flatten_customer("moved_out_of_pool", e));
  }));
  keep(events.claimed.connect(
      [this](const Claimed& e) { events_.push_back(flatten_customer("claimed", e)); }));
  keep(events.assigned.connect(
      [this](const Assigned& e) { events_.push_back(flatten_customer("assigned", e)); }));
  keep(events.released.connect([this](const Released& e) {
    events_.push_back(flatten_customer("released", e,
                                       e.member_removed ? "member_removed=1" : "member_removed=0"));
  }));
  keep(events.extended.connect([this](const Extended& e) {
    events_.push_back(
        flatten_customer("extended", e,
                         "previous_deadline=" + to_iso8601(e.previous_deadline) +
                             " extensions_used=" + std::to_string(e.extensions_used)));
  }));
  keep(events.followed_up.connect([this](const FollowedUp& e) {
    events_.push_back(flatten_customer("followed_up", e, "note=" + e.note));
  }));
  keep(events.won.connect([this](const Won& e) {
    events_.push_back(flatten_customer("won", e, "kind=" + std::string(to_string(e.kind))));
  }));
  keep(events.returned.connect(
      [this](const Returned& e) { events_.push_back(flatten_customer("returned", e)); }));
  keep(events.protection_changed.connect([this](const ProtectionChanged& e) {
    events_.push_back(flatten_customer("protection_changed", e,
                                       "protected_until=" + to_iso8601(e.protected_until)));
  }));
  keep(events.deadline_recomputed.connect([this](const DeadlineRecomputed& e) {
    events_.push_back(flatten_customer("deadline_recomputed", e,
                                       "previous_deadline=" + to_iso8601(e.previous_deadline) +
                                           " policy_version=" + std::to_string(e.policy_version)));
  }));
  keep(events.reminder_due.connect([this](const ReminderDue& e) {
    events_.push_back(
        flatten_customer("reminder_due", e, reminder_detail(e.reminder, e.time_left, e.audience)));
  }));
}

std::vector<EventRecord> EventLog::take() {
  std::vector<EventRecord> taken;
  taken.swap(events_);
  return taken;
}

}  // namespace highseas::sim

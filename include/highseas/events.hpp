// Events: what a host hears after a pool changes.
//
// One struct per event and one Boost.Signals2 signal per event, grouped in
// PoolEvents. PublicPool emits an event once per committed change, after the
// commit, in commit order, and never for a refused or rolled-back command. It
// holds no internal lock while a slot runs, so a slot may call back into the
// pool. A slot that throws does not undo the committed change; the exception
// propagates to the caller whose command (or another thread's) is emitting.
//
// Thread-safety: connecting and disconnecting slots is thread-safe
// (Boost.Signals2's default mutex). Slots may run on any thread that calls a
// PublicPool command, but never two at once for one pool.
#pragma once

#include <boost/signals2/signal.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/customer.hpp"
#include "highseas/ids.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/time.hpp"

namespace highseas {

// What every event carries.
struct EventHeader {
  PoolId pool;
  std::optional<UserId> actor;  // none: the system (the sweep)
  Time at;                      // the clock's time of the command
};

// What every event about one customer carries.
struct CustomerEvent : EventHeader {
  CustomerId customer;
  std::optional<UserId> previous_holder;  // before the change
  std::optional<UserId> holder;           // after the change
  Time deadline;                          // after the change, if held
};

struct PoolSwitched : EventHeader {
  bool enabled = true;
};
struct PolicyChanged : EventHeader {
  ClaimPolicy before;
  ClaimPolicy after;
};
struct MemberChanged : EventHeader {
  UserId user;
  std::optional<Role> before;  // none: was not a member
  std::optional<Role> after;   // none: removed
};
struct CustomersImported : EventHeader {
  std::vector<CustomerId> customers;
};
struct MovedIntoPool : CustomerEvent {};
struct MovedOutOfPool : CustomerEvent {};
struct Claimed : CustomerEvent {};
struct Assigned : CustomerEvent {};
struct Released : CustomerEvent {
  bool member_removed = false;  // the holder was removed from the pool
};
struct Extended : CustomerEvent {
  Time previous_deadline;
  std::uint32_t extensions_used = 0;
};
struct FollowedUp : CustomerEvent {
  std::string note;
};
struct Won : CustomerEvent {
  WinKind kind = WinKind::contract_signed;
};
struct Returned : CustomerEvent {};  // deadline passed; actor is the system

// The signals of one pool. Connect with e.g.
//   pool.events().claimed.connect([](const highseas::Claimed& e) { ... });
struct PoolEvents {
  template <class Event>
  using Signal = boost::signals2::signal<void(const Event&)>;

  Signal<PoolSwitched> pool_switched;
  Signal<PolicyChanged> policy_changed;
  Signal<MemberChanged> member_changed;
  Signal<CustomersImported> customers_imported;
  Signal<MovedIntoPool> moved_into_pool;
  Signal<MovedOutOfPool> moved_out_of_pool;
  Signal<Claimed> claimed;
  Signal<Assigned> assigned;
  Signal<Released> released;
  Signal<Extended> extended;
  Signal<FollowedUp> followed_up;
  Signal<Won> won;
  Signal<Returned> returned;
};

}  // namespace highseas

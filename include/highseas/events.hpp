// Events: what a host hears after a pool changes.
//
// One struct per event and one Boost.Signals2 signal per event, grouped in
// PoolEvents. PublicPool emits an event once per committed change, after the
// commit, in commit order, and never for a refused or rolled-back command. It
// holds no internal lock while a slot runs, so a slot may call back into the
// pool. A slot that throws does not undo the committed change; the exception
// propagates to the caller whose command (or another thread's) is emitting.
//
// Thread-safety: connecting and disconnecting slots is thread-safe (the
// signals are Boost.Signals2's, kept out of this header). Slots may run on any thread that calls a
// PublicPool command, but never two at once for one pool.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
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

namespace detail {
class ConnectionBody;
template <class Event>
class SignalBody;
struct SignalAccess;
}  // namespace detail

// A slot's link to a signal. Copies share the link: disconnecting one
// disconnects the slot.
class Connection {
 public:
  Connection() = default;
  // Stops the slot from being called again; no effect if already disconnected.
  void disconnect() const;
  // Returns true iff the slot is still connected.
  bool connected() const;

 private:
  friend struct detail::SignalAccess;
  explicit Connection(std::shared_ptr<detail::ConnectionBody> body) : body_(std::move(body)) {}
  std::shared_ptr<detail::ConnectionBody> body_;
};

// Disconnects its slot when destroyed, so a slot lives no longer than a scope.
class ScopedConnection {
 public:
  ScopedConnection() = default;
  ScopedConnection(Connection connection)  // NOLINT: converts from connect()'s result by design
      : connection_(std::move(connection)) {}
  ScopedConnection(ScopedConnection&& other) noexcept = default;
  ScopedConnection& operator=(ScopedConnection&& other) noexcept {
    if (this != &other) {
      connection_.disconnect();
      connection_ = std::move(other.connection_);
    }
    return *this;
  }
  ScopedConnection(const ScopedConnection&) = delete;
  ScopedConnection& operator=(const ScopedConnection&) = delete;
  ~ScopedConnection() { connection_.disconnect(); }

  // Disconnects the slot now.
  void disconnect() const { connection_.disconnect(); }
  // Returns true iff the slot is still connected.
  bool connected() const { return connection_.connected(); }

 private:
  Connection connection_;
};

// One kind of event. Hosts connect slots; only the pool emits.
template <class Event>
class Signal {
 public:
  using Slot = std::function<void(const Event&)>;

  Signal();
  ~Signal();
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  // Connects `slot`: it is called once per committed change of this kind,
  // after the commit, in commit order. Thread-safe.
  Connection connect(Slot slot);

 private:
  friend struct detail::SignalAccess;
  std::unique_ptr<detail::SignalBody<Event>> body_;
};

// The signals of one pool. Connect with e.g.
//   highseas::ScopedConnection c =
//       pool.events().claimed.connect([](const highseas::Claimed& e) { ... });
struct PoolEvents {
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

#ifndef HIGHSEAS_HEADER_ONLY
// Compiled once, in the library (events.cpp).
extern template class Signal<PoolSwitched>;
extern template class Signal<PolicyChanged>;
extern template class Signal<MemberChanged>;
extern template class Signal<CustomersImported>;
extern template class Signal<MovedIntoPool>;
extern template class Signal<MovedOutOfPool>;
extern template class Signal<Claimed>;
extern template class Signal<Assigned>;
extern template class Signal<Released>;
extern template class Signal<Extended>;
extern template class Signal<FollowedUp>;
extern template class Signal<Won>;
extern template class Signal<Returned>;
#endif

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/events-inl.hpp"  // IWYU pragma: export
#endif

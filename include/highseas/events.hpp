/// @file
/// Events: what a host hears after a pool changes.
///
/// One struct per event and one Boost.Signals2 signal per event, grouped in
/// PoolEvents. PublicPool emits an event once per committed change, after the
/// commit, in commit order, and never for a refused or rolled-back command. It
/// holds no internal lock while a slot runs, so a slot may call back into the
/// pool. A slot that throws does not undo the committed change; the exception
/// propagates to the caller whose command (or another thread's) is emitting.
///
/// Thread-safety: connecting and disconnecting slots is thread-safe (the
/// signals are Boost.Signals2's, kept out of this header). Slots may run on any thread that calls a
/// PublicPool command, but never two at once for one pool.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/ids.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/signal.hpp"
#include "highseas/time.hpp"
#include "highseas/work_calendar.hpp"

namespace highseas {

/// What every event carries.
struct EventHeader {
  /// The pool that changed.
  PoolId pool;
  std::optional<UserId> actor;  ///< none: the system (the sweep)
  Time at;                      ///< the clock's time of the command
};

/// What every event about one customer carries.
struct CustomerEvent : EventHeader {
  /// The customer that changed.
  CustomerId customer;
  std::optional<UserId> previous_holder;  ///< before the change
  std::optional<UserId> holder;           ///< after the change
  Time deadline;                          ///< after the change, if held
  /// Held after the change: which clock set the deadline. Returned: which
  /// clock ran out. Otherwise nothing.
  std::optional<DeadlineReason> deadline_reason;
};

/// The pool was switched on or off.
struct PoolSwitched : EventHeader {
  /// On after the change.
  bool enabled = true;
};
/// The pool's policy changed.
struct PolicyChanged : EventHeader {
  /// The policy before.
  ClaimPolicy before;
  /// The policy after.
  ClaimPolicy after;
  /// The new policy's version.
  std::uint32_t version = 0;
  /// What the change did to running holdings.
  RunningHoldings running = RunningHoldings::keep;
  /// How many running holdings it gave a new deadline (each also gets a
  /// DeadlineRecomputed event).
  std::uint32_t recomputed = 0;
};
/// The pool's work calendar changed.
struct CalendarChanged : EventHeader {
  /// The calendar before (empty: Saturday and Sunday off, while none was set).
  WorkCalendar before;
  /// The calendar after.
  WorkCalendar after;
  /// The new calendar's version.
  std::uint32_t version = 0;
  /// What the change did to running holdings.
  RunningHoldings running = RunningHoldings::keep;
  /// How many running holdings it gave a new deadline (each also gets a
  /// DeadlineRecomputed event).
  std::uint32_t recomputed = 0;
};
/// A member was added, changed or removed.
struct MemberChanged : EventHeader {
  /// The member.
  UserId user;
  std::optional<Role> before;  ///< none: was not a member
  std::optional<Role> after;   ///< none: removed
};
/// Customers entered the pool by import.
struct CustomersImported : EventHeader {
  /// The imported customers, in batch order.
  std::vector<CustomerId> customers;
};
/// A regular customer became a pool customer.
struct MovedIntoPool : CustomerEvent {};
/// A pool customer became a regular customer.
struct MovedOutOfPool : CustomerEvent {};
/// A user took an available customer.
struct Claimed : CustomerEvent {};
/// An admin gave an available customer to a user.
struct Assigned : CustomerEvent {};
/// A holding went back to the pool before its deadline.
struct Released : CustomerEvent {
  bool member_removed = false;  ///< the holder was removed from the pool
};
/// A holding's deadline was pushed back.
struct Extended : CustomerEvent {
  /// The deadline before the extension.
  Time previous_deadline;
  /// Extensions used by the holding, this one included.
  std::uint32_t extensions_used = 0;
};
/// The holder logged a follow-up.
struct FollowedUp : CustomerEvent {
  /// The follow-up text.
  std::string note;
};
/// A holding was won: contract signed or payment received.
struct Won : CustomerEvent {
  /// What the win was.
  WinKind kind = WinKind::contract_signed;
};
struct Returned : CustomerEvent {};  ///< deadline passed; actor is the system
/// A holding was protected, or its protection lifted; `deadline` is the new one.
struct ProtectionChanged : CustomerEvent {
  /// Until when it is protected; not_a_date_time once lifted.
  Time protected_until;
};

/// A policy change gave a running holding a new deadline (RunningHoldings
/// recompute or never_shorten); `deadline` and `deadline_reason` are the new ones.
struct DeadlineRecomputed : CustomerEvent {
  /// The deadline before the change.
  Time previous_deadline;
  /// The policy version that set the new deadline.
  std::uint32_t policy_version = 0;
};

/// A holding's deadline is near: one of its reminders (ReturnRule::reminders)
/// fell due. Sent by the system (the sweep), at most once per reminder and
/// deadline; `holder` and `previous_holder` are the holder.
struct ReminderDue : CustomerEvent {
  /// Which reminder: how long before the deadline, and to whom.
  Reminder reminder;
  /// From `at` to the deadline (on the paused clock while the pool is off).
  Duration time_left;
  /// Who to warn, resolved from the pool's members when it was sent: the
  /// holder first, then the admins and bosses the audience names, by user id.
  std::vector<UserId> audience;
};

/// The signals of one pool. Connect with e.g.
///   highseas::ScopedConnection c =
///       pool.events().claimed.connect([](const highseas::Claimed& e) { ... });
struct PoolEvents {
  /// The pool was switched on or off.
  Signal<PoolSwitched> pool_switched;
  /// The pool's policy changed.
  Signal<PolicyChanged> policy_changed;
  /// The pool's work calendar changed.
  Signal<CalendarChanged> calendar_changed;
  /// A member was added, changed or removed.
  Signal<MemberChanged> member_changed;
  /// Customers were imported.
  Signal<CustomersImported> customers_imported;
  /// A customer was moved into the pool.
  Signal<MovedIntoPool> moved_into_pool;
  /// A customer was moved out of the pool.
  Signal<MovedOutOfPool> moved_out_of_pool;
  /// A customer was claimed.
  Signal<Claimed> claimed;
  /// A customer was assigned.
  Signal<Assigned> assigned;
  /// A holding was released.
  Signal<Released> released;
  /// A holding was extended.
  Signal<Extended> extended;
  /// A follow-up was logged.
  Signal<FollowedUp> followed_up;
  /// A holding was won: the customer left the pool.
  Signal<Won> won;
  /// A holding passed its deadline and returned to the pool.
  Signal<Returned> returned;
  /// A holding was protected or its protection lifted.
  Signal<ProtectionChanged> protection_changed;
  /// A policy change gave a running holding a new deadline.
  Signal<DeadlineRecomputed> deadline_recomputed;
  /// A holding's reminder fell due (sent by the sweep).
  Signal<ReminderDue> reminder_due;
};

#ifndef HIGHSEAS_HEADER_ONLY
/// Compiled once, in the library (events.cpp).
extern template class Signal<PoolSwitched>;
extern template class Signal<PolicyChanged>;
extern template class Signal<CalendarChanged>;
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
extern template class Signal<ProtectionChanged>;
extern template class Signal<DeadlineRecomputed>;
extern template class Signal<ReminderDue>;
#endif

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/events-inl.hpp"  // IWYU pragma: export
#endif

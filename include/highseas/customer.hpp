/// @file
/// What the pool knows about a customer: its profile, its pool state, and the
/// history of that state.
///
/// The host CRM owns everything else (contacts, notes, orders). The pool keeps
/// only what its rules need.
///
/// Thread-safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "highseas/detail/enum_names.hpp"
#include "highseas/ids.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/span.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// Where a customer stands, as the pool sees it.
enum class CustomerState : std::uint8_t {
  available,  ///< in the pool, nobody holds it
  held,       ///< in the pool, held by one user until a deadline
  regular,    ///< out of the pool: a regular customer (maybe owned by a rep)
};

/// Returns the stable name of `state`: "available", "held", "regular".
constexpr std::string_view to_string(CustomerState state) noexcept {
  switch (state) {
    case CustomerState::available:
      return "available";
    case CustomerState::held:
      return "held";
    case CustomerState::regular:
      return "regular";
  }
  return "unknown";
}

/// All customer states, in declaration order.
inline constexpr std::array<CustomerState, 3> kAllCustomerStates{
    CustomerState::available, CustomerState::held, CustomerState::regular};
static_assert(detail::is_enum_table(kAllCustomerStates), "every CustomerState needs its name");

/// Returns the state named `name` (as printed by to_string), or nothing.
constexpr std::optional<CustomerState> customer_state_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllCustomerStates);
}

/// Prints the name of `state`.
inline std::ostream& operator<<(std::ostream& out, CustomerState state) {
  return out << to_string(state);
}

/// The descriptive part of a customer, given at import.
struct CustomerProfile {
  CustomerId id;                  ///< the host's id for the customer
  std::string name;               ///< display name, 1..256 bytes of UTF-8
  std::string country;            ///< ISO 3166-1 alpha-2, e.g. "BR"; empty if unknown
  std::string level;              ///< e.g. "A", "B", "C"; 0..16 bytes
  std::vector<std::string> tags;  ///< each 1..64 bytes, at most 32 tags

  /// Field-by-field equality.
  friend bool operator==(const CustomerProfile&, const CustomerProfile&) = default;
};

/// One user's wait before taking a customer back: they gave it back (a
/// release or a return at the deadline) and may not take it again until
/// `until`.
struct Cooldown {
  UserId user;  ///< who gave the customer back
  Time until;   ///< when they may take it again

  /// Field-by-field equality.
  friend bool operator==(const Cooldown&, const Cooldown&) = default;
};

/// The pool state of one customer: what the rules read and write.
struct CustomerRecord {
  /// Where the customer is: available, held or regular.
  CustomerState state = CustomerState::available;
  /// Held: the holder. Regular: the owner, if any. Available: none.
  std::optional<UserId> holder;
  /// When the current state (or holding) began.
  Time since;
  /// Held: when the holding ends, the earliest of its clocks (see
  /// return_rules.hpp); the one instant storages index. Otherwise not_a_date_time.
  Time deadline;
  /// Held: which clock set `deadline`.
  DeadlineReason deadline_reason = DeadlineReason::period;
  /// Held: when the holding period (with extensions) alone would end it.
  Time period_deadline;
  /// Held: the holding period it started with (or a policy recompute gave
  /// it), so a later policy change can move period_deadline by the
  /// difference and keep extensions and paused time. Else zero.
  Span period_length;
  /// Held under an idle limit: the limit, fixed when the holding began. Else none.
  std::optional<Span> idle_limit;
  /// Held under an idle limit: when it would end the holding (the later of
  /// the start and the last follow-up, plus the limit). Else not_a_date_time.
  Time idle_deadline;
  /// Held and protected: when the protection ends. Else not_a_date_time.
  Time protected_until;
  /// Held: the reminders it runs under, its rule's (ReturnRule::reminders)
  /// when it began or a policy recompute gave it one. Else empty.
  std::vector<Reminder> reminders;
  /// Held: when its next reminder is due, the second instant storages index;
  /// not_a_date_time when none is left. See rules::arm_reminders.
  Time reminder_due;
  /// Held: which of `reminders` count as sent for the current deadline, one
  /// bit per reminder by its place in the list.
  std::uint32_t reminders_sent = 0;
  /// Held: the version of the pool's policy whose rules set the deadline.
  std::uint32_t policy_version = 0;
  /// Extensions used by the current holding.
  std::uint32_t extensions_used = 0;
  /// Last follow-up by the current holder; not_a_date_time if none.
  Time last_follow_up;
  /// Every user who gave the customer back and may not take it yet, in the
  /// order they gave it back: each keeps their own wait, so a rep who let it
  /// go is not freed by the next rep giving it back too. Every command that
  /// changes the customer drops the waits that ended (rules::change_to), so
  /// the list stays as short as the waits still running (plus the one a
  /// sweep's return appended since). A user's wait ends at the latest
  /// `until` listed for them.
  std::vector<Cooldown> cooldowns;

  /// Field-by-field equality.
  friend bool operator==(const CustomerRecord&, const CustomerRecord&) = default;
};

/// Why a history entry was written.
enum class HistoryKind : std::uint8_t {
  imported,           ///< entered the pool by import
  moved_in,           ///< a regular customer was made a pool customer
  moved_out,          ///< a pool customer was made a regular customer
  claimed,            ///< a user took it for themselves
  assigned,           ///< an admin gave it to a user
  released,           ///< the holder (or an admin) gave it back
  extended,           ///< the deadline was pushed back
  followed_up,        ///< the holder logged a follow-up
  won,                ///< contract signed or payment received: it left the pool
  returned,           ///< the deadline passed without a win; the sweep gave it back
  member_removed,     ///< the holder left the pool; the holding went back
  protection_set,     ///< the holding was protected from returning until a time
  protection_lifted,  ///< the holding's protection was lifted before it ended
  rules_changed,      ///< a policy change recomputed the holding's deadline
  /// A reminder of the coming return was sent; the note holds the reminder
  /// as text ("3d:admins"), `deadline` the deadline it warned of.
  reminded,
};

/// Returns the stable name of `kind`, e.g. "returned".
constexpr std::string_view to_string(HistoryKind kind) noexcept {
  switch (kind) {
    case HistoryKind::imported:
      return "imported";
    case HistoryKind::moved_in:
      return "moved_in";
    case HistoryKind::moved_out:
      return "moved_out";
    case HistoryKind::claimed:
      return "claimed";
    case HistoryKind::assigned:
      return "assigned";
    case HistoryKind::released:
      return "released";
    case HistoryKind::extended:
      return "extended";
    case HistoryKind::followed_up:
      return "followed_up";
    case HistoryKind::won:
      return "won";
    case HistoryKind::returned:
      return "returned";
    case HistoryKind::member_removed:
      return "member_removed";
    case HistoryKind::protection_set:
      return "protection_set";
    case HistoryKind::protection_lifted:
      return "protection_lifted";
    case HistoryKind::rules_changed:
      return "rules_changed";
    case HistoryKind::reminded:
      return "reminded";
  }
  return "unknown";
}

/// All history kinds, in declaration order.
inline constexpr std::array<HistoryKind, 15> kAllHistoryKinds{
    HistoryKind::imported,          HistoryKind::moved_in,       HistoryKind::moved_out,
    HistoryKind::claimed,           HistoryKind::assigned,       HistoryKind::released,
    HistoryKind::extended,          HistoryKind::followed_up,    HistoryKind::won,
    HistoryKind::returned,          HistoryKind::member_removed, HistoryKind::protection_set,
    HistoryKind::protection_lifted, HistoryKind::rules_changed,  HistoryKind::reminded};
static_assert(detail::is_enum_table(kAllHistoryKinds), "every HistoryKind needs its name");

/// Returns the kind named `name` (as printed by to_string), or nothing.
constexpr std::optional<HistoryKind> history_kind_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllHistoryKinds);
}

/// Prints the name of `kind`.
inline std::ostream& operator<<(std::ostream& out, HistoryKind kind) {
  return out << to_string(kind);
}

/// What a win is.
enum class WinKind : std::uint8_t { contract_signed, payment_received };

/// Returns the stable name of `kind`: "contract_signed" or "payment_received".
constexpr std::string_view to_string(WinKind kind) noexcept {
  switch (kind) {
    case WinKind::contract_signed:
      return "contract_signed";
    case WinKind::payment_received:
      return "payment_received";
  }
  return "unknown";
}

/// All win kinds, in declaration order.
inline constexpr std::array<WinKind, 2> kAllWinKinds{WinKind::contract_signed,
                                                     WinKind::payment_received};
static_assert(detail::is_enum_table(kAllWinKinds), "every WinKind needs its name");

/// Returns the win kind named `name` (as printed by to_string), or nothing.
constexpr std::optional<WinKind> win_kind_from_string(std::string_view name) noexcept {
  return detail::enum_from_string(name, kAllWinKinds);
}

/// Prints the name of `kind`.
inline std::ostream& operator<<(std::ostream& out, WinKind kind) { return out << to_string(kind); }

/// One change in a customer's pool life: who, when, why, from whom to whom.
struct HistoryEntry {
  Time at;                                   ///< when it happened
  HistoryKind kind = HistoryKind::imported;  ///< what happened
  std::optional<UserId> actor;               ///< none for the system (the sweep)
  std::optional<UserId> holder_before;       ///< the holder before the change, if any
  std::optional<UserId> holder_after;        ///< the holder after the change, if any
  Time deadline;                             ///< the deadline after the change, if held
  /// Follow-up text, reason. A won entry also carries its kind's name here,
  /// as before `win` existed; read `win` instead.
  std::string note;
  /// HistoryKind::won: what the win was. Otherwise nothing.
  std::optional<WinKind> win = std::nullopt;
  /// Entries that leave the customer held: which clock set `deadline`.
  /// HistoryKind::returned: which clock ran out. Otherwise nothing.
  std::optional<DeadlineReason> deadline_reason = std::nullopt;
  /// Entries that set a deadline, and returns: the policy version whose
  /// rules set it; 0 otherwise.
  std::uint32_t policy_version = 0;

  /// Field-by-field equality.
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

}  // namespace highseas

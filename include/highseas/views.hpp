/// @file
/// The values PublicPool commands and queries return.
///
/// Thread-safety: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/customer.hpp"
#include "highseas/ids.hpp"
#include "highseas/result.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/span.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// A holding as claim, assign and extend report it.
struct Holding {
  CustomerId customer;                ///< the customer held
  UserId holder;                      ///< who holds it
  Time since;                         ///< when the holding began
  Time deadline;                      ///< when it returns to the pool unless won or extended
  std::uint32_t extensions_used = 0;  ///< extensions granted so far

  /// Field-by-field equality.
  friend bool operator==(const Holding&, const Holding&) = default;
};

/// One customer as a pool member sees it: every query shows the deadline and
/// the time left, so nobody is surprised by a return.
struct CustomerView {
  CustomerProfile profile;                         ///< id, name, country, level, tags
  CustomerState state = CustomerState::available;  ///< available, held or regular
  std::optional<UserId> holder;                    ///< held: the holder; regular: the owner
  Time since;                                      ///< when the current state began
  Time deadline;                                   ///< held only
  std::optional<DeadlineReason> deadline_reason;   ///< held only: which clock set it
  Time protected_until;                            ///< held and protected only
  std::optional<Duration> time_left;               ///< held only; frozen while the pool is off
  std::uint32_t extensions_used = 0;               ///< extensions granted so far
  std::uint32_t extensions_left = 0;               ///< held only, under the current policy
  Time last_follow_up;                             ///< not_a_date_time if none
  /// Held only: how many of its reminders were sent for its current deadline
  /// (a holding counts those already due when it began as sent).
  std::uint32_t reminders_sent = 0;
  bool paused = false;  ///< the pool is off: countdowns stand still
  /// Who gave the customer back recently and until when each may not take
  /// it again: only the waits still running, one per user, soonest end first
  /// (then by user id).
  std::vector<Cooldown> cooldowns;
};

/// Which available customers a listing returns. Empty fields match anything.
struct AvailableFilter {
  std::string country;  ///< ISO 3166-1 alpha-2
  /// Customer level, e.g. "A".
  std::string level;
  std::string tag;  ///< customers carrying this tag

  /// Field-by-field equality.
  friend bool operator==(const AvailableFilter&, const AvailableFilter&) = default;
};

/// One page of a listing of available customers, ordered by customer id.
struct AvailableQuery {
  /// Which customers match.
  AvailableFilter filter;
  std::optional<CustomerId> after;  ///< the cursor: start after this id
  std::size_t limit = 50;           ///< Default: 50
};

/// One page of available customers, and the cursor to the next page.
struct AvailablePage {
  std::vector<CustomerView> customers;  ///< the customers on this page
  std::optional<CustomerId> next;       ///< pass as AvailableQuery::after; none on the last page
};

/// Where a walk through holdings by deadline stands: holdings are ordered by
/// deadline, then by customer id.
struct DeadlinePosition {
  Time deadline;  ///< the deadline of the last holding seen
  CustomerId id;  ///< its customer; "" for before every holding with that deadline

  /// Field-by-field equality.
  friend bool operator==(const DeadlinePosition&, const DeadlinePosition&) = default;
};

/// One page of the holdings about to return (PublicPool::at_risk): the
/// workbench's 回收预警 list, for one rep or the whole team.
struct AtRiskQuery {
  /// How far ahead: deadlines up to the end of this span from now, counted
  /// in the pool's days (3d ends with the third day's local midnight, 2bd
  /// with the second working day's). Default: 3 days.
  Span within = days(3);
  std::optional<UserId> holder;           ///< one rep's holdings; none: everyone's
  std::optional<DeadlinePosition> after;  ///< the cursor: start behind this holding
  std::size_t limit = 50;                 ///< Default: 50
};

/// One page of holdings about to return, earliest deadline first (then by id).
struct AtRiskPage {
  /// The holdings, each with its deadline, the clock that set it and the time left.
  std::vector<CustomerView> customers;
  /// Where the window ends: deadlines up to this instant are listed.
  Time until;
  /// Pass as AtRiskQuery::after for the next page; none on the last page.
  std::optional<DeadlinePosition> next;
};

/// The pool's settings as queries show them.
struct PoolInfo {
  PoolId pool;                       ///< the pool's id
  bool enabled = true;               ///< the pool feature is on
  ClaimPolicy policy;                ///< the rules in force
  Time created_at;                   ///< when create() made the pool
  Time paused_since;                 ///< not_a_date_time while enabled
  std::size_t members = 0;           ///< how many users have a role in the pool
  std::uint32_t policy_version = 1;  ///< the version of `policy`
  Time policy_since;                 ///< when that version took effect
};

/// One member's line in a pool summary.
struct MemberSummary {
  UserId user;                  ///< the member
  Role role = Role::pool_user;  ///< their role
  std::size_t held = 0;         ///< how many customers they hold
  std::size_t urgent = 0;       ///< how many of those are close to their deadline
  Time next_deadline;           ///< their earliest deadline; not_a_date_time if none
  /// Time left until next_deadline (on the paused clock while the pool is
  /// off); nothing if they hold nothing.
  std::optional<Duration> next_time_left;
};

/// The pool at a glance (PublicPool::summary): counts from storage, not from
/// paging through the customers.
struct PoolSummary {
  PoolInfo info;                       ///< the pool's settings
  std::uint64_t available = 0;         ///< customers waiting in the pool
  std::uint64_t held = 0;              ///< customers held by members
  std::uint64_t regular = 0;           ///< customers that left the pool (won or moved out)
  std::vector<MemberSummary> members;  ///< every member, ordered by user id
};

/// How an import treats invalid rows.
enum class ImportMode {
  keep_valid,      ///< add the valid rows, report the invalid ones (default)
  all_or_nothing,  ///< add nothing if any row is invalid
  check_only,      ///< add nothing; report what an import would refuse (a dry run)
};

/// What an import row collided with (撞单).
struct Collision {
  CustomerId existing;                             ///< the customer already known to the pool
  bool by_name = false;                            ///< matched by normalised name, not by id
  CustomerState state = CustomerState::available;  ///< available, held or regular
  std::optional<UserId> holder;                    ///< held: by whom; regular: the owner
  Time deadline;                                   ///< held: until when
};

/// Why one import row was not added.
struct ImportProblem {
  std::size_t row = 0;                               ///< index in the batch, from 0
  std::string field;                                 ///< "id", "name", "country", "level", "tags"
  RefusalCode code = RefusalCode::invalid_argument;  ///< why, as a stable code
  std::string reason;                                ///< why, for people
  std::optional<Collision> collision;                ///< set for duplicates of known customers
};

/// What import_customers did.
struct ImportReport {
  std::vector<CustomerId> imported;     ///< added, in batch order
  std::vector<ImportProblem> problems;  ///< rows not added, in batch order
};

/// A holding the sweep returned to the pool.
struct ReturnedHolding {
  CustomerId customer;     ///< the customer held
  UserId previous_holder;  ///< who held it
  Time deadline;           ///< when it returns to the pool unless won or extended
};

/// Whether a pool's work calendar still covers the business days its policy
/// counts: holidays are announced late in the year, and a count that runs
/// into a year the calendar lacks is refused or counted by weekends only.
struct CalendarOutlook {
  std::uint32_t calendar_version = 0;  ///< the pool's calendar (0: none set)
  std::optional<int> last_year;        ///< the last year it knows; none if it knows none
  bool counts_business_days = false;   ///< whether the policy counts any business days
  UnknownYears unknown_years = UnknownYears::refuse;  ///< what the pool does past it
  /// The first moment within the window asked for (now, or a local midnight
  /// after it) from which a business-day span of the policy would run into a
  /// year the calendar does not know: from then commands are refused
  /// (calendar_ends) or count that year's weekends only. None: not before the
  /// window ends.
  std::optional<Time> runs_out_at;
  std::optional<int> unknown_year;  ///< the year it would run into
};

/// A reminder the sweep sent (PoolEvents::reminder_due carries the same).
struct SentReminder {
  CustomerId customer;           ///< the customer held
  UserId holder;                 ///< who holds it
  Time deadline;                 ///< when it returns unless won, followed up or extended
  Reminder reminder;             ///< which reminder: how long before, to whom
  Duration time_left;            ///< from the sweep to the deadline (on the paused clock)
  std::vector<UserId> audience;  ///< who was warned: the holder first, then by user id
};

/// What a sweep did.
struct SweepReport {
  std::vector<ReturnedHolding> returned;  ///< in deadline order
  /// Reminders sent, in the order they fell due (then by customer id).
  std::vector<SentReminder> reminded;
  bool paused = false;  ///< the pool is off; nothing is due
};

}  // namespace highseas

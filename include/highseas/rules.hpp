/// @file
/// The pure decisions of a pool: for each command, from (what storage holds,
/// who acts, the pool's settings and policy, the role table, the time) to
/// either the change to write or a Refusal.
///
/// PublicPool reads, asks these functions, and applies what they return; it
/// decides nothing itself. Nothing here touches storage, clocks or threads, so
/// every rule is testable on its own (tests/rules_test.cpp).
///
/// Thread-safety: pure functions over values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "highseas/claim_policy.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/due_return.hpp"
#include "highseas/explanation.hpp"
#include "highseas/ids.hpp"
#include "highseas/policy_preview.hpp"
#include "highseas/records.hpp"
#include "highseas/result.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/team_calendar.hpp"
#include "highseas/time.hpp"
#include "highseas/views.hpp"

namespace highseas::rules {

/// Every PublicPool command, for the rules that depend on which one runs.
enum class Command : std::uint8_t {
  create,
  set_member,
  remove_member,
  set_enabled,
  set_policy,
  import_customers,
  move_into_pool,
  move_out_of_pool,
  claim,
  assign,
  release,
  extend,
  follow_up,
  record_win,
  protect,
  sweep,
  query,
};

/// What every decision knows: the pool, the role table, who acts, and when.
struct Situation {
  /// The pool's settings and policy.
  PoolRecord pool;
  /// Who may do what.
  RoleGuard guard;
  std::optional<UserId> actor;  ///< none: the system (the sweep)
  std::optional<Role> role;     ///< the actor's role
  /// The clock's time of the command.
  Time now;
  /// How the pool counts days: its time zone and work calendar. None: UTC
  /// with Saturday and Sunday off, as for a pool that set neither.
  std::shared_ptr<const TeamCalendar> days;
};

/// Returns how `situation`'s pool counts days.
const TeamCalendar& team_calendar(const Situation& situation);

/// Returns where `span` counted from `start` ends in the pool's days
/// (TeamCalendar::after): whole days end at local midnight, business days
/// skip the calendar's days off.
Time end_of(const Situation& situation, Time start, const Span& span);

/// One customer's change: the record to write and the history entry to append.
struct Change {
  /// The record to write.
  CustomerRecord after;
  /// The history entry to append.
  HistoryEntry entry;
};

// --- Who may run a command at all ---

/// Returns true iff `command` works while the pool is switched off. Setting up,
/// emptying and reading the pool do; anything that starts or moves a countdown
/// (claim, assign, extend, import, move in) does not.
bool works_while_off(Command command);

/// Returns nothing if `command` may run in `pool` now, else pool_disabled.
std::optional<Refusal> check_switched_on(const PoolRecord& pool, Command command);

/// Returns how far a holding's countdown has run at `now`: while the pool is
/// off every countdown stands still at the moment it was paused.
Time countdown_now(const PoolRecord& pool, Time now);

/// Returns true iff a holding with `deadline` is due in `pool` at `now`.
bool is_due(const PoolRecord& pool, Time deadline, Time now);

// --- Members ---

/// Returns nothing if `user` (now `before`, none if not a member) may become
/// `after` (none: removed), else why not. `bosses` counts the pool's bosses;
/// the last one may be neither demoted nor removed.
std::optional<Refusal> check_member_change(const UserId& user, std::optional<Role> before,
                                           std::optional<Role> after, std::size_t bosses);

/// Returns the pool after switching it on or off at `now`, and by how much every
/// running deadline moves (resuming gives each holding back the time it had).
struct Switch {
  /// The pool after the switch.
  PoolRecord pool;
  /// How far every running deadline moves.
  Duration shift_deadlines_by;
};
/// Returns the pool after switching it on or off at `now`, and how far deadlines move.
Switch switch_pool(const PoolRecord& pool, bool enabled, Time now);

// --- Customer commands (the actor's role was already checked for the
// command's fixed action, see PublicPool) ---

/// Sets a holding's deadline and its reason from its clocks: the earlier of
/// period_deadline and idle_deadline (the period on a tie), or
/// protected_until if that is later (reason protection_ended).
void settle_deadline(CustomerRecord& holding);

// --- Reminders (ReturnRule::reminders) ---
//
// A reminder is due once at most `before` is left until the deadline,
// counted in the pool's days (TeamCalendar::before). Each is sent at most
// once per deadline: `reminders_sent` marks those that count as sent. When a
// deadline moves, arm_reminders re-arms them for the new one:
//   * a reminder whose time has not come for the new deadline is armed again,
//     even if it was sent for the old one (a rep whose follow-up bought a
//     week hears the week's warnings again);
//   * one sent whose time has still come is never sent again;
//   * of those whose time came with the move and were not sent, only the
//     most urgent is sent, at once: a deadline that jumps 10 days closer
//     warns once, not once per reminder it jumped over. A late sweep does
//     the same. Of two whose times came together, the one to the wider
//     audience is sent.
// A holding that just began counts the reminders whose time has already
// come as sent: a rep who just claimed a customer needs no warning.

/// Arms `holding`'s reminders (held, its deadline set) at `now`, the
/// countdown's time (frozen while the pool is off): sets reminders_sent and
/// reminder_due as the rules above say. `fresh`: the holding just began.
void arm_reminders(const TeamCalendar& days, CustomerRecord& holding, Time now, bool fresh);

/// What the sweep makes of a holding whose reminder is due.
struct Reminding {
  /// The record re-armed for the next reminder, and the history entry
  /// (HistoryKind::reminded) to append when `reminder` is set.
  Change change;
  /// The reminder to send now: the most urgent whose time came and that was
  /// not sent for this deadline. None when none is owed any more (the
  /// holding's deadline or rules changed since it was armed): then only the
  /// record is written.
  std::optional<Reminder> reminder;
};

/// The reminder `holding` (held, reminder_due <= situation.now) is owed now,
/// sent by the system. A holding already due is owed none: its return is
/// what its holder hears (its reminder is disarmed).
Reminding remind(const Situation& situation, const CustomerRecord& holding);

/// Returns who hears a reminder to `audience` about `holder`'s holding,
/// from the pool's `members` (ordered by user id): the holder first, then
/// each admin and boss the audience names, by user id, none twice.
std::vector<UserId> reminder_recipients(std::span<const Member> members, const UserId& holder,
                                        ReminderAudience audience);

/// What take() knows of the user who would hold the customer.
struct Taker {
  UserId user;                 ///< who would hold it: the actor's claim, or the assignee
  std::optional<Role> role;    ///< their role in the pool; none if not a member
  std::uint32_t holdings = 0;  ///< the places they take now (PublicPool counts due ones out)
  DailyTakes takes;            ///< their daily tally as stored, of whatever day (daily limit)
};

/// Returns the pool-local day `situation.now` falls on.
LocalDate local_day(const Situation& situation);

/// Returns true iff take() checks `taker`'s daily tally for `command`: the
/// policy has a daily limit that counts the command (claims always,
/// assignments when it says so) and RoleGuard does not exempt the taker's
/// role (Action::exceed_daily_limit).
bool counts_daily(const Situation& situation, Command command, const Taker& taker);

/// Claim (taker == actor) or assign of a customer of `level` (its return
/// rule comes from it): not_a_member (an assignee who is not a member),
/// unknown_customer, not_in_pool, already_held, cooldown (retry_after: its
/// end), cap_reached, daily_limit (when counts_daily; retry_after: the next
/// local midnight), calendar_ends (a business-day clock would run into a
/// year the calendar does not know and the policy refuses such years).
Result<Change> take(const Situation& situation, Command command, const CustomerId& id,
                    const std::optional<CustomerRecord>& before, const Taker& taker,
                    std::string_view level);

/// Returns `taker`'s daily tally after a take of a customer of `level` by
/// `command` today: a tally of an earlier day starts again at zero; a
/// customer counts by level only when its level has a limit of its own.
DailyTakes tally_take(const Situation& situation, Command command, const Taker& taker,
                      std::string_view level);

/// unknown_customer, not_in_pool, not_held, not_permitted (release_own/any).
Result<Change> release(const Situation& situation, const CustomerId& id,
                       const std::optional<CustomerRecord>& before);

/// unknown_customer, not_in_pool, not_held, deadline_passed, extension_limit,
/// calendar_ends (the extension, counted on from the holding period's end,
/// would count business days into a year the calendar lacks).
Result<Change> extend(const Situation& situation, const CustomerId& id,
                      const std::optional<CustomerRecord>& before);

/// unknown_customer, not_in_pool, not_held, held_by_other, deadline_passed.
/// Never calendar_ends: an idle clock restarted into a year the calendar
/// does not know counts that year by its weekends (UnknownYears).
Result<Change> follow_up(const Situation& situation, const CustomerId& id,
                         const std::optional<CustomerRecord>& before, std::string_view note);

/// unknown_customer, not_in_pool, not_held, not_permitted (record_win_own/any),
/// deadline_passed.
Result<Change> record_win(const Situation& situation, const CustomerId& id,
                          const std::optional<CustomerRecord>& before, WinKind kind);

/// Protects a holding from returning until `length` from now (the policy's
/// longest protection if none), counted in the pool's days (end_of);
/// `protections_of_holder` counts the holder's
/// holdings protected at now. unknown_customer, not_in_pool, not_held,
/// not_permitted (protect_own/any), deadline_passed, invalid_argument (a
/// length not above zero or past the longest), protection_limit (off, the
/// holder's most, or already protected: no renewal past the longest),
/// calendar_ends (as take).
Result<Change> protect(const Situation& situation, const CustomerId& id,
                       const std::optional<CustomerRecord>& before,
                       std::uint32_t protections_of_holder, std::optional<Duration> length);

/// Lifts a running protection: the holding's other clocks apply again at once.
/// unknown_customer, not_in_pool, not_held, not_permitted (protect_own/any),
/// deadline_passed, invalid_argument (not protected).
Result<Change> unprotect(const Situation& situation, const CustomerId& id,
                         const std::optional<CustomerRecord>& before);

/// Returns why `holding` (held) returns when it does under the pool's policy
/// at situation.now, the days its business-day clocks skip, and what a
/// follow-up, an extension or a protection now would make of its deadline:
/// the same settle_deadline the commands use.
Explanation explain(const Situation& situation, const CustomerId& id,
                    const CustomerRecord& holding);

/// Returns true iff `holding` is protected at `now`.
bool is_protected(const CustomerRecord& holding, Time now);

// --- Policy changes and running holdings ---

/// Returns nothing if `days` can count `policy`'s business days at `now`,
/// else calendar_ends: the policy refuses unknown years (UnknownYears) and
/// one of its business-day spans counted from now would run into a year the
/// work calendar does not know. A policy counting unknown years by weekends
/// only is never refused.
std::optional<Refusal> check_calendar_covers(const ClaimPolicy& policy, const TeamCalendar& days,
                                             Time now);

/// Returns whether `days` covers the business days `policy` counts from any
/// start between `now` and `now + within` (see CalendarOutlook; the version
/// left 0). REQUIRES: `within` not negative.
CalendarOutlook calendar_outlook(const ClaimPolicy& policy, const TeamCalendar& days, Time now,
                                 Duration within);

/// What a policy or calendar change does to one running holding of a
/// customer of `level`, under `situation` (the pool as the change leaves it:
/// the new policy, version and days; `counted_in`: the days it was counted in
/// before): its clocks recomputed (see RunningHoldings), with a rules_changed
/// history entry. Nothing when the holding keeps its deadline: `running` is
/// keep, its clocks come out the same, or never_shorten would shorten it
/// (then it keeps all its clocks and its old version).
std::optional<Change> recompute(const Situation& situation, const TeamCalendar& counted_in,
                                const CustomerRecord& holding, std::string_view level,
                                RunningHoldings running);

/// One running holding as a preview shows it: what recompute would make of
/// it, and whether it would be due at once.
HoldingPreview preview_holding(const Situation& situation, const TeamCalendar& counted_in,
                               const CustomerId& id, const CustomerRecord& holding,
                               std::string_view level, RunningHoldings running);

/// Completes `preview` from its holdings: sorts them by new deadline, counts
/// returns per day from preview.counted_from and the per-holder totals.
void summarize(PolicyPreview& preview);

/// unknown_customer, not_in_pool.
Result<Change> move_out(const Situation& situation, const CustomerId& id,
                        const std::optional<CustomerRecord>& before);

/// A customer whose normalised name the pool already knows under another id.
struct NameMatch {
  /// The customer that has the name.
  CustomerId id;
  /// Its pool state.
  CustomerRecord record;
};

/// already_in_pool (the id is a pool customer, or a new one's name matches a
/// pool customer), known_customer (a new one's name matches a regular one).
Result<Change> move_in(const Situation& situation, const CustomerId& id,
                       const std::optional<CustomerRecord>& before,
                       const std::optional<NameMatch>& same_name);

// --- Returns at the deadline ---

/// Returns true iff `record` is a holding due at `now`: held, in a switched-on
/// pool, its deadline at or before `now`. Every command and query
/// treats it as returned at its deadline, whenever a sweep comes to write that
/// (so a host's sweep schedule changes no answer, only when Returned is heard).
bool is_due(const PoolRecord& pool, const CustomerRecord& record, Time now);

/// Returns `record` as it stands at `now`: a due holding as its return at the
/// deadline leaves it (see DueReturn::returned), any other as it is.
CustomerRecord settled(const PoolRecord& pool, const CustomerRecord& record, Time now);

/// How due holdings go back: those due at situation.now, each
/// returned at its own deadline with the holder in cooldown for the policy's
/// reclaim cooldown from then. A storage applies it (Transaction::return_due).
DueReturn due_return(const Situation& situation);

/// The return of one due holding: what due_return(situation) writes for
/// `before` (the sweep's, or the first command's that touches it).
Change return_due(const Situation& situation, const CustomerRecord& before);

/// The situation a due holding's return is announced in: the system (no
/// actor) at the holding's deadline, which its Returned event carries.
Situation at_deadline(const Situation& situation, const CustomerRecord& holding);

/// A removed member's holding going back, without a cooldown.
Change return_of_removed_member(const Situation& situation, const CustomerRecord& before);

// --- Import ---

/// What import knows about one row once it has looked it up.
struct ImportRow {
  /// The row as given.
  const CustomerProfile& profile;
  /// Its normalised name (name_key.hpp).
  std::string_view name_key;
  /// An earlier row of the batch has the same id.
  bool id_repeated_in_batch = false;
  /// The pool state of a known customer with the same id.
  std::optional<CustomerRecord> known_by_id;
  /// An earlier row of the batch has the same normalised name.
  bool name_repeated_in_batch = false;
  /// A known customer with the same normalised name.
  std::optional<NameMatch> known_by_name;
};

/// Returns why the profile of batch row `index` is malformed, or nothing.
/// Checked first: a malformed row takes no part in the checks below.
std::optional<ImportProblem> invalid_profile(std::size_t index, const CustomerProfile& profile);

/// Returns why a well-formed row may not be imported, or nothing. Checks in
/// order: a repeated id, a known id, a repeated name, a known name.
std::optional<ImportProblem> import_problem(std::size_t index, const ImportRow& row);

/// Returns true iff an import in `mode` writes its valid rows, given whether
/// any row had a problem.
bool import_writes(ImportMode mode, bool any_problem);

/// A new pool customer entering by import.
Change imported(const Situation& situation);

// --- Views ---

/// Returns one customer as a member sees it at `now`: the deadline, the time
/// left (frozen while the pool is off), extensions left and any running
/// cooldown; a due holding as returned at its deadline (see settled).
CustomerView view_of(const PoolRecord& pool, const CustomerProfile& profile,
                     const CustomerRecord& record, Time now);

/// Returns how close to its deadline a holding must be to need attention when
/// the host's users chose nothing else: 3 days.
inline Duration default_warning() { return days(3); }

/// Returns true iff a holding needs attention: it has less than `warn_within`
/// left (counted on the paused clock while the pool is off).
bool is_urgent(const CustomerView& view, Duration warn_within = default_warning());

}  // namespace highseas::rules

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/rules-inl.hpp"  // IWYU pragma: export
#endif

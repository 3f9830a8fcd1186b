// The reference model: what a pool should do, written as plainly as possible
// (std::map, linear scans, no indexes) so that it is obviously right. The
// simulation runs every command on the model and on the engine and compares.
//
// It follows DESIGN.md and issue 3, including the refusal order the engine
// uses: argument validity -> unknown_pool -> not_a_member -> not_permitted ->
// pool_disabled -> customer checks.
//
// Reminders (ReturnRule::reminders) are not settled that way: only a sweep
// sends them, and what it sends depends on when it runs (a late one sends
// only the most urgent owed), so the model predicts them at each sweep. A
// holding keeps its rule's list, which of them count as sent for its deadline
// and when the next is due in its own record (CustomerRecord::reminders,
// reminders_sent, reminder_due, compared with the engine's stored ones).
//
// Returns are exact at the deadline: the model is always settled, i.e. every
// holding whose deadline has come (pool enabled) is returned at its deadline
// as soon as the time is known (catch_up), which is what a sweep every second
// would do. The engine writes such a return later: at the first command that
// succeeds on the customer, at a sweep, when the pool is paused or when its
// holder is removed. Until then the return is *pending* here: its Returned
// event waits (it is emitted by the command that writes it, before that
// command's own event) and the stored record is still the held one.
#pragma once

#include <highseas/highseas.hpp>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "reference_rules.hpp"

namespace highseas::sim {

// One emitted event, flattened so model and engine events compare directly.
struct EventRecord {
  std::string kind;  // the PoolEvents member name, e.g. "claimed"
  std::optional<UserId> actor;
  Time at;
  std::optional<CustomerId> customer;
  std::optional<UserId> previous_holder;
  std::optional<UserId> holder;
  Time deadline;
  std::optional<DeadlineReason> deadline_reason;  // held after: its clock; returned: the one out
  std::string detail;                             // event-specific fields, printed

  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

std::ostream& operator<<(std::ostream& out, const EventRecord& event);

// Returns every field of `policy` in one line, for event details.
std::string describe(const ClaimPolicy& policy);

// Returns a ReminderDue's own fields in one line, for event details.
std::string reminder_detail(const Reminder& reminder, Duration time_left,
                            const std::vector<UserId>& audience);

// What the model predicts for one command.
struct Outcome {
  std::optional<RefusalCode> refusal;  // none: the command succeeds
  std::vector<EventRecord> events;     // emitted on success, in order
  std::optional<Holding> holding;      // claim, assign, extend, protect, unprotect
  std::vector<CustomerId> imported;    // import
  // import problems as (row, code)
  std::vector<std::pair<std::size_t, RefusalCode>> problems;
  std::vector<ReturnedHolding> returned;  // sweep
  std::vector<SentReminder> reminded;     // sweep, in the order they are sent
  // sweep: reminders owed but not sent because a more urgent one of the same
  // holding was (a late sweep, a deadline that jumped closer)
  std::uint32_t reminders_passed_over = 0;
  bool paused = false;                 // sweep
  std::uint32_t calendar_version = 0;  // set_calendar
  // A refusal time lifts says when: a cooldown's end, the next local
  // midnight for daily_limit; none for every other refusal.
  std::optional<Time> retry_after;
  // What a daily_limit refusal hit ("overall" or "level A"), for the tallies.
  std::string daily_limit_hit;
  // A claim or assignment the daily limit counted (its taker's tally grew).
  bool counted_today = false;
};

// Returns an outcome that says only "refused with `code`" (ok when there is
// none) and emits nothing.
Outcome refused(std::optional<RefusalCode> code);

class Model {
 public:
  struct Customer {
    CustomerProfile profile;
    CustomerRecord record;
    std::vector<HistoryEntry> history;
  };

  // A return at the deadline the model made but the engine has not written
  // yet: the record as still stored, the event its writer emits and the
  // sweep's line for it.
  struct PendingReturn {
    CustomerRecord stored;  // held, due
    EventRecord event;      // returned, at the deadline
    ReturnedHolding returned;
  };

  // What one user took on one local day of the pool while a daily limit was
  // set (daily_limit.hpp): claims and assignments apart, since a limit
  // counts assignments only while it says so, and per level only the takes
  // of levels that had a limit of their own when taken (claims,
  // assignments). Takes not counted (no limit, an exempt role, an
  // assignment a limit did not count) are not here. Kept across a member's
  // removal: it is the user's, not the membership's.
  struct DayTally {
    date::local_days day;
    std::uint32_t claims = 0;
    std::uint32_t assignments = 0;
    std::map<std::string, std::pair<std::uint32_t, std::uint32_t>> levels;
  };

  explicit Model(PoolId pool) : pool_id_(std::move(pool)) {}

  // Commands, mirroring PublicPool; `now` is the clock's time.
  Outcome create(Time now, const UserId& boss, const ClaimPolicy& policy);
  Outcome set_member(Time now, const UserId& actor, const UserId& user, Role role);
  Outcome remove_member(Time now, const UserId& actor, const UserId& user);
  Outcome set_enabled(Time now, const UserId& actor, bool enabled);
  Outcome set_policy(Time now, const UserId& actor, const ClaimPolicy& policy,
                     RunningHoldings running);
  Outcome update_policy(Time now, const UserId& actor, const PolicyPatch& patch,
                        RunningHoldings running);
  // set_calendar: `calendar` is the reference form of the WorkCalendar the
  // engine gets. On success `out.calendar_version` is the version returned.
  Outcome set_calendar(Time now, const UserId& actor, const reference::DaysOff& calendar,
                       RunningHoldings running);
  Outcome import_customers(Time now, const UserId& actor, std::span<const CustomerProfile> batch,
                           ImportMode mode);
  Outcome move_into_pool(Time now, const UserId& actor, const CustomerProfile& profile);
  Outcome move_out_of_pool(Time now, const UserId& actor, const CustomerId& id);
  Outcome claim(Time now, const UserId& actor, const CustomerId& id);
  Outcome assign(Time now, const UserId& actor, const CustomerId& id, const UserId& to);
  Outcome release(Time now, const UserId& actor, const CustomerId& id);
  Outcome extend(Time now, const UserId& actor, const CustomerId& id);
  Outcome follow_up(Time now, const UserId& actor, const CustomerId& id, std::string_view note);
  Outcome record_win(Time now, const UserId& actor, const CustomerId& id, WinKind kind);
  Outcome protect(Time now, const UserId& actor, const CustomerId& id,
                  std::optional<Duration> length);
  Outcome unprotect(Time now, const UserId& actor, const CustomerId& id);
  Outcome sweep(Time now);

  // Returns every holding due at `now` at its deadline (earliest deadline
  // first, then by id), as pending returns. Every command calls it first;
  // callers call it when the clock moves, so that queries see a settled pool.
  void catch_up(Time now);
  // The returns made but not written by the engine yet, by customer.
  const std::map<CustomerId, PendingReturn>& pending() const { return pending_; }

  // Query refusals: the refusal a query by `actor` gets, or nothing.
  std::optional<RefusalCode> query_refusal(const UserId& actor) const;
  // The view of a known customer as queries should show it.
  CustomerView view_of(const Customer& customer, Time now) const;
  // The customers `user` holds, earliest deadline first, then by id.
  std::vector<const Customer*> holdings_of(const UserId& user) const;
  // The available customers matching `filter`, by id.
  std::vector<const Customer*> available(const AvailableFilter& filter) const;
  // Where an at-risk window of `within` from `now` ends: counted from the
  // countdown (now, or when a paused pool went off) in the pool's days.
  Time at_risk_until(Time now, const Span& within) const;
  // The holdings (of `holder`, or everyone's) not due at `now` whose deadline
  // is at most `until`, earliest deadline first, then by id.
  std::vector<const Customer*> at_risk(Time now, Time until,
                                       const std::optional<UserId>& holder) const;

  // Returns true iff `text` is a valid field of 1..max (0..max) bytes.
  static bool valid_text(std::string_view text, std::size_t max, bool may_be_empty);
  // Returns true iff every field of `profile` is acceptable.
  static bool valid_profile(const CustomerProfile& profile);

  bool exists() const { return exists_; }
  const PoolRecord& pool() const { return pool_; }
  const std::map<UserId, Role>& members() const { return members_; }
  const std::map<CustomerId, Customer>& customers() const { return customers_; }
  const reference::DaysOff& calendar() const { return calendar_; }
  // Each user's tally of their last day of counted takes.
  const std::map<UserId, DayTally>& tallies() const { return tallies_; }

 private:
  std::optional<RefusalCode> enter(const UserId& actor, std::optional<Action> action) const;
  // Where `span` from `start` ends in the pool's zone and work calendar.
  reference::Counted count(Time start, const Span& span) const;
  // The count of `span` from `now`, or calendar_ends when it runs into a year
  // the calendar does not know and the policy refuses to guess one.
  std::optional<Time> counted_or_refused(Time now, const Span& span) const;
  // Recomputes every running holding under `policy` after a change of policy
  // or calendar (counted before in `old_zone` and `old_calendar`), with their
  // events and history; returns how many changed.
  std::uint32_t recompute_running(Outcome& out, Time now, const UserId& actor,
                                  const ClaimPolicy& policy, const std::string& old_zone,
                                  const reference::DaysOff& old_calendar, RunningHoldings running);
  Outcome take(Time now, const UserId& actor, const CustomerId& id, const UserId& taker,
               Action action);
  // Whether a take by `taker` (claim, or assign) counts against the daily limit.
  bool counted_today(const UserId& taker, Action action) const;
  // The daily_limit refusal of a counted take of a customer of `level` by
  // `taker` at `now`, as an outcome with its retry_after, or nothing.
  std::optional<Outcome> over_daily_limit(Time now, const UserId& taker,
                                          const std::string& level) const;
  // Adds a counted take to `taker`'s tally of the day.
  void tally_take(Time now, const UserId& taker, const std::string& level, Action action);
  std::optional<RefusalCode> holding_problem(const CustomerId& id) const;
  std::size_t count_holdings(const UserId& user) const;
  std::size_t count_protected(const UserId& user, Time now) const;
  std::optional<RefusalCode> protection_problem(const UserId& actor, const CustomerId& id,
                                                Time now) const;
  std::size_t count_bosses() const;
  bool due(const CustomerRecord& record, Time now) const;
  EventRecord customer_event(std::string kind, Time now, const std::optional<UserId>& actor,
                             const CustomerId& id, const CustomerRecord& before,
                             const CustomerRecord& after) const;
  // The policy change itself, once the new policy is known and valid: the
  // permission checks, the new version and what it does to running holdings.
  Outcome change_policy(Time now, const UserId& actor, const ClaimPolicy& policy,
                        RunningHoldings running);
  // Writes `after` with its history entry; a change that leaves the
  // customer held re-arms its reminders for the deadline it leaves.
  void write(Customer& customer, HistoryKind kind, Time now, const std::optional<UserId>& actor,
             CustomerRecord after, std::string note = {});
  // Where the countdown stands at `now`: still at the pause while the pool is off.
  Time countdown(Time now) const;
  // When each of `holding`'s reminders comes for its deadline, in list order.
  std::vector<Time> reminder_times(const CustomerRecord& holding) const;
  // Re-arms `holding`'s reminders (held, with some) at `countdown`: which
  // count as sent for its deadline and when the next one is due. `fresh`:
  // the holding just began.
  void arm_reminders(CustomerRecord& holding, Time countdown, bool fresh) const;
  // Who hears a reminder to `audience` about `holder`'s holding.
  std::vector<UserId> audience_of(const UserId& holder, ReminderAudience audience) const;
  // The sweep's second part at `now`: every holding whose reminder is due
  // sends the most urgent owed one, if any, and is re-armed.
  void send_reminders(Outcome& out, Time now);
  // The engine writes `id`'s pending return now (a command succeeded on it):
  // its Returned event comes before the command's own.
  void write_pending(Outcome& out, const CustomerId& id);
  // The engine writes every pending return (of `holder`'s holdings only, when
  // given): events and sweep lines earliest deadline first, then by id.
  void write_all_pending(Outcome& out, const std::optional<UserId>& holder = std::nullopt);

  PoolId pool_id_;
  bool exists_ = false;
  PoolRecord pool_;
  std::map<UserId, Role> members_;
  std::map<CustomerId, Customer> customers_;
  std::map<std::string, CustomerId> name_keys_;  // every known customer's name key
  std::map<CustomerId, PendingReturn> pending_;  // returned here, not yet by the engine
  reference::DaysOff calendar_;                  // the pool's work calendar (version in pool_)
  std::map<UserId, DayTally> tallies_;           // the daily limit's, per user
};

}  // namespace highseas::sim

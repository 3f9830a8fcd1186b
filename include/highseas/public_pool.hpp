/// @file
/// PublicPool: the customer public pool (客户公海) of one pool id.
///
/// The only place where rules are applied. Each command: check the arguments,
/// open one storage transaction, read, ask the pure rules (rules.hpp, which ask
/// ClaimPolicy and RoleGuard) for the decision, apply it, commit, then emit
/// events. A refused
/// command (Result holding a Refusal) changed nothing and emitted nothing.
/// Storage failures throw StorageError and also change nothing; transient
/// conflicts are retried here, so callers never see them.
///
/// Thread-safety: safe to call from many threads at once. With a shared
/// PostgreSQL storage many processes may run the same pool. Events are emitted
/// after commit, in commit order, with no internal lock held, so a slot may call
/// back into the pool (its own events are emitted after the slot returns).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "highseas/activity.hpp"
#include "highseas/claim_policy.hpp"
#include "highseas/clock.hpp"
#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/detail/exceptions_required.hpp"  // a clear error under -fno-exceptions
#include "highseas/events.hpp"
#include "highseas/explanation.hpp"
#include "highseas/ids.hpp"
#include "highseas/import_source.hpp"
#include "highseas/records.hpp"
#include "highseas/result.hpp"
#include "highseas/role_guard.hpp"
#include "highseas/rules.hpp"
#include "highseas/storage.hpp"
#include "highseas/views.hpp"

namespace highseas {

/// Every command refuses invalid_argument for a malformed id or field,
/// unknown_pool before create(), not_a_member for an actor outside the pool and
/// not_permitted where RoleGuard says no; each comment lists the others.
class PublicPool {
 public:
  /// A pool over `storage`, reading time from `clock`. Both must outlive the
  /// pool. Does not touch storage: call create() once for a new pool.
  PublicPool(PoolId pool, Storage& storage, const Clock& clock,
             RoleGuard guard = RoleGuard::standard());
  ~PublicPool();
  PublicPool(const PublicPool&) = delete;
  PublicPool& operator=(const PublicPool&) = delete;

  /// Returns the pool's id.
  const PoolId& id() const noexcept;
  /// Returns the signals this pool emits: hosts connect slots here; only the
  /// pool emits.
  PoolEvents& events() noexcept;

  // --- Setting up (boss) ---
  /// Creates the pool, switched on, with `first_boss` as its only member.
  /// Refuses pool_exists if it was created before; invalid_argument for an
  /// invalid policy; calendar_ends for one counting business days that
  /// refuses unknown years (a new pool has no work calendar yet: set_calendar
  /// first, then the policy).
  Result<Done> create(const UserId& first_boss, const ClaimPolicy& policy = {});
  /// Adds `user` with `role`, or changes their role. The pool always keeps one
  /// boss: demoting the last one is invalid_argument.
  Result<Done> set_member(const UserId& actor, const UserId& user, Role role);
  /// Removes `user`; their holdings return to the pool at once (no cooldown).
  /// Refuses not_a_member for a user outside the pool, invalid_argument for
  /// the last boss.
  Result<Done> remove_member(const UserId& actor, const UserId& user);
  /// Switches the pool on or off. Off pauses every countdown; on resumes each
  /// holding with the time it had left.
  Result<Done> set_enabled(const UserId& actor, bool enabled);
  /// Replaces the pool's policy as a new version, effective at once (see
  /// claim_policy.hpp for what a change means). `running` says what happens
  /// to holdings already running: keep their deadlines, recompute them under
  /// the new rules, or recompute without ever shortening (return_rules.hpp);
  /// each recomputed holding gets a rules_changed history entry and a
  /// DeadlineRecomputed event (by holder id, then deadline), and then comes
  /// the one PolicyChanged, which counts them, so a host can batch them.
  /// Recomputing costs a read of every running holding, in the same
  /// transaction. The cap needs set_max_holdings, the time rules
  /// set_holding_period; not_permitted otherwise; invalid_argument for an
  /// invalid policy or a `running` outside the enum; calendar_ends when the
  /// policy's business-day spans from today would run into a year the work
  /// calendar does not know (see UnknownYears).
  Result<Done> set_policy(const UserId& actor, const ClaimPolicy& policy,
                          RunningHoldings running = RunningHoldings::keep);
  /// Changes only the fields `patch` sets, on the policy as it is when the
  /// change commits, so concurrent changes of other fields are kept; `running`
  /// as set_policy. Refuses invalid_argument when the patched policy is not
  /// valid, not_permitted as set_policy.
  Result<Done> update_policy(const UserId& actor, const PolicyPatch& patch,
                             RunningHoldings running = RunningHoldings::keep);
  /// Returns what set_policy(actor, policy, running) would do now, writing
  /// nothing: every running holding's deadline before and after, which would
  /// return at once, returns per day for 30 days and per-holder counts. Costs
  /// a read of every running holding. Refuses as set_policy would.
  Result<PolicyPreview> preview_policy(const UserId& actor, const ClaimPolicy& policy,
                                       RunningHoldings running);
  /// Returns what update_policy(actor, patch, running) would do now; as
  /// preview_policy.
  Result<PolicyPreview> preview_policy(const UserId& actor, const PolicyPatch& patch,
                                       RunningHoldings running);

  // --- The work calendar (boss) ---
  /// Makes `calendar` the pool's work calendar, as a new version (every
  /// version is kept, with who set it and when), and returns it; the same
  /// calendar again changes nothing and returns the current version.
  /// Business days count in it from then on: holdings started afterwards, and
  /// running ones as `running` says (keep: their deadlines stay; recompute and
  /// never_shorten as for set_policy, each clock moved by where its span ends
  /// in the new calendar instead of the old). Holidays are announced late in
  /// the year, so a team re-imports and chooses. Refuses not_a_member,
  /// not_permitted (set_holding_period: the calendar is a time rule),
  /// unknown_pool, invalid_argument when `running` is outside the enum,
  /// calendar_ends when the policy's business-day spans from today would run
  /// into a year the calendar does not know (see UnknownYears).
  Result<CalendarVersion> set_calendar(const UserId& actor, const WorkCalendar& calendar,
                                       RunningHoldings running = RunningHoldings::keep);
  /// Returns what set_calendar(actor, calendar, running) would do now to the
  /// running holdings, writing nothing (as preview_policy; `version` is the
  /// calendar version it would create). Refuses as set_calendar would.
  Result<PolicyPreview> preview_calendar(const UserId& actor, const WorkCalendar& calendar,
                                         RunningHoldings running);
  /// Returns the pool's work calendar; version 0, Saturday and Sunday off and
  /// nothing else, while none was set. Refuses not_a_member, unknown_pool.
  Result<CalendarVersion> calendar(const UserId& actor);
  /// Returns whether the pool's calendar covers the business days its policy
  /// counts from now until `within` from now, and when it stops if not: a
  /// host runs this daily (it needs no actor, as sweep) and tells the boss to
  /// import next year's holidays. Costs a count per local day of the window,
  /// never a read of customers. Refuses unknown_pool, invalid_argument
  /// (`within` negative or longer than ClaimPolicy::longest()).
  Result<CalendarOutlook> calendar_outlook(Duration within = days(60));

  // --- Filling and emptying the pool (admin) ---
  /// Adds new pool customers. Every row is checked first; invalid rows and rows
  /// colliding with known customers (by id or normalised name: already_in_pool,
  /// or known_customer for a regular one) are reported in the ImportReport and
  /// not added. With all_or_nothing, one bad row means nothing is added.
  /// Refuses pool_disabled while the pool is off. One transaction; the batch
  /// is held by the caller (for millions of rows, see the ImportSource
  /// overload).
  Result<ImportReport> import_customers(const UserId& actor, std::span<const CustomerProfile> batch,
                                        ImportMode mode = ImportMode::keep_valid);
  /// Adds new pool customers from a stream, checked and written batch by
  /// batch in ONE transaction: the stream's rows are checked as the rows of
  /// one batch would be (a repeat of an earlier row is a problem), every
  /// problem is reported, and with all_or_nothing one bad row (or a row the
  /// source left out) means nothing is added. While it runs it holds the
  /// storage's write lock (on SQLite, the whole file's): other writers wait.
  /// Memory: one batch, plus the ids and names seen unless the source says
  /// its rows are unique, plus the problems. The source is rewound before
  /// each attempt (see import_source.hpp). Refuses pool_disabled while the
  /// pool is off. Throws what the source's own calls throw, rolling back.
  Result<StreamImportReport> import_customers(const UserId& actor, ImportSource& source,
                                              ImportMode mode = ImportMode::keep_valid);
  /// Makes a regular customer (known or new to the pool) an available pool
  /// customer. Refuses pool_disabled; already_in_pool for a pool customer or a
  /// new one whose normalised name a pool customer has; known_customer when
  /// that name is a regular customer's (撞单).
  Result<Done> move_into_pool(const UserId& actor, const CustomerProfile& customer);
  /// Makes a pool customer regular; a holder keeps it as their own customer.
  /// Refuses unknown_customer, not_in_pool.
  Result<Done> move_out_of_pool(const UserId& actor, const CustomerId& customer);

  // --- Holding customers ---
  /// Takes an available customer for the actor; returns the new holding. A
  /// holding past its deadline is available: the claim writes its return
  /// (dated at the deadline) and then the claim, in one transaction. Holdings
  /// of the actor's own that are past their deadlines do not count toward the
  /// cap. Refuses pool_disabled, unknown_customer, not_in_pool, already_held,
  /// cooldown, cap_reached, calendar_ends (its deadline would count business
  /// days into a year the work calendar does not know; see UnknownYears).
  Result<Holding> claim(const UserId& actor, const CustomerId& customer);
  /// Gives an available customer to member `to`, within their cap. Refuses as
  /// claim, and not_a_member when `to` is not a member.
  Result<Holding> assign(const UserId& actor, const CustomerId& customer, const UserId& to);
  /// Gives a holding back to the pool; the holder may not take it again during
  /// the reclaim cooldown. Refuses unknown_customer, not_in_pool, not_held,
  /// not_permitted (release_own or release_any).
  Result<Done> release(const UserId& actor, const CustomerId& customer);
  /// Pushes a holding's deadline back by one extension, counted on from the
  /// holding period's end; returns the holding. Refuses pool_disabled,
  /// unknown_customer, not_in_pool, not_held (also a holding past its
  /// deadline: it went back then), extension_limit, calendar_ends (a
  /// business-day extension would count into a year the calendar lacks).
  Result<Holding> extend(const UserId& actor, const CustomerId& customer);
  /// Logs a follow-up (跟单) by the holder. Refuses unknown_customer,
  /// not_in_pool, not_held (also past the deadline), held_by_other; never
  /// calendar_ends (the idle clock it restarts counts a year the calendar
  /// does not know by its weekends: a rep's follow-up is never lost to it).
  Result<Done> follow_up(const UserId& actor, const CustomerId& customer, std::string_view note);
  /// Records a signed contract or a received payment before the deadline: the
  /// customer leaves the pool as the holder's regular customer. Refuses
  /// unknown_customer, not_in_pool, not_held (also past the deadline),
  /// not_permitted (record_win_own or record_win_any).
  Result<Done> record_win(const UserId& actor, const CustomerId& customer, WinKind kind);
  /// Protects a holding (锁定/保护) so it does not return before now +
  /// `length` (the policy's longest protection if none); its other clocks
  /// apply again when the protection ends. Returns the holding. Refuses
  /// pool_disabled, unknown_customer, not_in_pool, not_held (also past the
  /// deadline), not_permitted (protect_own or protect_any), invalid_argument (length),
  /// protection_limit (protection off, the holder's most reached, or already
  /// protected: a protection is not renewed), calendar_ends (as claim).
  Result<Holding> protect(const UserId& actor, const CustomerId& customer,
                          std::optional<Duration> length = std::nullopt);
  /// Lifts a holding's protection early; returns the holding, which is due at
  /// once when its other clocks ran out meanwhile (its deadline is then now).
  /// Refuses pool_disabled, unknown_customer, not_in_pool, not_held (also past
  /// the deadline), not_permitted (protect_own or protect_any),
  /// invalid_argument (not protected).
  Result<Holding> unprotect(const UserId& actor, const CustomerId& customer);

  // --- The system ---
  /// Writes the return of every holding whose deadline has passed and that no
  /// command has touched since, earliest deadline first, in atomic batches:
  /// each dated at its deadline (history, Returned, since, cooldown). Every
  /// command and query already treats such a holding as returned, so how
  /// often a host sweeps changes only when Returned is heard. Then sends
  /// every reminder that has fallen due (ReturnRule::reminders), in atomic
  /// batches too: each recorded as sent (HistoryKind::reminded) in the
  /// transaction that queues its ReminderDue, so each is sent at most once
  /// per deadline, also by two app servers sweeping at once. A crash between
  /// that commit and the event loses the event, not the record: the host
  /// finds it in the history. Costs the returns and reminders due, never a
  /// scan of the pool. Does nothing while the pool is off. Refuses only
  /// unknown_pool.
  Result<SweepReport> sweep();

  // --- Queries (any member) ---
  /// Returns the pool's settings.
  Result<PoolInfo> info(const UserId& actor);
  /// Returns every member, ordered by user id.
  Result<std::vector<Member>> members(const UserId& actor);
  /// Returns the pool at a glance: how many customers are available, held and
  /// regular, and per member how many they hold, how many of those have less
  /// than `urgent_within` left (rules::is_urgent) and their next deadline.
  /// Costs the members' holdings, not the pool's size.
  Result<PoolSummary> summary(const UserId& actor,
                              Duration urgent_within = rules::default_warning());
  /// Returns one customer as the pool sees it. Refuses unknown_customer.
  Result<CustomerView> customer(const UserId& actor, const CustomerId& customer);
  /// Returns why a held customer returns when it does: the deadline, the
  /// clock that set it, every clock of the holding, and the deadline a
  /// follow-up, an extension or a protection now would give. Refuses
  /// unknown_customer, not_in_pool, not_held (needs Action::view).
  Result<Explanation> explain(const UserId& actor, const CustomerId& customer);
  /// Returns what `user` holds, earliest deadline first.
  Result<std::vector<CustomerView>> holdings(const UserId& actor, const UserId& user);
  /// Returns one page of the holdings whose deadline falls within
  /// query.within from now (one rep's, or everyone's), earliest first, each
  /// with its deadline, reason and time left: who is about to lose what. A
  /// paused pool's countdowns stand still, and so does its window. Costs the
  /// page (the deadline index), or the rep's holdings. A business-day
  /// window counts a year the calendar lacks by its weekends (it only lists).
  /// Refuses invalid_argument (a span not above zero or past the longest, a
  /// limit outside 1..1000, a bad holder or cursor id).
  Result<AtRiskPage> at_risk(const UserId& actor, const AtRiskQuery& query = {});
  /// Returns one page of available customers matching the query, by id.
  /// REQUIRES: 1 <= query.limit <= 1000, else invalid_argument.
  Result<AvailablePage> available(const UserId& actor, const AvailableQuery& query);
  /// Returns the customer's history, oldest first. Refuses unknown_customer.
  Result<std::vector<HistoryEntry>> history(const UserId& actor, const CustomerId& customer);
  /// Returns what every rep did in `query`'s period (claimed, assigned, won,
  /// returned, released, win rate, median time to win) and the pool's second
  /// chances (see activity.hpp). Reads the pool's whole history, a page per
  /// read transaction: it costs the history's length, so it is a report, not
  /// something to run per request. Refuses invalid_argument when the period
  /// ends before it begins.
  Result<PoolActivity> activity(const UserId& actor, const ActivityQuery& query = {});

  /// The most rows one sweep batch returns; each batch commits on its own.
  static constexpr std::size_t kSweepBatch = 512;
  /// The most holdings one page of available() returns.
  static constexpr std::size_t kMaxPage = 1000;

 private:
  class Engine;
  template <class MakePolicy>
  Result<Done> change_policy(const UserId& actor, MakePolicy&& make_policy,
                             RunningHoldings running);
  template <class MakePolicy>
  Result<PolicyPreview> preview_change(const UserId& actor, MakePolicy&& make_policy,
                                       RunningHoldings running);
  Result<Holding> take(const UserId& actor, const CustomerId& customer, const UserId& taker,
                       bool assign);
  Result<Holding> change_protection(const UserId& actor, const CustomerId& customer, bool on,
                                    std::optional<Duration> length);

  std::unique_ptr<Engine> engine_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/public_pool-inl.hpp"  // IWYU pragma: export
#endif

/// @file
/// Storage and Transaction: the interfaces a pool's records live behind.
///
/// Storage only stores: it never decides anything. PublicPool opens one
/// transaction per command, reads, asks ClaimPolicy, writes and commits. Every
/// transaction is scoped to one pool, so pools sharing a storage never see each
/// other. Backends: MemoryStorage (header-only), SqliteStorage, PostgresStorage;
/// hosts may write their own and prove it with the conformance suite in
/// highseas/testing/.
///
/// Contract for implementations:
///  - A transaction is atomic: destroying it without commit() undoes every
///    write; commit() makes all of them durable (as durable as the backend is).
///  - A read_write transaction is isolated from other read_write transactions
///    on the same pool: what it has read (find_customer, count_holdings,
///    list_due) is not changed by anyone else before it commits. Backends lock
///    (MemoryStorage: one writer; SQLite: BEGIN IMMEDIATE; PostgreSQL: row locks).
///  - Broken storage throws StorageError. A transient conflict (deadlock,
///    serialization failure, busy, a server restarting) throws
///    RetryableStorageError: PublicPool retries the whole command until the
///    storage's command_timeout() has passed, so callers rarely see it. A
///    commit whose outcome cannot be known (the connection died while the
///    COMMIT was in flight) throws CommitOutcomeUnknown, never retried.
///  - Every wait (a lock, a connection, a server's answer) ends by the
///    deadline transact() is given, with a StorageError.
///
/// Thread-safety: a Storage may be used from many threads at once; a single
/// Transaction belongs to one thread.
#pragma once

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/daily_limit.hpp"
#include "highseas/detail/exceptions_required.hpp"  // a clear error under -fno-exceptions
#include "highseas/due_return.hpp"
#include "highseas/ids.hpp"
#include "highseas/records.hpp"
#include "highseas/time.hpp"
#include "highseas/views.hpp"

namespace highseas {

/// Storage is broken: I/O error, corrupt file, a database that did not answer
/// in time. The command that saw it changed nothing (except
/// CommitOutcomeUnknown, below).
class StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A transient conflict with another writer, or a database briefly away.
/// PublicPool retries the command.
class RetryableStorageError : public StorageError {
 public:
  using StorageError::StorageError;
};

/// The connection died, or the deadline passed, while COMMIT was in flight:
/// the command may or may not have been applied. Running it again could apply
/// it twice, so PublicPool does not; the host re-reads (e.g. the customer's
/// history) before deciding to retry.
class CommitOutcomeUnknown : public StorageError {
 public:
  using StorageError::StorageError;
};

/// The steady-clock instant by which a command must be done, its retries
/// included; a storage ends every wait by it. Deadline::max() means none.
using Deadline = std::chrono::steady_clock::time_point;

/// A customer with both parts, as listings return it.
struct StoredCustomer {
  /// What the customer is.
  CustomerProfile profile;
  /// Where it stands in the pool.
  CustomerRecord record;
};

/// A held customer's id and state, as the deadline index returns it.
struct DueHolding {
  /// The held customer.
  CustomerId id;
  /// Its pool state, deadline included.
  CustomerRecord record;
};

/// Which holdings Transaction::list_by_deadline returns: those after `after`
/// in (deadline, id) order whose deadline is at most `until`, at most `limit`.
struct DeadlineWindow {
  DeadlinePosition after;  ///< exclusive
  Time until;              ///< inclusive
  std::size_t limit = 50;  ///< Default: 50
};

/// Where a walk through a pool's whole history stands: entries are ordered by
/// customer id, then by each customer's own order. `seq` means something only
/// to the backend that returned it (a per-customer count, or a table-wide
/// number), compared only within one customer.
struct HistoryPosition {
  CustomerId customer;    ///< the customer of the entry
  std::uint64_t seq = 0;  ///< the entry's place in that customer's history

  /// Field-by-field equality.
  friend bool operator==(const HistoryPosition&, const HistoryPosition&) = default;
};

/// One entry of a pool's history and where it stands (list_pool_history).
struct PositionedHistoryEntry {
  HistoryPosition position;  ///< pass as `after` to continue behind this entry
  HistoryEntry entry;        ///< what happened

  /// Field-by-field equality.
  friend bool operator==(const PositionedHistoryEntry&, const PositionedHistoryEntry&) = default;
};

/// Whether a transaction may write.
enum class TransactionMode { read_only, read_write };

/// One atomic unit of work over one pool's records.
class Transaction {
 public:
  /// Rolls back unless commit() succeeded.
  virtual ~Transaction() = default;
  /// Makes every write of this transaction visible and durable, atomically.
  virtual void commit() = 0;

  // --- The pool ---
  /// Returns the pool's settings, or nothing if the pool was never created.
  virtual std::optional<PoolRecord> find_pool() = 0;
  /// Creates or replaces the pool's settings.
  virtual void put_pool(const PoolRecord& pool) = 0;
  /// Returns version `version` of the pool's work calendar, or nothing if it
  /// was never stored.
  virtual std::optional<CalendarVersion> find_calendar(std::uint32_t version) = 0;
  /// Stores a new version of the pool's work calendar (put_pool records which
  /// version is current). REQUIRES: calendar.version is not stored yet.
  virtual void add_calendar(const CalendarVersion& calendar) = 0;

  // --- Members ---
  /// Returns the user's role, or nothing if not a member.
  virtual std::optional<Role> find_member(const UserId& user) = 0;
  /// Adds the user or changes their role.
  virtual void put_member(const UserId& user, Role role) = 0;
  /// Removes the user; no effect if not a member.
  virtual void erase_member(const UserId& user) = 0;
  /// Returns every member, ordered by user id.
  virtual std::vector<Member> list_members() = 0;

  // --- Customers ---
  /// Returns the customer's pool state, or nothing if unknown to this pool.
  virtual std::optional<CustomerRecord> find_customer(const CustomerId& id) = 0;
  /// Returns the customer's profile, or nothing if unknown to this pool.
  virtual std::optional<CustomerProfile> find_profile(const CustomerId& id) = 0;
  /// Returns a customer whose normalised name (see name_key.hpp) is `name_key`.
  virtual std::optional<CustomerId> find_by_name_key(std::string_view name_key) = 0;
  /// Adds a customer. REQUIRES: the id is unknown to this pool.
  virtual void insert_customer(const CustomerProfile& profile, std::string_view name_key,
                               const CustomerRecord& record) = 0;
  /// Replaces a customer's pool state, keeping every index in step.
  /// REQUIRES: the id is known to this pool.
  virtual void update_customer(const CustomerId& id, const CustomerRecord& record) = 0;
  /// Writes one decided change to a known customer: its new pool state and
  /// the history entry that says why. Every command that changes a customer
  /// makes this one call. The default is update_customer then append_history;
  /// a backend may override it to find the customer once and write both in
  /// place. REQUIRES: the id is known to this pool.
  virtual void write_change(const CustomerId& id, const CustomerRecord& after,
                            const HistoryEntry& entry);

  // --- Indexes the rules need ---
  /// Returns how many customers `user` holds in this pool, leaving out those
  /// due at `due_at` (deadline <= due_at: as good as returned, see
  /// rules::is_due); none counts every holding. Must cost no more than the
  /// user's holdings.
  virtual std::uint32_t count_holdings(const UserId& user, std::optional<Time> due_at) = 0;
  /// Returns the customers `user` holds, earliest deadline first (then by id).
  virtual std::vector<StoredCustomer> list_holdings(const UserId& user) = 0;
  /// Returns up to `limit` holdings with deadline <= `now`, earliest deadline
  /// first (then by id). Must not cost more than the holdings it returns.
  virtual std::vector<DueHolding> list_due(Time now, std::size_t limit) = 0;
  /// Returns the customers `user` holds with deadline <= `now`, earliest
  /// deadline first (then by id), for a take that needs their places: it
  /// writes their returns before it counts. In a read_write transaction each
  /// is locked for this transaction; one another transaction has locked is
  /// left out, never waited for (it is being changed, and the caller then
  /// counts it as held). Must cost no more than the user's holdings. The
  /// default filters list_holdings(), right for a backend with one writer.
  virtual std::vector<DueHolding> list_due_holdings(const UserId& user, Time now);
  /// Returns up to window.limit holdings whose (deadline, id) comes after
  /// window.after and whose deadline is at most window.until, earliest
  /// deadline first (then by id): the holdings about to return. Must cost no
  /// more than the holdings it returns (a range of the deadline index).
  virtual std::vector<StoredCustomer> list_by_deadline(const DeadlineWindow& window) = 0;
  /// Returns up to `limit` holdings whose next reminder is due at `now`
  /// (reminder_due <= now), earliest reminder_due first (then by id): the
  /// reminder sweep's work. In a read_write transaction each is locked for
  /// this transaction; one another transaction has locked is left out, never
  /// waited for, so two app servers sweeping at once share the work and
  /// send each reminder once. Must cost no more than the holdings it returns
  /// (a range of an index on reminder_due).
  virtual std::vector<DueHolding> list_reminders_due(Time now, std::size_t limit) = 0;
  /// Returns one page of available customers matching the filter, by id.
  virtual std::vector<StoredCustomer> list_available(const AvailableQuery& query) = 0;
  /// Returns one page of held customers due at `now` (deadline <= now) that
  /// match the filter, by id, after query.after, at most query.limit: they
  /// are as good as available until a sweep writes their return. Must cost
  /// no more than the due holdings (not a scan of the pool).
  virtual std::vector<StoredCustomer> list_overdue(const AvailableQuery& query, Time now) = 0;
  /// Gives up to `limit` due holdings (deadline <= plan.now) back to the pool,
  /// earliest deadline first (then by id): writes plan.returned(record) and
  /// appends plan.entry(record) for each, and returns them as they were
  /// before. Must not cost more than the holdings it returns. The default
  /// walks list_due() and writes row by row; a backend may override it with
  /// one set-based statement that writes the same.
  virtual std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit);
  /// Returns what `user` took on the last day they took a customer under a
  /// daily limit, or nothing if they never did. In a read_write transaction
  /// it stays as read until commit: a take by the same user in another
  /// transaction waits (PostgreSQL) or cannot run (one writer), so a limit's
  /// check and the take that follows never interleave with another take.
  virtual std::optional<DailyTakes> find_daily_takes(const UserId& user) = 0;
  /// Stores what `user` took on `takes.day`, replacing what was stored.
  virtual void put_daily_takes(const UserId& user, const DailyTakes& takes) = 0;
  /// Returns how many of this pool's customers are in `state` (pool summaries).
  virtual std::uint64_t count_customers(CustomerState state) = 0;
  /// Moves every held customer's deadline, its clocks and its reminder_due
  /// by `by` (resuming a paused pool).
  virtual void shift_deadlines(Duration by) = 0;

  // --- History ---
  /// Appends one entry to the customer's history.
  virtual void append_history(const CustomerId& id, const HistoryEntry& entry) = 0;
  /// Returns the customer's history, oldest first.
  virtual std::vector<HistoryEntry> list_history(const CustomerId& id) = 0;
  /// Returns up to `limit` entries of the whole pool's history, ordered by
  /// customer id (byte order, as list_available) and then oldest first,
  /// starting behind `after` (from the beginning when none). Reports page
  /// through it; each customer's entries arrive together, so a reader needs
  /// no more memory than one customer's story.
  virtual std::vector<PositionedHistoryEntry> list_pool_history(
      const std::optional<HistoryPosition>& after, std::size_t limit) = 0;
};

class TransactionBody;

namespace detail {
// A callable TransactionBody may refer to (and not a TransactionBody itself,
// so copying one stays a copy).
template <class Body>
concept TransactionCallable = (std::invocable<std::remove_reference_t<Body>&, Transaction&>)&&(
    !std::same_as<std::remove_cvref_t<Body>, TransactionBody>);
}  // namespace detail

/// What Storage::transact runs: a borrowed `void(Transaction&)` callable.
/// It refers to the caller's callable through a pointer and a trampoline, so
/// passing it never allocates, unlike std::function: a command pays nothing
/// for it. Meant as a parameter only; a temporary lambda lives until the call
/// returns.
class TransactionBody {
 public:
  /// Refers to `body`, which must outlive this object.
  template <detail::TransactionCallable Body>
  // NOLINTNEXTLINE(google-explicit-constructor,bugprone-forwarding-reference-overload)
  TransactionBody(Body&& body) noexcept
      : body_(static_cast<const void*>(std::addressof(body))),
        call_([](const void* target, Transaction& tx) {
          using Target = std::remove_reference_t<Body>;
          (*static_cast<Target*>(const_cast<void*>(target)))(tx);  // NOLINT(*-const-cast)
        }) {}
  /// Runs the callable on `tx`.
  void operator()(Transaction& tx) const { call_(body_, tx); }

 private:
  const void* body_;
  void (*call_)(const void*, Transaction&);
};

/// A place where pools live.
class Storage {
 public:
  virtual ~Storage() = default;
  /// Opens a transaction over `pool`'s records. Throws StorageError if the
  /// storage cannot be reached. The simple path: a host's storage implements
  /// this and gets transact() for free.
  virtual std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) = 0;
  /// Runs `body` in a transaction over `pool`, then ends the transaction:
  /// whatever `body` did not commit() rolls back, also when it throws (the
  /// exception propagates). PublicPool runs every command through this, with
  /// the command's deadline: a backend that waits (for a server, a lock, a
  /// connection) gives up by then with a StorageError. The default calls
  /// begin() and ignores the deadline; a backend may override it to honour
  /// the deadline (PostgresStorage) or to keep the transaction on its own
  /// stack, so a command allocates no transaction (MemoryStorage). Must not
  /// throw once `body` has committed. Throws StorageError if the storage
  /// cannot be reached.
  virtual void transact(const PoolId& pool, TransactionMode mode, Deadline deadline,
                        TransactionBody body);
  /// Returns how long one command may take on this storage, its retries
  /// included: PublicPool sets the command's deadline this far ahead and
  /// stops retrying a RetryableStorageError once it has passed. The default,
  /// nullopt, sets no deadline; PublicPool then tries a command at most 32
  /// times.
  virtual std::optional<std::chrono::milliseconds> command_timeout() const noexcept {
    return std::nullopt;
  }
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/storage-inl.hpp"  // IWYU pragma: export
#endif

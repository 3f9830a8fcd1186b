/// @file
/// What the pool's members did with its customers over a period, read from the
/// pool's history (PublicPool::activity): per rep claimed, assigned, won,
/// returned at the deadline and released, their win rate and median time to a
/// win; and the pool's "second chances", customers one rep could not win that
/// another rep won after they went back to the pool: the point of a public pool.
///
/// ActivityTally does the counting, as a pure function of the history; it is
/// public so a host that mirrors the history elsewhere can count the same way.
///
/// Thread-safety: plain values; an ActivityTally belongs to one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/ids.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// Which period an activity report counts: events at or after `from` and
/// before `to`. Holdings that began earlier still count when they end inside,
/// so a win's time to win is always from the real start of the holding.
struct ActivityQuery {
  Time from;  ///< not_a_date_time: from the pool's first event
  Time to;    ///< not_a_date_time: up to now
  /// How many second chances PoolActivity::recent_second_chances lists,
  /// newest win first; all are counted. Default: 10.
  std::size_t examples = 10;
};

/// One rep's results in the period. A holding ends in exactly one of won,
/// returned or released (or leaves the pool by move_out_of_pool, counted in
/// none of them).
struct MemberActivity {
  UserId user;                     ///< the rep
  std::uint32_t claimed = 0;       ///< customers they took themselves
  std::uint32_t assigned = 0;      ///< customers an admin gave them
  std::uint32_t won_contract = 0;  ///< wins by a signed contract
  std::uint32_t won_payment = 0;   ///< wins by a payment received
  std::uint32_t returned = 0;      ///< holdings that reached the deadline without a win
  /// Holdings given back: by them, by an admin, or because they left the pool.
  std::uint32_t released = 0;
  /// Of `returned`, those whose holder got at least one reminder
  /// (HistoryKind::reminded) during that holding: the fairness measure, all
  /// of them where the return rules warn at all.
  std::uint32_t returned_after_reminder = 0;
  /// Of the wins, those whose holder got at least one reminder during that holding.
  std::uint32_t won_after_reminder = 0;
  /// The median time from a holding's start (claim or assignment) to its win,
  /// over the wins in the period; none without a win.
  std::optional<Duration> median_time_to_win;

  /// Returns won_contract + won_payment.
  std::uint32_t won() const noexcept { return won_contract + won_payment; }
  /// Returns the share of the holdings that ended in the period that ended in
  /// a win: won ÷ (won + returned + released); none when none ended.
  std::optional<double> win_rate() const noexcept {
    const std::uint32_t ended = won() + returned + released;
    if (ended == 0) return std::nullopt;
    return static_cast<double>(won()) / static_cast<double>(ended);
  }

  /// Field-by-field equality.
  friend bool operator==(const MemberActivity&, const MemberActivity&) = default;
};

/// A customer one rep held and lost back to the pool (deadline, release or
/// leaving the pool), later won by another rep.
struct SecondChance {
  CustomerId customer;  ///< the customer
  UserId lost_by;       ///< the latest other rep who held it and lost it
  UserId won_by;        ///< the rep who won it
  Time lost_at;         ///< when it went back to the pool from lost_by
  Time won_at;          ///< when it was won

  /// Field-by-field equality.
  friend bool operator==(const SecondChance&, const SecondChance&) = default;
};

/// What the pool's members did in a period (PublicPool::activity).
struct PoolActivity {
  Time from;                            ///< the period counted (not_a_date_time: open)
  Time to;                              ///< its end; now when the query left it open
  std::vector<MemberActivity> members;  ///< everyone who held a customer, by user id
  std::uint64_t second_chances = 0;     ///< wins in the period that were second chances
  /// Up to ActivityQuery::examples of them, newest win first.
  std::vector<SecondChance> recent_second_chances;
  std::uint64_t entries_read = 0;  ///< history entries read to count this

  /// Field-by-field equality.
  friend bool operator==(const PoolActivity&, const PoolActivity&) = default;
};

/// Counts a pool's history into a PoolActivity. Feed it every entry of the
/// history, each customer's entries together and oldest first (the order of
/// Transaction::list_pool_history), then call finish(). Memory: one line per
/// rep, one duration per win, and one customer's story at a time.
class ActivityTally {
 public:
  /// Counts events in `query`'s period; `now` closes a period left open.
  ActivityTally(const ActivityQuery& query, Time now);

  /// Adds the next entry of `customer`'s history.
  void add(const CustomerId& customer, const HistoryEntry& entry);
  /// Returns the counts so far, members ordered by user id.
  PoolActivity finish() const;

 private:
  struct Line {
    MemberActivity counts;
    std::vector<Duration> times_to_win;
  };
  struct Loss {
    UserId by;
    Time at;
  };

  bool counts(Time at) const;
  Line& line(const UserId& user);
  void start_customer(const CustomerId& customer);
  void record_win(const CustomerId& customer, const UserId& winner, const HistoryEntry& entry);
  void lose(const UserId& holder, Time at);

  ActivityQuery query_;
  Time to_;
  std::map<UserId, Line> lines_;
  std::uint64_t second_chances_ = 0;
  std::vector<SecondChance> examples_;  // newest win first, at most query_.examples
  std::uint64_t entries_ = 0;
  // The customer being read: its current holding's start, and who lost it.
  std::optional<CustomerId> customer_;
  Time holding_since_;
  bool holding_reminded_ = false;  // the current holding got a reminder
  std::vector<Loss> losses_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/activity-inl.hpp"  // IWYU pragma: export
#endif

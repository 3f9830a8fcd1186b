// The values PublicPool commands and queries return.
//
// Thread-safety: plain values.
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
#include "highseas/time.hpp"

namespace highseas {

// A holding as claim, assign and extend report it.
struct Holding {
  CustomerId customer;
  UserId holder;
  Time since;
  Time deadline;
  std::uint32_t extensions_used = 0;

  friend bool operator==(const Holding&, const Holding&) = default;
};

// One customer as a pool member sees it: every query shows the deadline and
// the time left, so nobody is surprised by a return.
struct CustomerView {
  CustomerProfile profile;
  CustomerState state = CustomerState::available;
  std::optional<UserId> holder;       // held: the holder; regular: the owner
  Time since;                         // when the current state began
  Time deadline;                      // held only
  std::optional<Duration> time_left;  // held only; frozen while the pool is off
  std::uint32_t extensions_used = 0;
  std::uint32_t extensions_left = 0;  // held only, under the current policy
  Time last_follow_up;                // not_a_date_time if none
  bool paused = false;                // the pool is off: countdowns stand still
  // Who gave the customer back recently and may not take it again until
  // cooldown_until; none once the cooldown is over.
  std::optional<UserId> cooldown_user;
  Time cooldown_until;  // not_a_date_time without a running cooldown
};

// Which available customers a listing returns. Empty fields match anything.
struct AvailableFilter {
  std::string country;  // ISO 3166-1 alpha-2
  std::string level;
  std::string tag;  // customers carrying this tag

  friend bool operator==(const AvailableFilter&, const AvailableFilter&) = default;
};

// One page of a listing of available customers, ordered by customer id.
struct AvailableQuery {
  AvailableFilter filter;
  std::optional<CustomerId> after;  // the cursor: start after this id
  std::size_t limit = 50;           // Default: 50
};

// One page of available customers, and the cursor to the next page.
struct AvailablePage {
  std::vector<CustomerView> customers;
  std::optional<CustomerId> next;  // pass as AvailableQuery::after; none on the last page
};

// The pool's settings as queries show them.
struct PoolInfo {
  PoolId pool;
  bool enabled = true;
  ClaimPolicy policy;
  Time created_at;
  Time paused_since;  // not_a_date_time while enabled
  std::size_t members = 0;
};

// How an import treats invalid rows.
enum class ImportMode {
  keep_valid,      // add the valid rows, report the invalid ones (default)
  all_or_nothing,  // add nothing if any row is invalid
  check_only,      // add nothing; report what an import would refuse (a dry run)
};

// What an import row collided with (撞单).
struct Collision {
  CustomerId existing;   // the customer already known to the pool
  bool by_name = false;  // matched by normalised name, not by id
  CustomerState state = CustomerState::available;
  std::optional<UserId> holder;  // held: by whom; regular: the owner
  Time deadline;                 // held: until when
};

// Why one import row was not added.
struct ImportProblem {
  std::size_t row = 0;  // index in the batch, from 0
  std::string field;    // "id", "name", "country", "level", "tags"
  RefusalCode code = RefusalCode::invalid_argument;
  std::string reason;
  std::optional<Collision> collision;  // set for duplicates of known customers
};

// What import_customers did.
struct ImportReport {
  std::vector<CustomerId> imported;     // added, in batch order
  std::vector<ImportProblem> problems;  // rows not added, in batch order
};

// A holding the sweep returned to the pool.
struct ReturnedHolding {
  CustomerId customer;
  UserId previous_holder;
  Time deadline;
};

// What a sweep did.
struct SweepReport {
  std::vector<ReturnedHolding> returned;  // in deadline order
  bool paused = false;                    // the pool is off; nothing is due
};

}  // namespace highseas

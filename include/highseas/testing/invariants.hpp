/// @file
/// The pool's invariants as one GoogleTest check, shared by every test that
/// asks "no two holders, nobody over the cap" after a fight between threads,
/// processes or a crash:
///
///   EXPECT_TRUE(highseas::testing::pool_invariants_hold(pool, boss, ids, reps, cap));
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <span>

#include "highseas/customer.hpp"
#include "highseas/ids.hpp"
#include "highseas/public_pool.hpp"

namespace highseas::testing {

/// Returns true iff `kind` may be the last history entry of a customer in
/// `state` (a held customer's last entry is a claim, an assignment, an
/// extension or a follow-up; and so on).
bool history_matches_state(HistoryKind kind, CustomerState state);

/// Checks the pool's invariants through `viewer`'s eyes (a boss or admin sees
/// everything) over `customers`, counting the holdings of `members`:
///  - a held customer has one holder and a deadline, and is listed in that
///    holder's holdings and nobody else's (no two holders);
///  - an available customer has no holder and no deadline;
///  - nobody in `members` holds more than `cap`;
///  - each customer's last history entry agrees with its state, holder and
///    deadline.
/// Returns success, or every broken invariant in the failure message.
::testing::AssertionResult pool_invariants_hold(PublicPool& pool, const UserId& viewer,
                                                std::span<const CustomerId> customers,
                                                std::span<const UserId> members, std::uint32_t cap);

}  // namespace highseas::testing

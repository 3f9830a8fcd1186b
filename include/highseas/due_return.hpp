/// @file
/// DueReturn: how the sweep gives due holdings back, as a value the rules
/// decide (rules::due_return) and a storage applies, row by row or in one
/// set-based statement.
///
/// Thread-safety: a plain value.
#pragma once

#include "highseas/customer.hpp"
#include "highseas/detail/config.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// How every due holding of one sweep batch goes back to the pool. A storage
/// that returns many rows at once (Transaction::return_due) must write for
/// each exactly what returned() and entry() give; the conformance suite
/// compares them field by field.
struct DueReturn {
  /// Holdings with a deadline at or before this are due.
  Time now;
  /// How long each previous holder may not take their customer back,
  /// counted from that holding's deadline.
  Duration cooldown;

  /// Returns the record a due holding becomes, as if returned the moment its
  /// deadline came (whenever the sweep runs): available, no holder, `since`
  /// the deadline, none of a holding's fields (deadline, its reason and
  /// clocks, idle limit, protection, policy version 0, no extensions used, no
  /// follow-up), and the previous holder's cooldown, until the deadline +
  /// `cooldown`, appended to its cooldowns (none dropped: the next command
  /// prunes them). Other fields stay as they were.
  CustomerRecord returned(const CustomerRecord& before) const;
  /// Returns the history entry written for it: at the deadline, kind
  /// returned, no actor (the system), the previous holder before, nobody
  /// after, no deadline, the holding's deadline reason (which clock ran out)
  /// and policy version.
  HistoryEntry entry(const CustomerRecord& before) const;

  /// Field-by-field equality.
  friend bool operator==(const DueReturn&, const DueReturn&) = default;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/due_return-inl.hpp"  // IWYU pragma: export
#endif

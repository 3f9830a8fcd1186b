// The simple paths of Storage and Transaction a host's storage inherits:
// transact() over begin(), write_change() and return_due() row by row. Compiled into
// HighSeas::highseas by storage.cpp; included by storage.hpp in header-only mode.
#pragma once

#include "highseas/storage.hpp"

namespace highseas {

HIGHSEAS_INLINE void Storage::transact(const PoolId& pool, TransactionMode mode,
                                       Deadline /*deadline*/, TransactionBody body) {
  const std::unique_ptr<Transaction> tx = begin(pool, mode);
  body(*tx);
}

HIGHSEAS_INLINE void Transaction::write_change(const CustomerId& id, const CustomerRecord& after,
                                               const HistoryEntry& entry) {
  update_customer(id, after);
  append_history(id, entry);
}

HIGHSEAS_INLINE std::vector<DueHolding> Transaction::list_due_holdings(const UserId& user,
                                                                       Time now) {
  std::vector<DueHolding> due;
  for (StoredCustomer& held : list_holdings(user)) {
    if (held.record.deadline > now) break;  // earliest deadline first
    due.push_back({std::move(held.profile.id), std::move(held.record)});
  }
  return due;
}

HIGHSEAS_INLINE std::vector<DueHolding> Transaction::return_due(const DueReturn& plan,
                                                                std::size_t limit) {
  std::vector<DueHolding> due = list_due(plan.now, limit);
  for (const DueHolding& holding : due) {
    update_customer(holding.id, plan.returned(holding.record));
    append_history(holding.id, plan.entry(holding.record));
  }
  return due;
}

}  // namespace highseas

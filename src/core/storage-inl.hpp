// The simple path of Transaction::return_due, for storages that write row by
// row. Compiled into HighSeas::highseas by storage.cpp; included by
// storage.hpp in header-only mode.
#pragma once

#include "highseas/storage.hpp"

namespace highseas {

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

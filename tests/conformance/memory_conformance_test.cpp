// The Storage conformance suite on MemoryStorage: the reference backend, and
// a host's storage written the simple way over it.
#include <highseas/memory_storage.hpp>
#include <highseas/testing/conformance.hpp>
#include <highseas/testing/forwarding_storage.hpp>
#include <memory>

namespace {

using highseas::CustomerId;
using highseas::CustomerRecord;
using highseas::DueHolding;
using highseas::DueReturn;
using highseas::HistoryEntry;
using highseas::PoolId;
using highseas::Transaction;
using highseas::TransactionMode;

// Holds the MemoryStorage so it is built before the ForwardingStorage that
// points at it.
struct OwnedMemory {
  highseas::MemoryStorage memory;
};

// A host's storage written the simple way: it implements begin() and the
// calls Transaction requires, nothing else, so PublicPool runs through the
// defaults of Storage::transact (a transaction from begin()),
// Transaction::write_change (update_customer, then append_history) and
// Transaction::return_due (list_due, then row by row). MemoryStorage
// underneath keeps the records.
class SimpleHostStorage final : private OwnedMemory, public highseas::testing::ForwardingStorage {
 public:
  SimpleHostStorage() : ForwardingStorage(memory) {}

  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override {
    return std::make_unique<SimpleTransaction>(ForwardingStorage::begin(pool, mode));
  }

 private:
  class SimpleTransaction final : public highseas::testing::ForwardingTransaction {
   public:
    using ForwardingTransaction::ForwardingTransaction;
    void write_change(const CustomerId& id, const CustomerRecord& after,
                      const HistoryEntry& entry) override {
      Transaction::write_change(id, after, entry);  // NOLINT(bugprone-parent-virtual-call)
    }
    std::vector<DueHolding> return_due(const DueReturn& plan, std::size_t limit) override {
      return Transaction::return_due(plan, limit);  // NOLINT(bugprone-parent-virtual-call)
    }
  };
};

highseas::testing::StorageFactory memory_factory() {
  return {"memory", [] { return std::make_unique<highseas::MemoryStorage>(); }};
}

highseas::testing::StorageFactory simple_host_factory() {
  return {"simple_host", [] { return std::make_unique<SimpleHostStorage>(); }};
}

}  // namespace

HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(Memory, memory_factory(), simple_host_factory());

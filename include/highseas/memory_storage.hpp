/// @file
/// MemoryStorage: the in-memory Storage. The default for tests,
/// simulations and hosts that persist pools themselves through events.
///
/// Nothing survives the process. Writes are undone on rollback through an undo
/// log, so a command that throws midway leaves nothing behind.
///
/// Thread-safety: safe for concurrent use. One read_write transaction at a time
/// across the whole storage (it holds an exclusive lock until commit or
/// rollback); read_only transactions share the lock.
#pragma once

#include <memory>

#include "highseas/detail/config.hpp"
#include "highseas/storage.hpp"

namespace highseas {

/// The in-memory Storage: every pool's records in this process, nothing durable.
class MemoryStorage final : public Storage {
 public:
  MemoryStorage();
  ~MemoryStorage() override;
  MemoryStorage(const MemoryStorage&) = delete;
  MemoryStorage& operator=(const MemoryStorage&) = delete;

  /// Opens a transaction over `pool`; blocks while a writer is active.
  std::unique_ptr<Transaction> begin(const PoolId& pool, TransactionMode mode) override;
  /// Runs `body` in a transaction kept on this call's stack (no allocation);
  /// blocks while a writer is active (an in-process lock: no deadline needed).
  void transact(const PoolId& pool, TransactionMode mode, Deadline deadline,
                TransactionBody body) override;

 private:
  class Tables;  ///< every pool's tables and the lock (src/memory)
  class MemoryTransaction;
  std::unique_ptr<Tables> tables_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/memory/memory_storage-inl.hpp"  // IWYU pragma: export
#endif

// Emits committed events in commit order without holding a lock while slots
// run. Internal to PublicPool (src/core).
//
// Each commit takes a ticket while the storage still serialises writers, so
// ticket order is commit order. After the commit the batch is handed in with
// its ticket; whichever thread finds nobody draining becomes the drainer and
// emits batches strictly in ticket order, releasing the mutex around every
// emission. A slot that calls back into the pool hands in its own batch, sees
// a drainer at work (itself) and returns; the outer loop emits it next.
//
// The common case (nobody draining, the batch is the next due) emits at once
// without parking the batch; tickets are an atomic counter; a batch keeps its
// first two emissions inline. So an uncontended command allocates nothing here.
//
// An Emission is anything callable with no arguments. PublicPool's is a
// variant of its events held by value (engine.hpp), so queuing an event costs
// no heap closure; tests use std::function.
#pragma once

#include <atomic>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace highseas::detail {

template <class Emission>
class BasicEventSequencer {
 public:
  using Batch = boost::container::small_vector<Emission, 2>;

  // Returns the next ticket. Call while the commit is serialised.
  std::uint64_t take_ticket() { return next_ticket_.fetch_add(1, std::memory_order_relaxed); }

  // Hands in the emissions for `ticket` (empty if its commit failed) and
  // emits every batch now in order, unless another call is already doing so.
  // Takes the batch by reference: the common case emits it where it is,
  // without moving its events.
  void publish(std::uint64_t ticket, Batch&& batch) {
    std::unique_lock lock(mutex_);
    const Batch* first = nullptr;  // emitted before any parked batch
    if (draining_ || ticket != next_to_emit_) {
      pending_.emplace(ticket, std::move(batch));
      if (draining_) return;
    } else {
      ++next_to_emit_;  // ours is the next due: emit it without parking it
      first = &batch;
    }
    draining_ = true;
    try {
      lock.unlock();
      if (first != nullptr) {
        for (const Emission& emit : *first) emit();
      }
      lock.lock();
      while (!pending_.empty() && pending_.begin()->first == next_to_emit_) {
        Batch ready = std::move(pending_.begin()->second);
        pending_.erase(pending_.begin());
        ++next_to_emit_;
        lock.unlock();
        for (const Emission& emit : ready) emit();
        lock.lock();
      }
    } catch (...) {
      // A slot threw: the change is committed; let the next publisher carry on.
      if (!lock.owns_lock()) lock.lock();
      draining_ = false;
      throw;
    }
    draining_ = false;
  }

 private:
  std::mutex mutex_;
  std::atomic<std::uint64_t> next_ticket_ = 0;
  std::uint64_t next_to_emit_ = 0;
  bool draining_ = false;
  std::map<std::uint64_t, Batch> pending_;
};

using EventSequencer = BasicEventSequencer<std::function<void()>>;

}  // namespace highseas::detail

#include "connection_pool.hpp"

#include "highseas/storage.hpp"

namespace highseas::sql {

namespace {

// Returns "2 s", "1.5 s" or "250 ms".
std::string show(std::chrono::milliseconds wait) {
  const auto ms = wait.count();
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms / 1000) + "." + std::to_string((ms % 1000) / 100) + " s";
}

}  // namespace

ConnectionSlots::ConnectionSlots(PoolLimits limits, std::string where)
    : limits_(limits), where_(std::move(where)) {
  if (limits_.max_connections == 0) {
    throw StorageError(where_ + ": max_connections must be at least 1");
  }
  if (limits_.wait < std::chrono::milliseconds::zero()) {
    throw StorageError(where_ + ": connection_wait must not be negative");
  }
}

void ConnectionSlots::enter(Deadline deadline) {
  std::unique_lock lock(mutex_);
  if (line_.empty() && in_use_ < limits_.max_connections) {
    ++in_use_;
    return;
  }
  const auto ticket = line_.insert(line_.end(), next_ticket_++);
  const auto my_turn = [&] {
    return line_.front() == *ticket && in_use_ < limits_.max_connections;
  };
  const auto waited_out = std::chrono::steady_clock::now() + limits_.wait;
  const bool deadline_first = deadline < waited_out;
  if (!freed_.wait_until(lock, deadline_first ? deadline : waited_out, my_turn)) {
    line_.erase(ticket);
    // The next in line may be free to go now that we left it.
    lock.unlock();
    freed_.notify_all();
    const std::size_t cap = limits_.max_connections;
    const std::string busy =
        ": all " + std::to_string(cap) + (cap == 1 ? " connection" : " connections") + " busy ";
    if (deadline_first) {
      throw StorageError(where_ + busy + "until the command's deadline (command_timeout)");
    }
    throw StorageError(where_ + busy + "for " + show(limits_.wait) +
                       " (raise max_connections or connection_wait, or look for "
                       "transactions left open)");
  }
  line_.erase(ticket);
  ++in_use_;
  lock.unlock();
  // Several slots may be free: let the next in line check too.
  freed_.notify_all();
}

void ConnectionSlots::leave() noexcept {
  {
    const std::lock_guard lock(mutex_);
    if (in_use_ > 0) --in_use_;
  }
  freed_.notify_all();
}

}  // namespace highseas::sql

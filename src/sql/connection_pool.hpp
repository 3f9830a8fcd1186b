// ConnectionPool: the bounded pool of database connections behind SqliteStorage
// and PostgresStorage. Internal to the SQL storages; not installed.
//
// At most `max_connections` connections are in use at once. A caller that
// finds them all busy waits in line (first come, first served) for up to
// `wait` (or until its deadline), then gets a StorageError saying so; it never
// opens one more. Idle
// connections are kept (each keeps its prepared statements) and reused
// newest first; a connection that fails `usable` is closed instead.
//
// Thread-safety: safe for concurrent use. A connection is used by one caller
// at a time: from acquire() until it is handed back with release().
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "highseas/storage.hpp"

namespace highseas::sql {

// How many connections a storage may use at once, and how long a caller waits
// for one.
struct PoolLimits {
  std::size_t max_connections = 16;
  std::chrono::milliseconds wait{10000};
};

// Counts the connections in use and queues callers beyond the cap in arrival
// order. The template below adds the idle connections.
class ConnectionSlots {
 public:
  // `where` names the storage in messages, e.g. "postgres" or "SQLite storage 'x.db'".
  ConnectionSlots(PoolLimits limits, std::string where);

  // Takes a slot, waiting in line while all are taken. Throws StorageError
  // "<where>: all N connections busy for 2 s" once the wait runs out, or a
  // like one when `deadline` comes first.
  void enter(Deadline deadline);
  // Gives a slot back and lets the next caller in line take it.
  void leave() noexcept;

  // Returns the configured limits.
  const PoolLimits& limits() const noexcept { return limits_; }

 private:
  PoolLimits limits_;
  std::string where_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t in_use_ = 0;
  std::uint64_t next_ticket_ = 0;
  std::list<std::uint64_t> line_;  // tickets of the callers waiting, oldest first
};

template <class Connection>
class ConnectionPool {
 public:
  // Opens a connection, giving up by the deadline.
  using Open = std::function<std::unique_ptr<Connection>(Deadline)>;
  using Usable = std::function<bool(const Connection&)>;

  // `open` makes a new connection (it may throw); `usable` says whether an
  // idle one may be reused (default: always).
  ConnectionPool(PoolLimits limits, std::string where, Open open, Usable usable = {})
      : slots_(limits, std::move(where)), open_(std::move(open)), usable_(std::move(usable)) {}

  // Keeps `connection` as an idle one (e.g. the one that migrated the schema).
  void adopt(std::unique_ptr<Connection> connection) {
    const std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    ++open_count_;
  }

  // Returns a connection for the caller's sole use: an idle one, or a new one
  // while fewer than max_connections are in use. Waits otherwise; throws
  // StorageError when the wait runs out (or `deadline` passes) or a new
  // connection cannot be opened. When opening fails with a transient error
  // (the server is full: other app servers hold its connections) while this
  // pool has connections of its own, waits for one of those to be handed
  // back instead, up to the wait or the deadline: racing other processes for
  // a new one could starve a caller whose own process keeps working (CI: a
  // thread failed to connect for 5 s while its process's other threads
  // committed hundreds of commands).
  // REQUIRES: the caller hands it back with release(), even if it broke.
  std::unique_ptr<Connection> acquire(Deadline deadline = Deadline::max()) {
    slots_.enter(deadline);
    try {
      if (auto connection = take_idle()) return connection;
      try {
        // Open outside the lock: other callers keep using the pool meanwhile.
        std::unique_ptr<Connection> opened = open_(deadline);
        const std::lock_guard lock(mutex_);
        ++open_count_;
        return opened;
      } catch (const RetryableStorageError&) {
        if (auto connection = wait_for_idle(deadline)) return connection;
        throw;
      }
    } catch (...) {
      slots_.leave();
      throw;
    }
  }

  // Hands back a connection from acquire(); nullptr if the caller closed it.
  void release(std::unique_ptr<Connection> connection) noexcept {
    {
      const std::lock_guard lock(mutex_);
      if (connection) {
        idle_.push_back(std::move(connection));
      } else if (open_count_ > 0) {
        --open_count_;
      }
    }
    handed_back_.notify_all();  // a closed one may leave a waiter nothing to wait for
    slots_.leave();
  }

  // Closes every idle connection (e.g. after one was found dead: the server
  // likely restarted).
  void drop_idle() noexcept {
    std::vector<std::unique_ptr<Connection>> dropped;
    {
      const std::lock_guard lock(mutex_);
      dropped.swap(idle_);
      open_count_ -= std::min(open_count_, dropped.size());
    }
    handed_back_.notify_all();
  }

  // Returns the configured limits.
  const PoolLimits& limits() const noexcept { return slots_.limits(); }

 private:
  // Takes the newest usable idle connection, closing unusable ones; nullptr if none.
  std::unique_ptr<Connection> take_idle() {
    std::vector<std::unique_ptr<Connection>> unusable;  // closed outside the lock
    const std::lock_guard lock(mutex_);
    return take_idle_locked(unusable);
  }
  std::unique_ptr<Connection> take_idle_locked(std::vector<std::unique_ptr<Connection>>& unusable) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      if (!usable_ || usable_(*connection)) return connection;
      unusable.push_back(std::move(connection));
      --open_count_;
    }
    return nullptr;
  }

  // Waits, up to the pool's wait or `deadline`, for a connection of this pool
  // to be handed back; nullptr if the pool has none open or none came back.
  std::unique_ptr<Connection> wait_for_idle(Deadline deadline) {
    std::vector<std::unique_ptr<Connection>> unusable;  // closed outside the lock
    const Deadline waited_out = std::chrono::steady_clock::now() + slots_.limits().wait;
    std::unique_lock lock(mutex_);
    while (open_count_ > 0) {
      if (auto connection = take_idle_locked(unusable)) return connection;
      if (handed_back_.wait_until(lock, std::min(deadline, waited_out)) ==
          std::cv_status::timeout) {
        return take_idle_locked(unusable);
      }
    }
    return nullptr;
  }

  ConnectionSlots slots_;
  Open open_;
  Usable usable_;
  std::mutex mutex_;
  std::condition_variable handed_back_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_count_ = 0;  // idle and in use; for wait_for_idle
};

}  // namespace highseas::sql

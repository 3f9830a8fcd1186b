/// @file
/// PeriodicSweeper: runs PublicPool::sweep() on an interval from its own thread.
///
/// Optional: hosts with a scheduler of their own call sweep() from it instead.
/// Several nodes may sweep the same pool at once; each due holding is returned
/// once. The sweeper stops (and joins) when destroyed or on stop().
///
/// Thread-safety: stop() may be called from any thread, once or many times.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "highseas/public_pool.hpp"

namespace highseas {

/// Calls PublicPool::sweep() every interval on a thread of its own, until stopped.
class PeriodicSweeper {
 public:
  /// Called with every sweep's outcome (on the sweeper's thread).
  using Report = std::function<void(const Result<SweepReport>&)>;
  /// Called when a sweep threw (broken storage); the sweeper keeps going.
  using ErrorHandler = std::function<void(std::exception_ptr)>;

  /// Starts sweeping `pool` every `interval` (first sweep at once).
  /// REQUIRES: `pool` outlives the sweeper; interval > 0.
  PeriodicSweeper(PublicPool& pool, std::chrono::milliseconds interval, Report on_sweep = {},
                  ErrorHandler on_error = {})
      : pool_(&pool),
        interval_(interval),
        on_sweep_(std::move(on_sweep)),
        on_error_(std::move(on_error)),
        thread_([this] { loop(); }) {}
  PeriodicSweeper(const PeriodicSweeper&) = delete;
  PeriodicSweeper& operator=(const PeriodicSweeper&) = delete;

  /// Stops and joins.
  ~PeriodicSweeper() { stop(); }

  /// Stops the sweeper; returns once no sweep is running. Idempotent.
  void stop() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        auto report = pool_->sweep();
        if (on_sweep_) on_sweep_(report);
      } catch (...) {
        if (on_error_) on_error_(std::current_exception());
      }
      lock.lock();
      wake_.wait_for(lock, interval_, [this] { return stopping_; });
    }
  }

  PublicPool* pool_;
  std::chrono::milliseconds interval_;
  Report on_sweep_;
  ErrorHandler on_error_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  ///< last: starts after every other member is ready
};

}  // namespace highseas

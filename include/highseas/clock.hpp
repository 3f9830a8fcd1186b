/// @file
/// Clock: where PublicPool reads "now".
///
/// Injected so tests and simulations control time. SystemClock reads the
/// machine's UTC clock; ManualClock only moves when told to.
///
/// Thread-safety: both implementations are safe to call from many threads.
#pragma once

#include <mutex>

#include "highseas/detail/config.hpp"
#include "highseas/time.hpp"

namespace highseas {

/// The source of the current time.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Returns the current UTC instant.
  virtual Time now() const = 0;
};

/// The machine's UTC clock, microsecond resolution.
class SystemClock final : public Clock {
 public:
  /// Returns the machine's current UTC time.
  Time now() const override;
};

/// A clock that stands still until set or advanced: for tests and simulations.
class ManualClock final : public Clock {
 public:
  /// Starts at `start`. Default: 2026-01-01T00:00:00Z.
  explicit ManualClock(Time start = utc(2026, 1, 1)) : now_(start) {}

  /// Returns the time last set.
  Time now() const override {
    const std::lock_guard lock(mutex_);
    return now_;
  }
  /// Sets the time; it may move backwards (tests of clock skew).
  void set(Time at) {
    const std::lock_guard lock(mutex_);
    now_ = at;
  }
  /// Moves the time by `by` (may be negative).
  void advance(Duration by) {
    const std::lock_guard lock(mutex_);
    now_ += by;
  }

 private:
  mutable std::mutex mutex_;
  Time now_;
};

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/clock-inl.hpp"  // IWYU pragma: export
#endif

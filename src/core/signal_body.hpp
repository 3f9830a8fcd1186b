// What stands behind Signal<Event> and Connection: Boost.Signals2, and the
// pool's way in to ask whether anyone listens and to emit. Internal to the
// core; only declarations and inline code, so any core file may include it.
#pragma once

#include <atomic>
#include <boost/signals2/signal.hpp>
#include <cstddef>
#include <memory>
#include <utility>

#include "highseas/events.hpp"

namespace highseas::detail {

// How many slots of one signal are connected. Counted apart from Signals2 so
// that "does anyone listen?" on every command is one atomic load, not the
// signal's mutex. Shared with the connections, which may outlive the signal.
using ListenerCount = std::atomic<std::size_t>;

// What a Connection holds: the Signals2 connection it stands for, and the
// count it takes itself out of once, however many times it is disconnected.
class ConnectionBody {
 public:
  ConnectionBody(boost::signals2::connection connection, std::shared_ptr<ListenerCount> listeners)
      : connection_(std::move(connection)), listeners_(std::move(listeners)) {}
  void disconnect() {
    connection_.disconnect();
    if (counted_.exchange(false, std::memory_order_acq_rel)) {
      listeners_->fetch_sub(1, std::memory_order_release);
    }
  }
  bool connected() const { return connection_.connected(); }

 private:
  boost::signals2::connection connection_;
  std::shared_ptr<ListenerCount> listeners_;
  std::atomic<bool> counted_ = true;
};

template <class Event>
class SignalBody {
 public:
  boost::signals2::signal<void(const Event&)> signal;
  // Slots are only connected through SignalAccess::connect and disconnected
  // through ConnectionBody, so this stays exact.
  std::shared_ptr<ListenerCount> listeners = std::make_shared<ListenerCount>(0);
};

// The pool's way in to what hosts may not do: ask whether anyone listens, emit.
struct SignalAccess {
  template <class Event>
  static bool has_slots(const Signal<Event>& signal) {
    return signal.body_->listeners->load(std::memory_order_acquire) != 0;
  }
  template <class Event>
  static void emit(const Signal<Event>& signal, const Event& event) {
    signal.body_->signal(event);
  }
  template <class Event>
  static Connection connect(Signal<Event>& signal, typename Signal<Event>::Slot slot) {
    SignalBody<Event>& body = *signal.body_;
    // Counted before the slot can run, so a slot never runs uncounted.
    body.listeners->fetch_add(1, std::memory_order_acq_rel);
    try {
      return Connection(
          std::make_shared<ConnectionBody>(body.signal.connect(std::move(slot)), body.listeners));
    } catch (...) {
      body.listeners->fetch_sub(1, std::memory_order_release);
      throw;
    }
  }
};

}  // namespace highseas::detail

// What stands behind Signal<Event> and Connection: Boost.Signals2, and the
// pool's way in to ask whether anyone listens and to emit. Internal to the
// core; only declarations and inline code, so any core file may include it.
#pragma once

#include <boost/signals2/signal.hpp>
#include <memory>
#include <utility>

#include "highseas/events.hpp"

namespace highseas::detail {

// What a Connection holds: the Signals2 connection it stands for.
class ConnectionBody {
 public:
  explicit ConnectionBody(boost::signals2::connection connection)
      : connection_(std::move(connection)) {}
  void disconnect() const { connection_.disconnect(); }
  bool connected() const { return connection_.connected(); }

 private:
  boost::signals2::connection connection_;
};

template <class Event>
class SignalBody {
 public:
  boost::signals2::signal<void(const Event&)> signal;
};

// The pool's way in to what hosts may not do: ask whether anyone listens, emit.
struct SignalAccess {
  template <class Event>
  static bool has_slots(const Signal<Event>& signal) {
    return !signal.body_->signal.empty();
  }
  template <class Event>
  static void emit(const Signal<Event>& signal, const Event& event) {
    signal.body_->signal(event);
  }
  template <class Event>
  static Connection connect(Signal<Event>& signal, typename Signal<Event>::Slot slot) {
    return Connection(
        std::make_shared<ConnectionBody>(signal.body_->signal.connect(std::move(slot))));
  }
};

}  // namespace highseas::detail

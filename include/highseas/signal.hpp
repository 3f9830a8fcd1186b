/// @file
/// Signal, Connection, ScopedConnection: how a host listens to a pool.
///
/// A Signal stands for one kind of event (see events.hpp). Hosts connect
/// slots; only the pool emits. Boost.Signals2 stands behind it, kept out of
/// this header.
///
/// Thread-safety: connecting and disconnecting are thread-safe; a Connection
/// may be disconnected from any thread, any number of times.
#pragma once

#include <functional>
#include <memory>
#include <utility>

namespace highseas {

namespace detail {
class ConnectionBody;
template <class Event>
class SignalBody;
struct SignalAccess;
}  // namespace detail

/// A slot's link to a signal. Copies share the link: disconnecting one
/// disconnects the slot.
class Connection {
 public:
  Connection() = default;
  /// Stops the slot from being called again; no effect if already disconnected.
  void disconnect() const;
  /// Returns true iff the slot is still connected.
  bool connected() const;

 private:
  friend struct detail::SignalAccess;
  explicit Connection(std::shared_ptr<detail::ConnectionBody> body) : body_(std::move(body)) {}
  std::shared_ptr<detail::ConnectionBody> body_;
};

/// Disconnects its slot when destroyed, so a slot lives no longer than a scope.
class ScopedConnection {
 public:
  ScopedConnection() = default;
  /// Takes over `connection`; disconnects it when destroyed.
  ScopedConnection(Connection connection) : connection_(std::move(connection)) {}
  /// Takes over the other's slot.
  ScopedConnection(ScopedConnection&& other) noexcept = default;
  /// Disconnects this slot and takes over the other's.
  ScopedConnection& operator=(ScopedConnection&& other) noexcept {
    if (this != &other) {
      connection_.disconnect();
      connection_ = std::move(other.connection_);
    }
    return *this;
  }
  ScopedConnection(const ScopedConnection&) = delete;
  ScopedConnection& operator=(const ScopedConnection&) = delete;
  ~ScopedConnection() { connection_.disconnect(); }

  /// Disconnects the slot now.
  void disconnect() const { connection_.disconnect(); }
  /// Returns true iff the slot is still connected.
  bool connected() const { return connection_.connected(); }

 private:
  Connection connection_;
};

/// One kind of event. Hosts connect slots; only the pool emits.
template <class Event>
class Signal {
 public:
  /// What a host connects: called with each event.
  using Slot = std::function<void(const Event&)>;

  Signal();
  ~Signal();
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  /// Connects `slot`: it is called once per committed change of this kind,
  /// after the commit, in commit order. Thread-safe.
  Connection connect(Slot slot);

 private:
  friend struct detail::SignalAccess;
  std::unique_ptr<detail::SignalBody<Event>> body_;
};

}  // namespace highseas

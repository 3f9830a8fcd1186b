// Signal<Event> and Connection over Boost.Signals2. Compiled into
// HighSeas::highseas by events.cpp; included by events.hpp in header-only mode.
// Kept out of events.hpp so a host that includes it does not parse Signals2.
#pragma once

#include "highseas/events.hpp"
#include "highseas_inl/core/signal_body.hpp"

namespace highseas {

HIGHSEAS_INLINE void Connection::disconnect() const {
  if (body_) body_->disconnect();
}

HIGHSEAS_INLINE bool Connection::connected() const { return body_ && body_->connected(); }

template <class Event>
Signal<Event>::Signal() : body_(std::make_unique<detail::SignalBody<Event>>()) {}

template <class Event>
Signal<Event>::~Signal() = default;

template <class Event>
Connection Signal<Event>::connect(Slot slot) {
  return detail::SignalAccess::connect(*this, std::move(slot));
}

}  // namespace highseas

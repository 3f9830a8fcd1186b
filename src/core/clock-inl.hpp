// SystemClock. Compiled into HighSeas::highseas by clock.cpp; included by
// clock.hpp in header-only mode.
#pragma once

#include <boost/date_time/posix_time/posix_time_types.hpp>

#include "highseas/clock.hpp"

namespace highseas {

HIGHSEAS_INLINE Time SystemClock::now() const {
  return boost::posix_time::microsec_clock::universal_time();
}

}  // namespace highseas

// Where whole-day spans end in a UTC pool, computed on its own so that tests
// of deadlines do not check TeamCalendar with itself.
//
//   EXPECT_EQ(claimed.deadline, utc_days_end(claimed_at, 30));
#pragma once

#include "highseas/time.hpp"

namespace highseas::testing {

// Returns the end (UTC midnight) of the `count`-th day after the UTC day of
// `start`, which is the day of the instant just before it (a start at
// midnight belongs to the day that just ended): where `count` whole days
// from `start` end in a UTC pool.
inline Time utc_days_end(Time start, int count) {
  const Time just_before = start - boost::posix_time::microseconds(1);
  return Time(just_before.date() + boost::gregorian::days(count + 1));
}

}  // namespace highseas::testing

/// @file
/// A daily digest of reminders: for a host that emails each person once a
/// day instead of once per reminder.
///
/// The host keeps the ReminderDue events it heard (or reads them back from
/// the history's `reminded` entries) and, once a day, asks digest() to group
/// them: one Digest per recipient and local day of the pool's time zone, so a
/// team in São Paulo gets the reminders of its own day, not of UTC's.
///
/// Thread-safety: a pure function over values.
#pragma once

#include <span>
#include <vector>

#include "highseas/detail/config.hpp"
#include "highseas/events.hpp"
#include "highseas/ids.hpp"
#include "highseas/return_rules.hpp"
#include "highseas/time.hpp"
#include "highseas/time_zone.hpp"

namespace highseas {

/// One reminder as a digest lists it.
struct DigestLine {
  CustomerId customer;  ///< the customer held
  UserId holder;        ///< who holds it
  Time deadline;        ///< when it returns unless won, followed up or extended
  Reminder reminder;    ///< which reminder
  Duration time_left;   ///< left to the deadline when it was sent
  Time sent_at;         ///< when it was sent

  /// Field-by-field equality.
  friend bool operator==(const DigestLine&, const DigestLine&) = default;
};

/// What one recipient hears about one local day.
struct Digest {
  UserId recipient;               ///< who it is for
  LocalDate day;                  ///< the local day the reminders were sent on
  std::vector<DigestLine> lines;  ///< earliest deadline first, then by customer id

  /// Field-by-field equality.
  friend bool operator==(const Digest&, const Digest&) = default;
};

/// Groups `reminders` by recipient (each of its audience) and by the local
/// day of `zone` each was sent on: recipients by user id, then days in
/// order; within a digest, earliest deadline first (then by customer id), so
/// the most pressing comes first. A recipient warned twice about one customer
/// on one day (3 days, then 1 day before) gets the customer once, with the
/// reminder sent last (the more urgent).
std::vector<Digest> digest(std::span<const ReminderDue> reminders, const TimeZone& zone);

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/reminder_digest-inl.hpp"  // IWYU pragma: export
#endif

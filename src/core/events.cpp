// Compiles Connection and every pool signal into HighSeas::highseas, so hosts
// that include events.hpp never parse Boost.Signals2.
#include "highseas_inl/core/events-inl.hpp"

namespace highseas {

template class Signal<PoolSwitched>;
template class Signal<PolicyChanged>;
template class Signal<CalendarChanged>;
template class Signal<MemberChanged>;
template class Signal<CustomersImported>;
template class Signal<MovedIntoPool>;
template class Signal<MovedOutOfPool>;
template class Signal<Claimed>;
template class Signal<Assigned>;
template class Signal<Released>;
template class Signal<Extended>;
template class Signal<FollowedUp>;
template class Signal<Won>;
template class Signal<Returned>;
template class Signal<ProtectionChanged>;
template class Signal<DeadlineRecomputed>;
template class Signal<ReminderDue>;

}  // namespace highseas

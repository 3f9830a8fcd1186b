// HighSeas: the customer public pool (客户公海) engine. The umbrella header.
//
//   #include <highseas/highseas.hpp>
//   highseas::MemoryStorage storage;
//   highseas::SystemClock clock;
//   highseas::PublicPool pool(highseas::PoolId("sales-eu"), storage, clock);
//   pool.create(highseas::UserId("boss"));
#pragma once

#include "highseas/activity.hpp"          // IWYU pragma: export
#include "highseas/claim_policy.hpp"      // IWYU pragma: export
#include "highseas/clock.hpp"             // IWYU pragma: export
#include "highseas/country.hpp"           // IWYU pragma: export
#include "highseas/customer.hpp"          // IWYU pragma: export
#include "highseas/due_return.hpp"        // IWYU pragma: export
#include "highseas/events.hpp"            // IWYU pragma: export
#include "highseas/explanation.hpp"       // IWYU pragma: export
#include "highseas/ids.hpp"               // IWYU pragma: export
#include "highseas/import_source.hpp"     // IWYU pragma: export
#include "highseas/memory_storage.hpp"    // IWYU pragma: export
#include "highseas/name_key.hpp"          // IWYU pragma: export
#include "highseas/periodic_sweeper.hpp"  // IWYU pragma: export
#include "highseas/public_pool.hpp"       // IWYU pragma: export
#include "highseas/records.hpp"           // IWYU pragma: export
#include "highseas/reminder_digest.hpp"   // IWYU pragma: export
#include "highseas/result.hpp"            // IWYU pragma: export
#include "highseas/return_rules.hpp"      // IWYU pragma: export
#include "highseas/role_guard.hpp"        // IWYU pragma: export
#include "highseas/roles.hpp"             // IWYU pragma: export
#include "highseas/rules.hpp"             // IWYU pragma: export
#include "highseas/signal.hpp"            // IWYU pragma: export
#include "highseas/span.hpp"              // IWYU pragma: export
#include "highseas/storage.hpp"           // IWYU pragma: export
#include "highseas/team_calendar.hpp"     // IWYU pragma: export
#include "highseas/time.hpp"              // IWYU pragma: export
#include "highseas/time_zone.hpp"         // IWYU pragma: export
#include "highseas/version.hpp"           // IWYU pragma: export
#include "highseas/views.hpp"             // IWYU pragma: export
#include "highseas/work_calendar.hpp"     // IWYU pragma: export

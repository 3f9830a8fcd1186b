// The anchor that pulls every conformance test file of HighSeas::testing into
// a binary that instantiates the suite (see conformance.hpp).
#include "highseas/testing/conformance.hpp"

namespace highseas::testing {

void link_conformance_calendar();
void link_conformance_commands();
void link_conformance_fair_claiming();
void link_conformance_history();
void link_conformance_import_stream();
void link_conformance_indexes();
void link_conformance_isolation();
void link_conformance_overdue();
void link_conformance_reminders();
void link_conformance_return_rules();
void link_conformance_transactions();

bool link_conformance_suite() {
  link_conformance_calendar();
  link_conformance_commands();
  link_conformance_fair_claiming();
  link_conformance_history();
  link_conformance_import_stream();
  link_conformance_indexes();
  link_conformance_isolation();
  link_conformance_overdue();
  link_conformance_reminders();
  link_conformance_return_rules();
  link_conformance_transactions();
  return true;
}

}  // namespace highseas::testing

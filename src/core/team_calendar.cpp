// Compiles TeamCalendar into HighSeas::highseas.
#include "highseas_inl/core/team_calendar-inl.hpp"

// Compiles WorkCalendar into HighSeas::highseas.
#include "highseas_inl/core/work_calendar-inl.hpp"

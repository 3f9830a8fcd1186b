// Compiles TimeZone into HighSeas::highseas.
#include "highseas_inl/core/time_zone-inl.hpp"

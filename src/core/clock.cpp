// Compiles SystemClock into HighSeas::highseas.
#include "highseas_inl/core/clock-inl.hpp"

// Compiles ActivityTally into HighSeas::highseas.
#include "highseas_inl/core/activity-inl.hpp"

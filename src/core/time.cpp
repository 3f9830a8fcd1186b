// Compiles the time formatting helpers into HighSeas::highseas.
#include "highseas_inl/core/time-inl.hpp"

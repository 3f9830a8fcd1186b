// Compiles digest() into HighSeas::highseas.
#include "highseas_inl/core/reminder_digest-inl.hpp"

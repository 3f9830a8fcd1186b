// Compiles the pure decisions into HighSeas::highseas.
#include "highseas_inl/core/rules-inl.hpp"

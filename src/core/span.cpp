// Compiles Span into HighSeas::highseas.
#include "highseas_inl/core/span-inl.hpp"

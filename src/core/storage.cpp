// Compiles Transaction's default methods into HighSeas::highseas.
#include "highseas_inl/core/storage-inl.hpp"

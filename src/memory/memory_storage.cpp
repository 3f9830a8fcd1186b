// Compiles MemoryStorage into HighSeas::highseas.
#include "highseas_inl/memory/memory_storage-inl.hpp"

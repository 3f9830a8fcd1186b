// Compiles PublicPool (its engine, commands and queries) into HighSeas::highseas.
#include "highseas_inl/core/public_pool-inl.hpp"

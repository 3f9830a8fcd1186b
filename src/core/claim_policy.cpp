// Compiles ClaimPolicy's out-of-line decisions into HighSeas::highseas.
#include "highseas_inl/core/claim_policy-inl.hpp"

// Compiles RoleGuard's out-of-line decisions into HighSeas::highseas.
#include "highseas_inl/core/role_guard-inl.hpp"

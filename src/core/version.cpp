// The compiled core's copy of highseas::version(); the body is shared with the
// header-only mode.
#include "highseas_inl/core/version-inl.hpp"

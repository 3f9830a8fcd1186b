// highseas::version(): compiled into the library by version.cpp, or included by
// highseas/version.hpp in header-only mode (HIGHSEAS_HEADER_ONLY).
#pragma once

#include "highseas/version.hpp"

namespace highseas {

HIGHSEAS_INLINE std::string_view version() noexcept { return HIGHSEAS_VERSION_STRING; }

}  // namespace highseas

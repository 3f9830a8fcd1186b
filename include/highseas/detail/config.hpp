// Build-mode switches shared by every public header.
//
// HighSeas builds two ways, as spdlog and fmt do: a compiled library
// (HighSeas::highseas, the default) and a header-only variant
// (HighSeas::highseas_header_only, which defines HIGHSEAS_HEADER_ONLY). In
// header-only mode each public header includes its implementation file
// (highseas_inl/...-inl.hpp) and those definitions must be `inline`.
#pragma once

#ifdef HIGHSEAS_HEADER_ONLY
#define HIGHSEAS_INLINE inline
#else
#define HIGHSEAS_INLINE
#endif

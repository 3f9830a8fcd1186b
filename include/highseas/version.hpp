// The HighSeas version, as macros for the preprocessor and as a function that
// reports the version the library itself was built as: a host that compares
// the two detects headers of one release linked against a library of another.
//
// The macros are checked against project(VERSION) in CMakeLists.txt; configure
// fails when they differ. Thread-safety: everything here is constant.
#pragma once

#include <string_view>

#include "highseas/detail/config.hpp"

/// Major version: changes break the API.
#define HIGHSEAS_VERSION_MAJOR 0
/// Minor version: before 1.0, changes may break the API (hosts pin major.minor).
#define HIGHSEAS_VERSION_MINOR 1
/// Patch version: fixes only.
#define HIGHSEAS_VERSION_PATCH 0
/// "MAJOR.MINOR.PATCH".
#define HIGHSEAS_VERSION_STRING "0.1.0"

namespace highseas {

/// Returns the version the HighSeas library was compiled as, "MAJOR.MINOR.PATCH".
/// Equal to HIGHSEAS_VERSION_STRING unless the program links a different build
/// of the library than the headers it was compiled with.
std::string_view version() noexcept;

}  // namespace highseas

#ifdef HIGHSEAS_HEADER_ONLY
#include "highseas_inl/core/version-inl.hpp"  // IWYU pragma: export
#endif

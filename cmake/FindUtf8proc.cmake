# Finds utf8proc, the Unicode library the core's name keys use, and provides
# the imported target utf8proc::utf8proc. Sets Utf8proc_FOUND and
# Utf8proc_VERSION.
#
# Debian's libutf8proc-dev ships no CMake package, only libutf8proc.pc, so
# this module asks pkg-config; a utf8proc built with its own CMake package
# config (which defines utf8proc::utf8proc) is taken first. Installed next to
# HighSeasConfig.cmake, which uses it for find_package(HighSeas) hosts.
if(TARGET utf8proc::utf8proc)
  set(Utf8proc_FOUND TRUE)
  return()
endif()

find_package(utf8proc CONFIG QUIET)
if(TARGET utf8proc::utf8proc)
  set(Utf8proc_VERSION "${utf8proc_VERSION}")
else()
  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(UTF8PROC QUIET IMPORTED_TARGET libutf8proc)
  endif()
  if(TARGET PkgConfig::UTF8PROC)
    add_library(utf8proc::utf8proc INTERFACE IMPORTED)
    target_link_libraries(utf8proc::utf8proc INTERFACE PkgConfig::UTF8PROC)
    set(Utf8proc_VERSION "${UTF8PROC_VERSION}")
  endif()
endif()

include(FindPackageHandleStandardArgs)
set(_utf8proc_found_target "")
if(TARGET utf8proc::utf8proc)
  set(_utf8proc_found_target utf8proc::utf8proc)
endif()
find_package_handle_standard_args(Utf8proc
  REQUIRED_VARS _utf8proc_found_target
  VERSION_VAR Utf8proc_VERSION
  REASON_FAILURE_MESSAGE "install libutf8proc-dev and pkg-config (Debian), or a utf8proc with its CMake package")
unset(_utf8proc_found_target)

# The core: HighSeas::highseas (compiled) and HighSeas::highseas_header_only.
#
# Implementation lives in src/core/<name>-inl.hpp; the compiled library's
# src/core/<name>.cpp includes it, and in header-only mode the public header
# includes it as "highseas_inl/core/<name>-inl.hpp". In the build tree that
# path resolves through a link to src/.
file(MAKE_DIRECTORY "${PROJECT_BINARY_DIR}/inl")
file(CREATE_LINK "${PROJECT_SOURCE_DIR}/src" "${PROJECT_BINARY_DIR}/inl/highseas_inl" SYMBOLIC)

file(GLOB_RECURSE HIGHSEAS_CORE_HEADERS CONFIGURE_DEPENDS
     RELATIVE "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/include/highseas/*.hpp")
# testing/ needs GoogleTest and belongs to HighSeas::testing, not the core.
list(FILTER HIGHSEAS_CORE_HEADERS EXCLUDE REGEX "^include/highseas/testing/")
list(FILTER HIGHSEAS_CORE_HEADERS EXCLUDE REGEX "^include/highseas/(sqlite|postgres|csv)/")

set(HIGHSEAS_CORE_SOURCES
  src/core/claim_policy.cpp src/core/clock.cpp src/core/events.cpp src/core/public_pool.cpp
  src/core/role_guard.cpp src/core/rules.cpp src/core/time.cpp
  src/memory/memory_storage.cpp)

add_library(highseas ${HIGHSEAS_CORE_SOURCES})
add_library(HighSeas::highseas ALIAS highseas)
set_target_properties(highseas PROPERTIES EXPORT_NAME highseas POSITION_INDEPENDENT_CODE ON)
target_sources(highseas PUBLIC
  FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/include" FILES ${HIGHSEAS_CORE_HEADERS})
target_include_directories(highseas
  PUBLIC "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
         "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>"
  PRIVATE "${PROJECT_BINARY_DIR}/inl")
target_compile_features(highseas PUBLIC cxx_std_20)
target_link_libraries(highseas PUBLIC Boost::headers Boost::date_time Threads::Threads)

add_library(highseas_header_only INTERFACE)
add_library(HighSeas::highseas_header_only ALIAS highseas_header_only)
set_target_properties(highseas_header_only PROPERTIES EXPORT_NAME highseas_header_only)
target_include_directories(highseas_header_only INTERFACE
  "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
  "$<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/inl>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
target_compile_definitions(highseas_header_only INTERFACE HIGHSEAS_HEADER_ONLY)
target_compile_features(highseas_header_only INTERFACE cxx_std_20)
target_link_libraries(highseas_header_only INTERFACE Boost::headers Boost::date_time Threads::Threads)
if(PROJECT_IS_TOP_LEVEL)
  set_target_properties(highseas PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
endif()

# Every installed/exported target registers itself here.
set_property(GLOBAL APPEND PROPERTY HIGHSEAS_EXPORTED_TARGETS highseas)

# The header-only core: HighSeas::highseas.
add_library(highseas INTERFACE)
add_library(HighSeas::highseas ALIAS highseas)
set_target_properties(highseas PROPERTIES EXPORT_NAME highseas)

file(GLOB_RECURSE HIGHSEAS_CORE_HEADERS CONFIGURE_DEPENDS
     RELATIVE "${PROJECT_SOURCE_DIR}" "${PROJECT_SOURCE_DIR}/include/highseas/*.hpp")
# testing/ needs GoogleTest and belongs to HighSeas::testing, not the core.
list(FILTER HIGHSEAS_CORE_HEADERS EXCLUDE REGEX "^include/highseas/testing/")
list(FILTER HIGHSEAS_CORE_HEADERS EXCLUDE REGEX "^include/highseas/(sqlite|postgres|csv)/")

target_sources(highseas INTERFACE
  FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/include" FILES ${HIGHSEAS_CORE_HEADERS})
target_include_directories(highseas INTERFACE
  "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
  "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
target_compile_features(highseas INTERFACE cxx_std_20)
target_link_libraries(highseas INTERFACE Boost::headers Boost::date_time Threads::Threads)
if(PROJECT_IS_TOP_LEVEL)
  set_target_properties(highseas PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
endif()

# Every installed/exported target registers itself here.
set_property(GLOBAL APPEND PROPERTY HIGHSEAS_EXPORTED_TARGETS highseas)

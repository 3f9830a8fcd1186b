# The package config files. Each component installed its own targets and export
# set (highseas_add_component); here the config learns which components this
# build has and what each one must find.
include(CMakePackageConfigHelpers)

get_property(HIGHSEAS_BUILT_COMPONENTS GLOBAL PROPERTY HIGHSEAS_COMPONENTS)
set(HIGHSEAS_CONFIG_COMPONENTS "")
foreach(component IN LISTS HIGHSEAS_BUILT_COMPONENTS)
  get_property(requires GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_REQUIRES)
  get_property(finds GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_FIND)
  set(quoted "")
  foreach(find IN LISTS finds)
    string(APPEND quoted " [[${find}]]")
  endforeach()
  string(APPEND HIGHSEAS_CONFIG_COMPONENTS
    "set(_highseas_${component}_requires ${requires})\n"
    "set(_highseas_${component}_find${quoted})\n")
endforeach()

# The `highseas` program (install component `cli`, apps/highseas) is a component
# too: find_package(HighSeas COMPONENTS cli) finds it when it is installed and sets
# HighSeas_CLI_EXECUTABLE. It installs itself; no targets to export.
if(TARGET highseas_cli AND NOT cli IN_LIST HIGHSEAS_BUILT_COMPONENTS)
  list(APPEND HIGHSEAS_BUILT_COMPONENTS cli)
  string(APPEND HIGHSEAS_CONFIG_COMPONENTS
    "set(_highseas_cli_requires)\nset(_highseas_cli_find)\n"
    "set(_highseas_cli_program \"${CMAKE_INSTALL_BINDIR}/highseas\")\n")
endif()

configure_package_config_file(cmake/HighSeasConfig.cmake.in
  "${PROJECT_BINARY_DIR}/HighSeasConfig.cmake" INSTALL_DESTINATION "${HIGHSEAS_CONFIG_DIR}")
# Before 1.0 a minor release may break the API: 0.1 accepts 0.1.x only.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/HighSeasConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
# The config finds utf8proc with our module (Debian's package has no CMake
# config); a copy in the build tree serves hosts whose HighSeas_DIR is the
# build directory.
configure_file(cmake/FindUtf8proc.cmake "${PROJECT_BINARY_DIR}/FindUtf8proc.cmake" COPYONLY)
install(FILES "${PROJECT_BINARY_DIR}/HighSeasConfig.cmake"
              "${PROJECT_BINARY_DIR}/HighSeasConfigVersion.cmake"
              cmake/FindUtf8proc.cmake
        DESTINATION "${HIGHSEAS_CONFIG_DIR}" COMPONENT core)
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/highseas" COMPONENT core)

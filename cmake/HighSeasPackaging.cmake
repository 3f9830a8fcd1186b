# Debian packages: `cpack` in the build directory (or `cmake --build <dir>
# --target package`) writes them to <build>/packages/.
#   libhighseas-dev  headers, the CMake package config and every library component
#                    (static unless BUILD_SHARED_LIBS); Depends: the -dev packages
#                    those components need (each component's DEB_DEPENDS)
#   highseas         the `highseas` program (install component cli), when it is
#                    built; Depends: the shared libraries it links (dpkg-shlibdeps)
# Both install under /usr. tests/package unpacks them and builds against them.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME highseas)
set(CPACK_PACKAGE_VENDOR "HighSeas")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(HIGHSEAS_PACKAGE_CONTACT "HighSeas maintainers <highseas@localhost>" CACHE STRING
    "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${HIGHSEAS_PACKAGE_CONTACT}")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>_<arch>.deb

# Every install component lands in exactly one package.
get_property(highseas_library_components GLOBAL PROPERTY HIGHSEAS_COMPONENTS)
get_cmake_property(highseas_install_components COMPONENTS)
set(highseas_dev_components ${highseas_library_components})
set(highseas_dev_depends "")
foreach(component IN LISTS highseas_library_components)
  get_property(depends GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_DEB_DEPENDS)
  list(APPEND highseas_dev_depends ${depends})
endforeach()
foreach(component IN LISTS highseas_install_components)
  if(NOT component IN_LIST highseas_library_components AND NOT component STREQUAL "cli")
    message(FATAL_ERROR "HighSeas: install component '${component}' belongs to no Debian package; "
                        "give its install() rules COMPONENT <a library component> or cli")
  endif()
endforeach()
set(CPACK_COMPONENTS_ALL ${highseas_install_components})  # tests/package reads it
list(REMOVE_DUPLICATES highseas_dev_depends)
list(SORT highseas_dev_depends)
list(JOIN highseas_dev_depends ", " CPACK_DEBIAN_DEV_PACKAGE_DEPENDS)

set(CPACK_DEBIAN_DEV_PACKAGE_NAME "libhighseas-dev")
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_CLI_PACKAGE_NAME "highseas")
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS ON)

include(CPack)

cpack_add_component_group(dev DISPLAY_NAME "HighSeas development files"
  DESCRIPTION "HighSeas, the customer public pool (客户公海) engine for CRMs: C++20 headers, \
the CMake package (find_package(HighSeas COMPONENTS ...)) and the compiled libraries.")
foreach(component IN LISTS highseas_dev_components)
  cpack_add_component(${component} GROUP dev)
endforeach()
if("cli" IN_LIST highseas_install_components)
  cpack_add_component_group(cli DISPLAY_NAME "highseas command line"
    DESCRIPTION "highseas: the HighSeas command line. Runs a customer public pool (客户公海) \
in a SQLite file: import customers from CSV, claim, assign, release, sweep, and a demo.")
  cpack_add_component(cli GROUP cli)
endif()

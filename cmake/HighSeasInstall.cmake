# Install rules, the exported targets and the package config files.
include(CMakePackageConfigHelpers)

get_property(exported_targets GLOBAL PROPERTY HIGHSEAS_EXPORTED_TARGETS)
set(HIGHSEAS_CONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/HighSeas")

install(TARGETS ${exported_targets} EXPORT HighSeasTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT HighSeasTargets NAMESPACE HighSeas:: DESTINATION "${HIGHSEAS_CONFIG_DIR}")

# Components tell the config file which optional dependencies to look for.
set(HIGHSEAS_HAS_SQLITE OFF)
set(HIGHSEAS_HAS_POSTGRES OFF)
set(HIGHSEAS_HAS_TESTING OFF)
set(HIGHSEAS_HAS_CSV OFF)
if(TARGET highseas_sqlite)
  set(HIGHSEAS_HAS_SQLITE ON)
endif()
if(TARGET highseas_postgres)
  set(HIGHSEAS_HAS_POSTGRES ON)
endif()
if(TARGET highseas_csv)
  set(HIGHSEAS_HAS_CSV ON)
endif()
if(TARGET highseas_testing)
  set(HIGHSEAS_HAS_TESTING ON)
endif()

configure_package_config_file(cmake/HighSeasConfig.cmake.in
  "${PROJECT_BINARY_DIR}/HighSeasConfig.cmake" INSTALL_DESTINATION "${HIGHSEAS_CONFIG_DIR}")
write_basic_package_version_file("${PROJECT_BINARY_DIR}/HighSeasConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/HighSeasConfig.cmake"
              "${PROJECT_BINARY_DIR}/HighSeasConfigVersion.cmake"
        DESTINATION "${HIGHSEAS_CONFIG_DIR}")
install(FILES LICENSE DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/highseas")

# Build-tree export: a host may point HighSeas_DIR at our build directory.
export(EXPORT HighSeasTargets NAMESPACE HighSeas:: FILE "${PROJECT_BINARY_DIR}/HighSeasTargets.cmake")

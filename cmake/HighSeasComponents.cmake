# How every HighSeas library target is set up, in one place.
#
# A component is one exported target with its own export set
# (HighSeas_<component>Targets.cmake), its own install component (the same
# name, used by `cmake --install --component` and CPack) and the list of
# packages the installed config must find for it. find_package(HighSeas
# COMPONENTS ...) loads only what was asked for, so a host that links the core
# never looks up GoogleTest, libpq or SQLite.

# highseas_add_component(<component>
#     [TARGET <name>]            the CMake target; default highseas_<component>
#     [EXPORT_NAME <name>]       the target is HighSeas::<name>; default <component>
#     [SOURCES <file>...]        a compiled library (static unless BUILD_SHARED_LIBS);
#                                without sources an INTERFACE (header-only) library
#     [HEADERS <file>...]        its public headers, under include/: installed, and each
#                                compiled alone (VERIFY_INTERFACE_HEADER_SETS)
#     [LINK <item>...]           usage requirements hosts inherit (PUBLIC / INTERFACE)
#     [PRIVATE_LINK <item>...]   needed to build the library only
#     [REQUIRES <component>...]  HighSeas components it links; the config loads them first
#     [FIND <"args">...]         what the installed config finds for it, one quoted
#                                find_package argument list per package
#     [DEB_DEPENDS <pkg>...]     the Debian packages a host needs to build against it
#     [NOT_INSTALLED])           build the target for this tree only: no install, export or
#                                package (e.g. it links a GoogleTest built in-tree)
function(highseas_add_component component)
  cmake_parse_arguments(PARSE_ARGV 1 arg "NOT_INSTALLED" "TARGET;EXPORT_NAME"
                        "SOURCES;HEADERS;LINK;PRIVATE_LINK;REQUIRES;FIND;DEB_DEPENDS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "highseas_add_component(${component}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  get_property(known GLOBAL PROPERTY HIGHSEAS_COMPONENTS)
  if(component IN_LIST known)
    message(FATAL_ERROR "highseas_add_component: component ${component} is defined twice")
  endif()
  set(target highseas_${component})
  if(arg_TARGET)
    set(target ${arg_TARGET})
  endif()
  set(export_name ${component})
  if(arg_EXPORT_NAME)
    set(export_name ${arg_EXPORT_NAME})
  endif()

  if(arg_SOURCES)
    add_library(${target} ${arg_SOURCES})
    set(scope PUBLIC)
    # A static core may end up inside a host's shared library.
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  add_library(HighSeas::${export_name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  if(arg_HEADERS)
    target_sources(${target} ${scope}
      FILE_SET HEADERS BASE_DIRS "${PROJECT_SOURCE_DIR}/include" FILES ${arg_HEADERS})
    if(PROJECT_IS_TOP_LEVEL)
      set_target_properties(${target} PROPERTIES VERIFY_INTERFACE_HEADER_SETS ON)
    endif()
  endif()
  target_include_directories(${target} ${scope}
    "$<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>"
    "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  target_compile_features(${target} ${scope} cxx_std_20)
  if(arg_LINK)
    target_link_libraries(${target} ${scope} ${arg_LINK})
  endif()
  if(arg_PRIVATE_LINK)
    if(NOT arg_SOURCES)
      message(FATAL_ERROR "highseas_add_component(${component}): PRIVATE_LINK needs SOURCES")
    endif()
    target_link_libraries(${target} PRIVATE ${arg_PRIVATE_LINK})
  endif()

  if(arg_NOT_INSTALLED)
    return()
  endif()
  set_property(GLOBAL APPEND PROPERTY HIGHSEAS_COMPONENTS ${component})
  set_property(GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_TARGET ${target})
  set_property(GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_REQUIRES ${arg_REQUIRES})
  set_property(GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_FIND "${arg_FIND}")
  set_property(GLOBAL PROPERTY HIGHSEAS_COMPONENT_${component}_DEB_DEPENDS ${arg_DEB_DEPENDS})

  if(HIGHSEAS_INSTALL)
    install(TARGETS ${target} EXPORT HighSeas_${component}Targets
      ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT ${component}
      LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT ${component}
              NAMELINK_COMPONENT ${component}
      RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT ${component}
      FILE_SET HEADERS DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}" COMPONENT ${component})
    install(EXPORT HighSeas_${component}Targets NAMESPACE HighSeas::
      DESTINATION "${HIGHSEAS_CONFIG_DIR}" COMPONENT ${component})
    # Build-tree export: a host may point HighSeas_DIR at our build directory.
    export(EXPORT HighSeas_${component}Targets NAMESPACE HighSeas::
      FILE "${PROJECT_BINARY_DIR}/HighSeas_${component}Targets.cmake")
  endif()
endfunction()

# highseas_optional_component(<component> <package> [<find_package args>...])
# Adds src/<component> when <package> is there. HIGHSEAS_WITH_<COMPONENT>:
#   AUTO (default)  build it when <package> is found, otherwise say at configure time
#                   which package is missing and go on without it;
#   ON              build it, and fail configure when <package> is missing;
#   OFF             never build it.
macro(highseas_optional_component component package)
  string(TOUPPER "${component}" _highseas_upper)
  set(HIGHSEAS_WITH_${_highseas_upper} AUTO CACHE STRING
      "Build HighSeas::${component} (AUTO: when ${package} is found, ON: required, OFF: never)")
  set_property(CACHE HIGHSEAS_WITH_${_highseas_upper} PROPERTY STRINGS AUTO ON OFF)
  set(_highseas_with "${HIGHSEAS_WITH_${_highseas_upper}}")
  if(_highseas_with STREQUAL "OFF")
    message(STATUS "HighSeas: HighSeas::${component} off (HIGHSEAS_WITH_${_highseas_upper}=OFF)")
  elseif(_highseas_with STREQUAL "ON")
    find_package(${package} ${ARGN})
    if(NOT ${package}_FOUND)
      message(FATAL_ERROR "HighSeas: HIGHSEAS_WITH_${_highseas_upper}=ON but ${package} was not "
                          "found; install it (scripts/install-deps) or set it to AUTO or OFF")
    endif()
    add_subdirectory(${component})
  elseif(_highseas_with STREQUAL "AUTO")
    find_package(${package} ${ARGN})
    if(${package}_FOUND)
      add_subdirectory(${component})
    else()
      message(STATUS "HighSeas: ${package} not found; HighSeas::${component} not built "
                     "(HIGHSEAS_WITH_${_highseas_upper}=ON makes this an error)")
    endif()
  else()
    message(FATAL_ERROR "HighSeas: HIGHSEAS_WITH_${_highseas_upper} must be AUTO, ON or OFF, "
                        "not '${_highseas_with}'")
  endif()
endmacro()

# include/highseas/version.hpp states the version for C++; project(VERSION)
# states it for CMake and the packages. Configure fails when they differ, so a
# release bump cannot change one and forget the other.
function(highseas_check_version_header header)
  file(STRINGS "${header}" lines REGEX "^#define HIGHSEAS_VERSION_(MAJOR|MINOR|PATCH|STRING) ")
  set(expected_MAJOR "${PROJECT_VERSION_MAJOR}")
  set(expected_MINOR "${PROJECT_VERSION_MINOR}")
  set(expected_PATCH "${PROJECT_VERSION_PATCH}")
  set(expected_STRING "\"${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}.${PROJECT_VERSION_PATCH}\"")
  foreach(part IN ITEMS MAJOR MINOR PATCH STRING)
    set(found "")
    foreach(line IN LISTS lines)
      if(line MATCHES "^#define HIGHSEAS_VERSION_${part} +([^ ]+)$")
        set(found "${CMAKE_MATCH_1}")
      endif()
    endforeach()
    if(NOT found STREQUAL expected_${part})
      message(FATAL_ERROR "HighSeas: ${header} has HIGHSEAS_VERSION_${part} '${found}' but "
                          "project(VERSION ${PROJECT_VERSION}) wants '${expected_${part}}'; "
                          "change both together")
    endif()
  endforeach()
  set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${header}")
endfunction()

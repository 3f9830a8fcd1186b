# The Debian packages as a Debian shop would use them: cpack builds them from
# HIGHSEAS_BINARY_DIR, dpkg -x unpacks them into a private root (no root rights,
# nothing installed on the machine), and the find-package consumers build and
# run against <root>/usr.
#   -DHIGHSEAS_BINARY_DIR -DCOMPONENTS=<a,b,...> -DCONSUMER_SOURCE_DIR -DWORK_DIR
#   -DCMAKE_BUILD_TYPE -DCMAKE_CXX_COMPILER -DCMAKE_CPACK_COMMAND
#   -DCXX_FLAGS -DEXE_LINKER_FLAGS (forwarded to the consumers)
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE "${WORK_DIR}")
# What cpack will package: CPACK_COMPONENTS_ALL names the install components.
include("${HIGHSEAS_BINARY_DIR}/CPackConfig.cmake")
set(components ${CPACK_COMPONENTS_ALL})
message(STATUS "install components packaged: ${components}")

include("${CMAKE_CURRENT_LIST_DIR}/../cmake/run_step.cmake")
function(deb_field deb field out)
  execute_process(COMMAND dpkg-deb --field "${deb}" ${field} OUTPUT_VARIABLE value
                  RESULT_VARIABLE status OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "dpkg-deb --field ${deb} ${field} failed")
  endif()
  set(${out} "${value}" PARENT_SCOPE)
endfunction()
function(expect_file path)
  if(NOT EXISTS "${path}")
    message(FATAL_ERROR "the packages do not install ${path}")
  endif()
endfunction()

run_step("${CMAKE_CPACK_COMMAND}" -G DEB -C "${CMAKE_BUILD_TYPE}" -B "${WORK_DIR}/packages"
         --config "${HIGHSEAS_BINARY_DIR}/CPackConfig.cmake")

file(GLOB dev_deb "${WORK_DIR}/packages/libhighseas-dev_*.deb")
file(GLOB cli_deb "${WORK_DIR}/packages/highseas_*.deb")
file(GLOB all_debs "${WORK_DIR}/packages/*.deb")
list(LENGTH dev_deb dev_count)
if(NOT dev_count EQUAL 1)
  message(FATAL_ERROR "expected one libhighseas-dev .deb, got: ${all_debs}")
endif()
list(LENGTH cli_deb cli_count)
if("cli" IN_LIST components AND NOT cli_count EQUAL 1)
  message(FATAL_ERROR "the CLI is installed (component cli) but there is no highseas .deb: ${all_debs}")
endif()

# The -dev package depends on the -dev packages of what its components link.
deb_field("${dev_deb}" Depends dev_depends)
message(STATUS "libhighseas-dev Depends: ${dev_depends}")
set(expected_depends libboost-date-time libutf8proc-dev)
if("sqlite" IN_LIST components)
  list(APPEND expected_depends libsqlite3-dev)
endif()
if("postgres" IN_LIST components)
  list(APPEND expected_depends libpq-dev)
endif()
if("testing" IN_LIST components)
  list(APPEND expected_depends libgtest-dev)
endif()
foreach(package IN LISTS expected_depends)
  string(FIND "${dev_depends}" "${package}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "libhighseas-dev must depend on ${package}; Depends: ${dev_depends}")
  endif()
endforeach()

# The consumers refuse a HighSeas found outside a path containing "/prefix/".
set(root "${WORK_DIR}/prefix")
foreach(deb IN LISTS all_debs)
  run_step(dpkg -x "${deb}" "${root}")
endforeach()
expect_file("${root}/usr/include/highseas/version.hpp")
expect_file("${root}/usr/include/highseas_inl/core/version-inl.hpp")
file(GLOB config "${root}/usr/lib/cmake/HighSeas/HighSeasConfig.cmake"
                 "${root}/usr/lib/*/cmake/HighSeas/HighSeasConfig.cmake")
if(NOT config)
  message(FATAL_ERROR "libhighseas-dev has no CMake package config")
endif()

if(cli_count EQUAL 1)
  deb_field("${cli_deb}" Depends cli_depends)
  message(STATUS "highseas Depends: ${cli_depends}")
  foreach(package IN ITEMS libc6 libstdc++6)
    string(FIND "${cli_depends}" "${package}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "highseas must depend on ${package}; Depends: ${cli_depends}")
    endif()
  endforeach()
  expect_file("${root}/usr/bin/highseas")
  run_step("${root}/usr/bin/highseas" --help)
endif()

run_step("${CMAKE_COMMAND}" "-DPREFIX=${root}/usr" "-DCOMPONENTS=${COMPONENTS}"
         "-DCONSUMER_SOURCE_DIR=${CONSUMER_SOURCE_DIR}" "-DWORK_DIR=${WORK_DIR}/consumers"
         "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}" "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
         "-DCXX_FLAGS=${CXX_FLAGS}" "-DEXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
         -P "${CONSUMER_SOURCE_DIR}/run.cmake")

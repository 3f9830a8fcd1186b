# Builds and runs the consumer projects (CMakeLists.txt beside this file)
# against an installed HighSeas, and nothing else.
#   -DHIGHSEAS_BINARY_DIR=<build>  install that build into WORK_DIR/prefix first
#   -DPREFIX=<dir>                 or use a tree installed already (the .deb test)
#   -DCOMPONENTS=<a,b,...>         the components the installed tree has
#   -DCONSUMER_SOURCE_DIR, -DWORK_DIR, -DCMAKE_BUILD_TYPE, -DCMAKE_CXX_COMPILER
#   -DCXX_FLAGS, -DEXE_LINKER_FLAGS  the library's own flags (e.g. sanitizers, -stdlib=libc++),
#                                    so the consumers link with its static libraries
#   -DCONFIG_CXX_FLAGS             the library's CMAKE_CXX_FLAGS_<CMAKE_BUILD_TYPE> (e.g. -O0 -g0)
#   -DCXX_STANDARDS=<20,23>        build the consumers with each C++ standard (CMAKE_CXX_STANDARD;
#                                  23 is -std=c++2b on GCC 12 and clang 14); default 20. After
#                                  the first, only header_only (every header and implementation)
#                                  and sqlite (its header) are built again: the rest adds nothing
# PREFIX must have a directory named "prefix" in its path: the consumers refuse
# a HighSeas found anywhere else (e.g. one installed on the machine).
cmake_minimum_required(VERSION 3.25)
if(NOT PREFIX)
  file(REMOVE_RECURSE "${WORK_DIR}")
  set(PREFIX "${WORK_DIR}/prefix")
endif()

include("${CMAKE_CURRENT_LIST_DIR}/../cmake/run_step.cmake")

if(HIGHSEAS_BINARY_DIR)
  run_step("${CMAKE_COMMAND}" --install "${HIGHSEAS_BINARY_DIR}" --prefix "${PREFIX}")
endif()

string(REPLACE "," ";" COMPONENTS "${COMPONENTS}")
if(NOT CXX_STANDARDS)
  set(CXX_STANDARDS 20)
endif()
string(REPLACE "," ";" CXX_STANDARDS "${CXX_STANDARDS}")
list(GET CXX_STANDARDS 0 first_standard)
set(consumers core header_only missing missing_required)
if("sqlite" IN_LIST COMPONENTS)
  list(APPEND consumers sqlite)
else()
  message(STATUS "HighSeas::sqlite not built: the sqlite consumer is skipped")
endif()

foreach(standard IN LISTS CXX_STANDARDS)
  foreach(consumer IN LISTS consumers)
    if(NOT standard STREQUAL first_standard AND NOT consumer MATCHES "^(header_only|sqlite)$")
      continue()
    endif()
    message(STATUS "== consumer: ${consumer}, C++${standard}")
    set(build "${WORK_DIR}/${consumer}-c++${standard}")
    file(REMOVE_RECURSE "${build}")
    set(configure "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}"
        "-DHIGHSEAS_CONSUMER=${consumer}" "-DCMAKE_PREFIX_PATH=${PREFIX}"
        "-DCMAKE_CXX_STANDARD=${standard}" -DCMAKE_CXX_STANDARD_REQUIRED=ON
        -DCMAKE_CXX_EXTENSIONS=OFF
        "-DCMAKE_PROJECT_TOP_LEVEL_INCLUDES=${CONSUMER_SOURCE_DIR}/record_lookups.cmake"
        "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}" "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
        "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
    if(DEFINED CONFIG_CXX_FLAGS AND CMAKE_BUILD_TYPE)
      string(TOUPPER "${CMAKE_BUILD_TYPE}" build_type)
      list(APPEND configure "-DCMAKE_CXX_FLAGS_${build_type}=${CONFIG_CXX_FLAGS}")
    endif()
    if(consumer STREQUAL "missing_required")
      execute_process(COMMAND ${configure} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
      string(FIND "${out}" "component 'nonesuch' is not part of this" at)
      if(status EQUAL 0 OR at EQUAL -1)
        message(FATAL_ERROR "REQUIRED COMPONENTS nonesuch must fail configure and name the "
                            "component (status ${status}):\n${out}")
      endif()
      continue()
    endif()
    run_step(${configure})
    if(consumer STREQUAL "missing")
      continue()
    endif()
    run_step("${CMAKE_COMMAND}" --build "${build}")
    run_step("${build}/consumer" "${build}/consumer.db")
  endforeach()
endforeach()

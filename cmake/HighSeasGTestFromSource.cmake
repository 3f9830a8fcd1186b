# GoogleTest compiled with this build's compiler and standard library, from the
# sources in HIGHSEAS_GTEST_SOURCE_DIR (Debian's libgtest-dev ships them in
# /usr/src/googletest). Every later find_package(GTest) finds these targets
# (GTest::gtest, GTest::gtest_main; HighSeas uses no GoogleMock) instead of an installed GTest.
#
# HighSeas::testing links this GTest, which is not installed, so such a build
# does not install HighSeas::testing (src/testing/CMakeLists.txt).
include(FetchContent)
if(NOT EXISTS "${HIGHSEAS_GTEST_SOURCE_DIR}/CMakeLists.txt")
  message(FATAL_ERROR "HighSeas: HIGHSEAS_GTEST_SOURCE_DIR=${HIGHSEAS_GTEST_SOURCE_DIR} holds no "
                      "GoogleTest sources (scripts/install-deps installs libgtest-dev)")
endif()
set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
set(gtest_force_shared_crt OFF CACHE BOOL "" FORCE)
FetchContent_Declare(GTest SOURCE_DIR "${HIGHSEAS_GTEST_SOURCE_DIR}" SYSTEM OVERRIDE_FIND_PACKAGE)
# Only what the tests link gets built; GoogleTest's own code is not ours to warn about.
set(_highseas_saved_compile_options "")
get_directory_property(_highseas_saved_compile_options COMPILE_OPTIONS)
set_directory_properties(PROPERTIES COMPILE_OPTIONS "")
FetchContent_MakeAvailable(GTest)
set_directory_properties(PROPERTIES COMPILE_OPTIONS "${_highseas_saved_compile_options}")

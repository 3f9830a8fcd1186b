# The CLI's tests. Included from examples/cli/CMakeLists.txt, not added by
# tests/CMakeLists.txt: the top-level project adds tests/ before examples/, so
# the CLI targets these tests link do not exist yet when tests/ is processed.
find_package(GTest REQUIRED)  # imported targets are directory-scoped: find again here
include(GoogleTest)
set(HIGHSEAS_CLI_TESTS "${PROJECT_SOURCE_DIR}/tests/cli")

highseas_test(cli_session_test SOURCES "${HIGHSEAS_CLI_TESTS}/cli_session_test.cpp"
              LIBRARIES highseas_cli_core LABELS cli)
target_compile_definitions(cli_session_test PRIVATE
  HIGHSEAS_TEST_DATA="${PROJECT_SOURCE_DIR}/tests/data")
highseas_test(demo_test SOURCES "${HIGHSEAS_CLI_TESTS}/demo_test.cpp"
              LIBRARIES highseas_cli_core LABELS cli)

# The real program over SQLite, driven like a user would, in a scratch directory.
if(TARGET highseas_cli)
  add_test(NAME cli_end_to_end
    COMMAND bash "${HIGHSEAS_CLI_TESTS}/end_to_end.sh" $<TARGET_FILE:highseas_cli>
            "${CMAKE_CURRENT_BINARY_DIR}/end_to_end" "${PROJECT_SOURCE_DIR}/tests/data")
  set_tests_properties(cli_end_to_end PROPERTIES LABELS "cli" TIMEOUT 120)
endif()

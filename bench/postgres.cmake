# PostgreSQL benchmarks: their own executable, since they need a server
# (run under scripts/with-postgres: HIGHSEAS_POSTGRES_URI).
#   scripts/with-postgres build/release/bench/highseas_postgres_bench
if(TARGET HighSeas::postgres)
  add_executable(highseas_postgres_bench ${CMAKE_CURRENT_LIST_DIR}/postgres_bench.cpp)
  target_link_libraries(highseas_postgres_bench PRIVATE HighSeas::postgres benchmark::benchmark)
endif()

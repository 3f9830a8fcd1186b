// The seeded simulation on SqliteStorage (a fresh file per run, synchronous =
// normal): HIGHSEAS_SIM_OPS operations, default 50 000 (a few seconds).
// Seeds start at 1001 so they differ from the memory runs.
//
// Replay one failing run:
//   HIGHSEAS_SIM_SEED=<seed> HIGHSEAS_SIM_OPS=<steps> build/dev/tests/sim/sim_sqlite_test
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <string>

#include "harness.hpp"

namespace highseas::sim {
namespace {

namespace fs = std::filesystem;

// A directory of its own, removed with everything in it at the end.
class ScratchDir {
 public:
  ScratchDir() : path_(fs::temp_directory_path() / ("highseas-sim-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(Simulation, SqliteStorageAgreesWithTheModel) {
  ScratchDir dir;
  int file = 0;
  const std::string failure = run_many(
      env_or("HIGHSEAS_SIM_OPS", 50'000), env_or("HIGHSEAS_SIM_FIRST_SEED", 1001),
      [&]() -> std::unique_ptr<Storage> {
        const fs::path path = dir.path() / ("run-" + std::to_string(file++) + ".db");
        return std::make_unique<SqliteStorage>(
            SqliteOptions{.path = path.string(), .synchronous = SqliteSynchronous::normal});
      },
      "sim_sqlite_test");
  EXPECT_TRUE(failure.empty()) << failure;
}

}  // namespace
}  // namespace highseas::sim

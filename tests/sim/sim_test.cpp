// The seeded simulation on MemoryStorage: many short runs, each from its own
// seed, together HIGHSEAS_SIM_OPS commands and queries (default one million:
// about 20 s of CPU in Debug, less under the asan preset, which builds -O1).
//
// Replay one failing run (the failure message prints this line):
//   HIGHSEAS_SIM_SEED=<seed> HIGHSEAS_SIM_OPS=<steps> build/dev/tests/sim/sim_test
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>

#include "harness.hpp"

namespace highseas::sim {
namespace {

TEST(Simulation, MemoryStorageAgreesWithTheModel) {
  const std::string failure = run_many(
      env_or("HIGHSEAS_SIM_OPS", 1'000'000), env_or("HIGHSEAS_SIM_FIRST_SEED", 1),
      [] { return std::make_unique<MemoryStorage>(); }, "sim_test");
  EXPECT_TRUE(failure.empty()) << failure;
}

}  // namespace
}  // namespace highseas::sim

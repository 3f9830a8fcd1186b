// The seeded simulation on MemoryStorage: many short runs, each from its own
// seed, together at least HIGHSEAS_SIM_OPS commands and queries (default one
// million; a quarter of that under a sanitizer, which is ~3x slower).
//
// Replay one failing run:
//   HIGHSEAS_SIM_SEED=<seed> HIGHSEAS_SIM_OPS=<step + 1> build/dev/tests/sim/sim_test
#include <gtest/gtest.h>

#include <highseas/highseas.hpp>

#include "harness.hpp"

namespace highseas::sim {
namespace {

// Runs `total` operations as runs of `steps` from consecutive seeds, each on a
// fresh storage made by `make_storage`; stops at the first failure.
template <class MakeStorage>
void run_many(std::uint64_t total, std::uint64_t first_seed, MakeStorage make_storage,
              const char* test_filter) {
  const std::uint64_t replay_seed = env_or("HIGHSEAS_SIM_SEED", 0);
  SimOptions options;
  options.snapshot_every = env_or("HIGHSEAS_SIM_SNAPSHOT_EVERY", options.snapshot_every);
  if (replay_seed != 0) {
    // Replay: one run of exactly HIGHSEAS_SIM_OPS steps from that seed.
    options.seed = replay_seed;
    options.steps = total;
    auto storage = make_storage();
    const std::string failure = run_simulation(*storage, options);
    EXPECT_TRUE(failure.empty()) << failure;
    return;
  }
  options.steps = env_or("HIGHSEAS_SIM_STEPS", options.steps);
  std::uint64_t done = 0;
  for (std::uint64_t seed = first_seed; done < total; ++seed) {
    options.seed = seed;
    auto storage = make_storage();
    const std::string failure = run_simulation(*storage, options);
    ASSERT_TRUE(failure.empty()) << failure << "\nreplay: HIGHSEAS_SIM_SEED=" << seed
                                 << " HIGHSEAS_SIM_OPS=" << options.steps << " <build>/tests/sim/"
                                 << test_filter;
    done += options.steps;
  }
  std::cout << "[ sim      ] " << done << " operations from seed " << first_seed << "\n";
}

TEST(Simulation, MemoryStorageAgreesWithTheModel) {
  const std::uint64_t fallback = under_sanitizer() ? 250'000 : 1'000'000;
  run_many(
      env_or("HIGHSEAS_SIM_OPS", fallback), env_or("HIGHSEAS_SIM_FIRST_SEED", 1),
      [] { return std::make_unique<MemoryStorage>(); }, "sim_test");
}

}  // namespace
}  // namespace highseas::sim

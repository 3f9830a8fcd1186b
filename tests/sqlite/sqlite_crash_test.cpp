// Crash safety: a child process runs a stream of claims, imports, releases,
// wins and sweeps against a file and is killed with SIGKILL at a random
// moment; the parent reopens the file, runs PRAGMA integrity_check and checks
// the pool's invariants, and that the work the child reported done survived.
// Many kill points, one growing file, so every recovery starts from the
// previous one. Each round counts as a kill mid-stream only if the child had
// completed at least one command and was still running; most rounds must
// also land after further commands, not right after the first.
//
// HIGHSEAS_CRASH_ROUNDS sets the number of kill points (default 50);
// HIGHSEAS_CRASH_SEED replays a run (the seed is printed on failure).
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_raw.hpp"
#include "temp_directory.hpp"

namespace highseas::test {
namespace {

constexpr std::uint32_t kCap = 4;
const UserId kBoss("boss");
const Time kEpoch = utc(2026, 1, 1);
const std::vector<UserId> kReps{UserId("r1"), UserId("r2"), UserId("r3"), UserId("r4")};

int env_or(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

// Shared by parent and child (an anonymous MAP_SHARED mapping survives fork):
// how many commands the child has completed this round.
struct Progress {
  std::atomic<int> completed{0};
  // The child's clock, in seconds after kEpoch, stored before each command:
  // the next round starts no earlier and the parent checks at it. A pool's
  // clock never runs backwards; under an earlier one, holdings that were
  // due (and freed their places under the cap) would count again.
  std::atomic<std::int64_t> clock_seconds{0};
  std::atomic<int> first_import{0};  // rows the round's first command imported
};
static_assert(std::atomic<int>::is_always_lock_free, "shared across processes");

// In the child: commands forever, until killed. Time moves forward by a few
// hours per step so holdings fall due and sweeps return them. The first
// command is always an import of five customers, so the parent can check
// that reported work survived the kill. After it returns the child writes one
// byte to `started`, so the parent kills a stream that has committed work,
// however slow the machine (sanitizers, a loaded CI host) makes opening the
// file; every completed command is counted in `progress`.
[[noreturn]] void run_stream(const std::string& path, int round, unsigned seed, int started,
                             Progress& progress) {
  try {
    SqliteOptions options{path};
    options.synchronous = round % 2 == 0 ? SqliteSynchronous::full : SqliteSynchronous::normal;
    SqliteStorage storage(options);
    ManualClock clock(std::max(kEpoch + days(60) * round,
                               kEpoch + seconds(static_cast<long>(progress.clock_seconds.load()))));
    PublicPool pool(PoolId("p"), storage, clock);
    std::minstd_rand random(seed);
    for (int step = 0;; ++step) {
      clock.advance(hours(static_cast<int>(random() % 12)));
      progress.clock_seconds.store((clock.now() - kEpoch).total_seconds());
      const UserId& rep = kReps[random() % kReps.size()];
      const CustomerId target("c" + std::to_string(random() % 60));
      switch (step == 0 ? 0 : random() % 8) {
        case 0: {
          std::vector<CustomerProfile> batch;
          for (int i = 0; i < 5; ++i) {
            const std::string id =
                "r" + std::to_string(round) + "-" + std::to_string(step) + "-" + std::to_string(i);
            // Letters between the numbers, so no two names share a name key.
            const std::string name = "Import r" + std::to_string(round) + "s" +
                                     std::to_string(step) + "n" + std::to_string(i);
            batch.push_back({CustomerId(id), name, "DE", "B", {"crash"}});
          }
          const auto report = pool.import_customers(kBoss, batch);
          if (step == 0 && report.ok()) {
            progress.first_import.store(static_cast<int>(report->imported.size()));
          }
          break;
        }
        case 1:
          (void)pool.sweep();
          break;
        case 2:
          (void)pool.release(kBoss, target);
          break;
        case 3:
          (void)pool.record_win(kBoss, target, WinKind::contract_signed);
          break;
        case 4:
          (void)pool.assign(kBoss, target, rep);
          break;
        default:
          (void)pool.claim(rep, target);
          break;
      }
      progress.completed.fetch_add(1);
      if (step == 0) {
        const char byte = 1;
        if (::write(started, &byte, 1) != 1) ::_exit(11);
        ::close(started);
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "crash stream: %s\n", error.what());
    ::_exit(10);
  }
}

TEST(SqliteCrashTest, SigkillAtRandomMomentsNeverBreaksThePool) {
  const int rounds = env_or("HIGHSEAS_CRASH_ROUNDS", 50);
  const auto seed = static_cast<unsigned>(
      env_or("HIGHSEAS_CRASH_SEED", static_cast<int>(std::random_device{}() % 1000000)));
  SCOPED_TRACE("replay with HIGHSEAS_CRASH_SEED=" + std::to_string(seed));
  std::minstd_rand random(seed);
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  {
    SqliteStorage storage(SqliteOptions{path});
    ManualClock clock(kEpoch);
    PublicPool pool(PoolId("p"), storage, clock);
    ClaimPolicy rules;
    rules.max_holdings = kCap;
    rules.default_rule.holding_period = days(2);
    rules.reclaim_cooldown = hours(6);
    rules.release_cooldown = hours(6);
    ASSERT_HIGHSEAS_OK(pool.create(kBoss, rules));
    for (const UserId& rep : kReps) {
      ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, rep, Role::pool_user));
    }
    std::vector<CustomerProfile> batch;
    for (int n = 0; n < 60; ++n) {
      batch.push_back(
          {CustomerId("c" + std::to_string(n)), "Base " + std::to_string(n), "BR", "A", {}});
    }
    ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch));
  }
  void* shared =
      ::mmap(nullptr, sizeof(Progress), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(shared, MAP_FAILED);
  auto* progress = new (shared) Progress;
  int killed_mid_stream = 0;  // after >= 1 completed command, before the child stopped
  int killed_later = 0;       // ... and after >= 2: the kill did not land right after the first
  for (int round = 1; round <= rounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const std::size_t customers_before = all_customer_ids(path, "p").size();
    progress->completed.store(0);
    progress->first_import.store(0);
    const unsigned child_seed = static_cast<unsigned>(random());
    const auto delay = std::chrono::microseconds(2000 + random() % 30000);
    int started[2];
    ASSERT_EQ(::pipe(started), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(started[0]);
      run_stream(path, round, child_seed, started[1], *progress);
    }
    ::close(started[1]);
    // Wait (up to 60 s) until the stream's first command has returned, then
    // let it run a random while longer before the kill.
    pollfd first_command{started[0], POLLIN, 0};
    const int ready = ::poll(&first_command, 1, 60'000);
    ::close(started[0]);
    if (ready != 1) ::kill(child, SIGKILL);
    ASSERT_EQ(ready, 1) << "the stream's first command did not return within 60 s";
    std::this_thread::sleep_for(delay);
    ::kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status))
        << "the stream stopped on its own (exit " << WEXITSTATUS(status) << ")";
    const int completed = progress->completed.load();
    if (completed >= 1) ++killed_mid_stream;
    if (completed >= 2) ++killed_later;

    ASSERT_EQ(integrity_check(path), "ok");
    // The round's first command, an import of five new customers, returned
    // before the kill: what it imported must have survived it.
    EXPECT_EQ(progress->first_import.load(), 5) << "the round's first import was refused";
    EXPECT_GE(all_customer_ids(path, "p").size(),
              customers_before + static_cast<std::size_t>(progress->first_import.load()))
        << "an import the child completed was lost";
    SqliteStorage storage(SqliteOptions{path});
    ManualClock clock(kEpoch + seconds(static_cast<long>(progress->clock_seconds.load())));
    PublicPool pool(PoolId("p"), storage, clock);
    EXPECT_TRUE(highseas::testing::pool_invariants_hold(pool, kBoss, all_customer_ids(path, "p"),
                                                        kReps, kCap));
    if (HasFailure()) break;
  }
  ::munmap(shared, sizeof(Progress));
  EXPECT_EQ(killed_mid_stream, rounds);
  EXPECT_GE(killed_later * 2, rounds)
      << killed_later << " of " << rounds << " kills landed after more than the first command";
}

}  // namespace
}  // namespace highseas::test

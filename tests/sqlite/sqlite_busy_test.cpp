// Busy handling: writers in several processes share one file and no
// SQLITE_BUSY ever reaches a caller; a lock held past the busy timeout
// surfaces as RetryableStorageError (which PublicPool retries).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sqlite_raw.hpp"
#include "temp_directory.hpp"

namespace highseas::test {
namespace {

constexpr int kCustomers = 40;
const UserId kBoss("boss");

CustomerId customer(int n) { return CustomerId("c" + std::to_string(n)); }

void create_pool(const std::string& path, const std::vector<UserId>& reps) {
  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock(utc(2026, 1, 1));
  PublicPool pool(PoolId("p"), storage, clock);
  ClaimPolicy rules;
  rules.max_holdings = 5;
  rules.reclaim_cooldown = Duration(0, 0, 0);
  rules.release_cooldown = Duration(0, 0, 0);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss, rules));
  for (const UserId& rep : reps) ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, rep, Role::pool_user));
  std::vector<CustomerProfile> batch;
  for (int n = 0; n < kCustomers; ++n) {
    batch.push_back({customer(n), "Customer " + std::to_string(n), "DE", "A", {}});
  }
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch));
}

// In a child process: claims and releases random customers as `rep`; writes
// the number of successful commands to `out`. Exit 0, or 10 if anything threw.
[[noreturn]] void fight(const std::string& path, const UserId& rep, int seed, int out) {
  int done = 0;
  try {
    SqliteOptions options{path};
    options.synchronous = SqliteSynchronous::normal;
    options.busy_timeout = std::chrono::milliseconds(20);  // short: force the retry path
    SqliteStorage storage(options);
    ManualClock clock(utc(2026, 1, 2));
    PublicPool pool(PoolId("p"), storage, clock);
    std::minstd_rand random(static_cast<unsigned>(seed));
    for (int i = 0; i < 150; ++i) {
      const CustomerId target = customer(static_cast<int>(random() % kCustomers));
      if (pool.claim(rep, target).ok()) ++done;
      if (random() % 2 == 0) {
        auto held = pool.holdings(rep, rep);
        if (held.ok() && !held->empty() && pool.release(rep, held->front().profile.id).ok()) {
          ++done;
        }
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: %s\n", rep.str().c_str(), error.what());
    ::_exit(10);
  }
  if (::write(out, &done, sizeof done) != sizeof done) ::_exit(11);
  ::_exit(0);
}

TEST(SqliteBusyTest, ProcessesWritingOneFileNeverSeeBusy) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  const std::vector<UserId> reps{UserId("rep-a"), UserId("rep-b"), UserId("rep-c")};
  create_pool(path, reps);
  int pipe_ends[2];
  ASSERT_EQ(::pipe(pipe_ends), 0);
  std::vector<pid_t> children;
  for (std::size_t i = 0; i < reps.size(); ++i) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) fight(path, reps[i], static_cast<int>(i) + 1, pipe_ends[1]);
    children.push_back(child);
  }
  ::close(pipe_ends[1]);
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a writer saw an error (10) or could not report (11)";
  }
  int successes = 0;
  int done = 0;
  while (::read(pipe_ends[0], &done, sizeof done) == sizeof done) successes += done;
  ::close(pipe_ends[0]);
  EXPECT_GT(successes, 0);

  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock(utc(2026, 1, 2));
  PublicPool pool(PoolId("p"), storage, clock);
  std::vector<CustomerId> ids;
  std::size_t entries = 0;
  for (int n = 0; n < kCustomers; ++n) {
    ids.push_back(customer(n));
    entries += pool.history(kBoss, customer(n))->size() - 1;  // minus the import
  }
  // Every success committed exactly one history entry; nothing else did.
  EXPECT_EQ(entries, static_cast<std::size_t>(successes));
  EXPECT_TRUE(highseas::testing::pool_invariants_hold(pool, kBoss, ids, reps, 5));
}

TEST(SqliteBusyTest, ALockHeldPastTheTimeoutIsRetryableAndPublicPoolWaitsItOut) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  create_pool(path, {UserId("rep")});
  sqlite3* other = nullptr;  // another application holding the write lock
  ASSERT_EQ(sqlite3_open(path.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);

  SqliteOptions options{path};
  options.busy_timeout = std::chrono::milliseconds(30);
  SqliteStorage storage(options);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_THROW((void)storage.begin(PoolId("p"), TransactionMode::read_write),
               RetryableStorageError);
  EXPECT_GE(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(25));
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_TRUE(storage.begin(PoolId("p"), TransactionMode::read_only)->find_pool().has_value());

  std::thread unlock([other] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    sqlite3_exec(other, "COMMIT", nullptr, nullptr, nullptr);
  });
  ManualClock clock(utc(2026, 1, 2));
  PublicPool pool(PoolId("p"), storage, clock);
  EXPECT_HIGHSEAS_OK(pool.claim(UserId("rep"), customer(1)));  // retried until the lock went
  unlock.join();
  sqlite3_close(other);
}

}  // namespace
}  // namespace highseas::test

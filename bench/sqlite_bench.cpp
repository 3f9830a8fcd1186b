// PublicPool on SqliteStorage: claim transactions per second with synchronous
// FULL and NORMAL, and a sweep of 10k due holdings out of 1M, read as a ratio
// to the scan-style job over the same customers (scan_bench.cpp).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

const Time kStart = utc(2026, 1, 1);

// A pool in a fresh SQLite file in the temp directory, removed at exit.
struct SqliteFixture {
  SqliteFixture(std::int64_t customers, bool full)
      : path(std::filesystem::temp_directory_path() /
             ("highseas_bench_" + std::to_string(::getpid()) + "_" + std::to_string(customers) +
              (full ? "_full" : "_normal") + ".db")),
        storage(make_storage(path, full)) {
    ClaimPolicy policy;
    policy.max_holdings = ClaimPolicy::kLargestCount;
    policy.reclaim_cooldown = Duration(0, 0, 0);
    expect(pool.create(boss, policy), "create");
    for (std::int64_t user = 0; user < 32; ++user) {
      expect(pool.set_member(boss, user_id(user), Role::pool_user), "member");
    }
  }
  SqliteFixture(const SqliteFixture&) = delete;
  SqliteFixture& operator=(const SqliteFixture&) = delete;
  ~SqliteFixture() {
    storage.reset();
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix, ignored);
    }
  }

  static std::unique_ptr<SqliteStorage> make_storage(const std::filesystem::path& path, bool full) {
    std::filesystem::remove(path);
    return std::make_unique<SqliteStorage>(
        SqliteOptions{.path = path.string(),
                      .synchronous = full ? SqliteSynchronous::full : SqliteSynchronous::normal});
  }

  // Writes `count` customers straight through one storage transaction, as a
  // host's existing data would be: the first `held` of them held since kStart
  // (the first `due` of those due at kStart + period), the rest available.
  void load(std::int64_t count, std::int64_t held, std::int64_t due, Duration period) {
    auto tx = storage->begin(pool.id(), TransactionMode::read_write);
    for (std::int64_t i = 0; i < count; ++i) {
      std::string name = "Customer ";
      name += std::to_string(i);
      const CustomerProfile profile{customer_id(i), name, "DE", "A", {}};
      tx->insert_customer(profile, name_key(name), held_record(i, held, due, period));
    }
    tx->commit();
  }

  // Holds the first `due` customers again, due at kStart + period, untimed set-up.
  void hold_again(std::int64_t due, Duration period) {
    auto tx = storage->begin(pool.id(), TransactionMode::read_write);
    for (std::int64_t i = 0; i < due; ++i) {
      tx->update_customer(customer_id(i), held_record(i, due, due, period));
    }
    tx->commit();
  }

  static CustomerRecord held_record(std::int64_t i, std::int64_t held, std::int64_t due,
                                    Duration period) {
    CustomerRecord record;
    record.since = kStart;
    if (i < held) {
      record.state = CustomerState::held;
      record.holder = user_id(i % 32);
      record.since = i < due ? kStart : kStart + hours(1);
      record.deadline = record.since + period;
    }
    return record;
  }

  std::filesystem::path path;
  std::unique_ptr<SqliteStorage> storage;
  ManualClock clock{kStart};
  PublicPool pool{PoolId("bench"), *storage, clock};
  UserId boss{"boss"};
};

SqliteFixture& sqlite_fixture(std::int64_t customers, bool full, std::int64_t held,
                              std::int64_t due) {
  static std::mutex mutex;
  static std::map<std::tuple<std::int64_t, bool, std::int64_t>, std::unique_ptr<SqliteFixture>>
      made;
  const std::lock_guard lock(mutex);
  auto& fixture = made[{customers, full, due}];
  if (!fixture) {
    fixture = std::make_unique<SqliteFixture>(customers, full);
    fixture->load(customers, held, due, ClaimPolicy{}.holding_period);
  }
  return *fixture;
}

// One claim and its release, each its own transaction (BEGIN IMMEDIATE ... COMMIT).
void BM_SqliteClaimRelease(benchmark::State& state) {
  const bool full = state.range(1) != 0;
  SqliteFixture& fixture = sqlite_fixture(state.range(0), full, 0, 0);
  const UserId user = user_id(1);
  std::int64_t next = 0;
  for (auto _ : state) {
    const CustomerId id = customer_id(next);
    if (!fixture.pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!fixture.pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == state.range(0)) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["transactions_per_second"] = benchmark::Counter(
      2.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// sweep() returning `due` holdings out of n held, against the scan-style job.
void BM_SqliteSweep(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::int64_t due = n * state.range(1) / 1000;
  SqliteFixture& fixture = sqlite_fixture(n, false, n, due);
  const Duration period = ClaimPolicy{}.holding_period;
  double swept_ns = 0;
  for (auto _ : state) {
    fixture.clock.set(kStart + period);
    const auto start = std::chrono::steady_clock::now();
    const Result<SweepReport> report = fixture.pool.sweep();
    swept_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    state.PauseTiming();
    if (!report || static_cast<std::int64_t>(report->returned.size()) != due) {
      state.SkipWithError("sweep returned the wrong holdings");
      break;
    }
    fixture.hold_again(due, period);
    state.ResumeTiming();
  }
  const double per_sweep = swept_ns / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * due);
  state.counters["ns_per_sweep"] = per_sweep;
  if (due > 0) state.counters["ns_per_returned"] = per_sweep / static_cast<double>(due);
  if (const double scan = scan_sweep_ns(n, due); scan > 0) {
    state.counters["scan_ns"] = scan;
    state.counters["x_faster_than_scan"] = scan / per_sweep;
  }
}

}  // namespace

void register_sqlite_benchmarks() {
  const std::int64_t claims = size(10'000, 200);
  benchmark::RegisterBenchmark("BM_SqliteClaimRelease", BM_SqliteClaimRelease)
      ->ArgNames({"customers", "full"})
      ->Args({claims, 0})
      ->Args({claims, 1})
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_SqliteSweep", BM_SqliteSweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({size(1'000'000, 2'000), 0})
      ->Args({size(1'000'000, 2'000), 10})
      ->Iterations(smoke() ? 1 : 3)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace highseas::bench

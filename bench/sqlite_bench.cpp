// PublicPool on SqliteStorage: claim transactions per second with synchronous
// FULL and NORMAL, and sweeps of none or 10k due holdings out of 1M customers
// with a quarter of history, read as ratios to the scan-style jobs over the
// same customers (scan_bench.cpp); the sweep with reminders armed and nothing
// due, and per reminder sent.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
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

using Clock = std::chrono::steady_clock;

double nanoseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

// Bytes this process has handed to write(2) and pwrite(2) so far (Linux's
// /proc/self/io `wchar`; 0 where there is none). Unlike a disk's time, the
// bytes a sweep writes to the WAL do not vary from run to run, so they show
// what makes a FULL sweep's fsyncs longer or shorter.
double bytes_written_so_far() {
  std::ifstream io("/proc/self/io");
  std::string key;
  double value = 0;
  while (io >> key >> value) {
    if (key == "wchar:") return value;
  }
  return 0;
}

const Time kStart = utc(2026, 1, 1);
constexpr std::int64_t kHolders = 32;

std::string bench_path(const std::string& what) {
  return (std::filesystem::temp_directory_path() /
          ("highseas_bench_" + std::to_string(::getpid()) + "_" + what + ".db"))
      .string();
}

void remove_database(const std::string& path) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ignored);
}

ClaimPolicy bench_policy() {
  ClaimPolicy policy;
  policy.max_holdings = ClaimPolicy::kLargestCount;
  policy.reclaim_cooldown = Duration(0, 0, 0);
  policy.release_cooldown = Duration(0, 0, 0);
  return policy;
}

// A pool in a SQLite file in the temp directory, removed at exit. The file can
// be reopened with another synchronous setting (a per-connection setting).
struct SqlitePool {
  explicit SqlitePool(std::string file) : path(std::move(file)) { remove_database(path); }
  SqlitePool(const SqlitePool&) = delete;
  SqlitePool& operator=(const SqlitePool&) = delete;
  ~SqlitePool() {
    close();
    remove_database(path);
  }

  void open(bool full) {
    close();
    storage = std::make_unique<SqliteStorage>(SqliteOptions{
        .path = path, .synchronous = full ? SqliteSynchronous::full : SqliteSynchronous::normal});
    pool = std::make_unique<PublicPool>(PoolId("bench"), *storage, clock);
    is_full = full;
  }
  void close() {
    pool.reset();
    storage.reset();
  }
  // Creates the pool, the boss and the users u000..u031.
  void create(const ClaimPolicy& policy = bench_policy()) {
    expect(pool->create(boss, policy), "create");
    for (std::int64_t user = 0; user < kHolders; ++user) {
      expect(pool->set_member(boss, user_id(user), Role::pool_user), "member");
    }
  }

  std::string path;
  ManualClock clock{kStart};
  std::unique_ptr<SqliteStorage> storage;
  std::unique_ptr<PublicPool> pool;
  bool is_full = false;
  UserId boss{"boss"};
};

// The claim fixture: `customers` available customers, written straight through
// one storage transaction as a host's existing data would be.
SqlitePool& claim_fixture(std::int64_t customers, bool full) {
  static std::mutex mutex;
  static std::map<std::pair<std::int64_t, bool>, std::unique_ptr<SqlitePool>> made;
  const std::lock_guard lock(mutex);
  auto& fixture = made[{customers, full}];
  if (!fixture) {
    fixture = std::make_unique<SqlitePool>(
        bench_path(std::to_string(customers) + (full ? "_claims_full" : "_claims_normal")));
    fixture->open(full);
    fixture->create();
    auto tx = fixture->storage->begin(PoolId("bench"), TransactionMode::read_write);
    CustomerRecord available;
    available.since = kStart;
    for (std::int64_t i = 0; i < customers; ++i) {
      const CustomerProfile profile{
          customer_id(i), company_name(i), i % 4 == 3 ? "CN" : "DE", "A", {}};
      tx->insert_customer(profile, name_key(profile.name), available);
    }
    tx->commit();
  }
  return *fixture;
}

// The sweep fixture: n customers that have lived a quarter in the pool. The
// quarter is played through PublicPool on a MemoryStorage, every command by the
// engine (so the rows are what the engine writes), then copied into the SQLite
// file through storage transactions of 10k customers. Per customer, 90 days
// before kStart: imported; claimed by one user; two follow-ups; returned by a
// sweep when the holding ran out; claimed by another user; a follow-up;
// released; then claimed again, at kStart for the first `due` customers and an
// hour later for the rest, which is the holding the benchmark sweeps. That is
// 9 history rows per customer.
struct SweepFixture {
  explicit SweepFixture(std::int64_t customers, std::int64_t due_count)
      : file(bench_path(std::to_string(customers) + "_sweep")), n(customers), due(due_count) {
    const auto start = Clock::now();
    file.open(false);
    file.create();
    live_a_quarter();
    load_seconds = nanoseconds_since(start) / 1e9;
  }

  void live_a_quarter() {
    MemoryStorage memory;
    ManualClock clock(kStart - days(90));
    PublicPool pool(PoolId("bench"), memory, clock);
    expect(pool.create(file.boss, bench_policy()), "create");
    for (std::int64_t user = 0; user < kHolders; ++user) {
      expect(pool.set_member(file.boss, user_id(user), Role::pool_user), "member");
    }
    const Time quarter = kStart - days(90);
    constexpr std::int64_t kBatch = 10'000;
    std::vector<CustomerProfile> batch;
    for (std::int64_t first = 0; first < n; first += kBatch) {
      batch.clear();
      for (std::int64_t i = first; i < std::min(n, first + kBatch); ++i) {
        batch.push_back({customer_id(i), company_name(i), i % 4 == 3 ? "CN" : "DE", "A", {}});
      }
      const ImportReport& report = expect(pool.import_customers(file.boss, batch), "import");
      if (!report.problems.empty()) throw std::runtime_error("import: rows refused");
    }
    auto first_holder = [](std::int64_t i) { return user_id(i % kHolders); };
    auto second_holder = [](std::int64_t i) { return user_id((i + 1) % kHolders); };
    auto each = [&](Time at, auto&& command) {
      clock.set(at);
      for (std::int64_t i = 0; i < n; ++i) command(i, customer_id(i));
    };
    each(quarter + hours(1), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.claim(first_holder(i), id), "claim");
    });
    each(quarter + days(10), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.follow_up(first_holder(i), id, "Called the buyer; catalogue sent"), "follow-up");
    });
    each(quarter + days(20), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.follow_up(first_holder(i), id, "Quoted FOB Ningbo, waiting for samples"),
             "follow-up");
    });
    // Claimed an hour into the quarter's first day: 30 days end when its 30th day after does.
    clock.set(quarter + days(1) + ClaimPolicy{}.default_rule.holding_period.length());
    const SweepReport& swept = expect(pool.sweep(), "sweep");
    if (static_cast<std::int64_t>(swept.returned.size()) != n) {
      throw std::runtime_error("quarter: the first holdings did not all run out");
    }
    each(quarter + days(35), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.claim(second_holder(i), id), "claim");
    });
    each(quarter + days(45), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.follow_up(second_holder(i), id, "Visited the factory"), "follow-up");
    });
    each(quarter + days(50), [&](std::int64_t i, const CustomerId& id) {
      expect(pool.release(second_holder(i), id), "release");
    });
    for (std::int64_t i = 0; i < n; ++i) {
      clock.set(i < due ? kStart : kStart + hours(1));
      expect(pool.claim(first_holder(i), customer_id(i)), "claim");
    }
    const auto copy_start = Clock::now();
    copy_into_sqlite(memory);
    copy_seconds = nanoseconds_since(copy_start) / 1e9;
  }

  void copy_into_sqlite(MemoryStorage& memory) {
    auto from = memory.begin(PoolId("bench"), TransactionMode::read_only);
    constexpr std::int64_t kBatch = 10'000;
    for (std::int64_t first = 0; first < n; first += kBatch) {
      auto to = file.storage->begin(PoolId("bench"), TransactionMode::read_write);
      for (std::int64_t i = first; i < std::min(n, first + kBatch); ++i) {
        const CustomerId id = customer_id(i);
        const CustomerProfile profile = from->find_profile(id).value();
        const CustomerRecord record = from->find_customer(id).value();
        to->insert_customer(profile, name_key(profile.name), record);
        for (const HistoryEntry& entry : from->list_history(id)) {
          to->append_history(id, entry);
          ++history_rows;
        }
        if (i < due) due_records.push_back(record);
      }
      to->commit();
    }
  }

  // Holds the due customers again exactly as before the sweep (untimed set-up).
  void hold_again() {
    auto tx = file.storage->begin(PoolId("bench"), TransactionMode::read_write);
    for (std::int64_t i = 0; i < due; ++i) {
      tx->update_customer(customer_id(i), due_records[static_cast<std::size_t>(i)]);
    }
    tx->commit();
  }

  SqlitePool file;
  std::int64_t n;
  std::int64_t due;
  std::vector<CustomerRecord> due_records;
  std::int64_t history_rows = 0;
  double load_seconds = 0;  // all of the set-up
  double copy_seconds = 0;  // of which copying into SQLite
};

SweepFixture& sweep_fixture(std::int64_t customers, std::int64_t due) {
  static std::mutex mutex;
  static std::map<std::pair<std::int64_t, std::int64_t>, std::unique_ptr<SweepFixture>> made;
  const std::lock_guard lock(mutex);
  auto& fixture = made[{customers, due}];
  if (!fixture) fixture = std::make_unique<SweepFixture>(customers, due);
  return *fixture;
}

// The reminder fixture: n customers, every one held in the reminder layout
// (hold_in_reminder_layout, by u000..u031, the batch the first `batch` of a
// fixed shuffle, so spread over the file) under bench_policy() with
// escalating_reminders() added, or without (`armed` false). Played through
// PublicPool on a MemoryStorage (every row is what the engine writes: the
// customer's record, its import and its claim), then copied into the SQLite
// file through storage transactions of 10k customers, as the sweep fixture is.
struct ReminderFixture {
  ReminderFixture(std::int64_t customers, bool armed, std::int64_t batch_size)
      : file(bench_path(std::to_string(customers) + (armed ? "_reminders" : "_no_reminders"))),
        n(customers) {
    const auto start = Clock::now();
    ClaimPolicy policy = bench_policy();
    if (armed) policy.default_rule.reminders = escalating_reminders();
    file.open(false);
    file.create(policy);
    MemoryStorage memory;
    ManualClock clock(kStart);
    PublicPool pool(PoolId("bench"), memory, clock);
    expect(pool.create(file.boss, policy), "create");
    for (std::int64_t user = 0; user < kHolders; ++user) {
      expect(pool.set_member(file.boss, user_id(user), Role::pool_user), "member");
    }
    constexpr std::int64_t kBatch = 10'000;
    std::vector<CustomerProfile> profiles;
    for (std::int64_t first = 0; first < n; first += kBatch) {
      profiles.clear();
      for (std::int64_t i = first; i < std::min(n, first + kBatch); ++i) {
        profiles.push_back({customer_id(i), company_name(i), i % 4 == 3 ? "CN" : "DE", "A", {}});
      }
      const ImportReport& report = expect(pool.import_customers(file.boss, profiles), "import");
      if (!report.problems.empty()) throw std::runtime_error("import: rows refused");
    }
    const std::vector<std::int64_t> order = shuffled(n, 0x52656D696E646572ULL);
    quiet = hold_in_reminder_layout(pool, clock, order, batch_size, kHolders, kStart);
    for (std::int64_t k = 0; k < batch_size; ++k) {
      batch.push_back(customer_id(order[static_cast<std::size_t>(k)]));
    }
    const auto copy_start = Clock::now();
    auto from = memory.begin(PoolId("bench"), TransactionMode::read_only);
    for (std::int64_t first = 0; first < n; first += kBatch) {
      auto to = file.storage->begin(PoolId("bench"), TransactionMode::read_write);
      for (std::int64_t i = first; i < std::min(n, first + kBatch); ++i) {
        const CustomerId id = customer_id(i);
        const CustomerProfile profile = from->find_profile(id).value();
        to->insert_customer(profile, name_key(profile.name), from->find_customer(id).value());
        for (const HistoryEntry& entry : from->list_history(id)) {
          to->append_history(id, entry);
          ++history_rows;
        }
      }
      to->commit();
    }
    copy_seconds = nanoseconds_since(copy_start) / 1e9;
    load_seconds = nanoseconds_since(start) / 1e9;
  }

  // Returns when the batch's next reminder falls due, as its record says.
  Time batch_reminder_due() {
    auto tx = file.storage->begin(PoolId("bench"), TransactionMode::read_only);
    return tx->find_customer(batch.front()).value().reminder_due;
  }
  // Keeps the batch's records as they are now, so restore_batch() can arm
  // them again.
  void save_batch() {
    auto tx = file.storage->begin(PoolId("bench"), TransactionMode::read_only);
    saved.clear();
    for (const CustomerId& id : batch) saved.push_back(tx->find_customer(id).value());
  }
  // Writes the saved records back in one transaction (untimed set-up): the
  // batch is armed again as the library armed it; the history keeps the
  // reminders the sweeps recorded.
  void restore_batch() {
    auto tx = file.storage->begin(PoolId("bench"), TransactionMode::read_write);
    for (std::size_t k = 0; k < batch.size(); ++k) tx->update_customer(batch[k], saved[k]);
    tx->commit();
  }

  SqlitePool file;
  std::int64_t n;
  Time quiet;  // after the claims, before any return or reminder
  std::vector<CustomerId> batch;
  std::vector<CustomerRecord> saved;
  std::int64_t history_rows = 0;
  double load_seconds = 0;  // all of the set-up
  double copy_seconds = 0;  // of which copying into SQLite
};

ReminderFixture& reminder_fixture(std::int64_t customers, bool armed) {
  static std::mutex mutex;
  static std::map<std::pair<std::int64_t, bool>, std::unique_ptr<ReminderFixture>> made;
  const std::lock_guard lock(mutex);
  auto& fixture = made[{customers, armed}];
  if (!fixture) {
    fixture = std::make_unique<ReminderFixture>(
        customers, armed, size(static_cast<std::int64_t>(PublicPool::kSweepBatch), 64));
  }
  return *fixture;
}

// Claim + release pairs, each command its own transaction (BEGIN IMMEDIATE ...
// COMMIT), by one user over the customers in turn. claims_per_second counts
// the claims alone: claims over the time spent inside claim(), the releases'
// time left out; items per second are the pairs. With daily_limit 1 the pool
// has a daily limit of 1 000 000 overall and for level A, so every claim also
// reads the customer's level and reads and writes the claimer's tally, and
// none is refused.
void BM_SqliteClaimRelease(benchmark::State& state) {
  const bool full = state.range(1) != 0;
  SqlitePool& fixture = claim_fixture(state.range(0), full);
  const UserId user = user_id(1);
  const UserId& boss = fixture.boss;
  const ClaimPolicy unlimited = expect(fixture.pool->info(boss), "info").policy;
  if (state.range(2) != 0) {
    ClaimPolicy limited = unlimited;
    limited.daily_limit =
        DailyLimit{ClaimPolicy::kLargestCount, {{"A", ClaimPolicy::kLargestCount}}, false};
    expect(fixture.pool->set_policy(boss, limited), "set_policy");
  }
  std::vector<CustomerId> ids;
  for (std::int64_t i = 0; i < state.range(0); ++i) ids.push_back(customer_id(i));
  std::size_t next = 0;
  double claiming_ns = 0;
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    const auto start = Clock::now();
    const bool claimed = static_cast<bool>(fixture.pool->claim(user, id));
    claiming_ns += nanoseconds_since(start);
    if (!claimed) state.SkipWithError("claim refused");
    if (!fixture.pool->release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  if (state.range(2) != 0) expect(fixture.pool->set_policy(boss, unlimited), "set_policy");
  state.SetItemsProcessed(state.iterations());
  if (claiming_ns > 0) {
    state.counters["claims_per_second"] =
        static_cast<double>(state.iterations()) * 1e9 / claiming_ns;
  }
}

// sweep() on the quarter-old pool: none due (just before the first deadline)
// or `due` of n due, with synchronous NORMAL or FULL. One sweep before the
// timed ones warms the page cache and is not counted; after every sweep the
// returned holdings are put back, untimed.
void BM_SqliteSweep(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::int64_t due = n * state.range(1) / 1000;
  const bool full = state.range(2) != 0;
  SweepFixture& fixture = sweep_fixture(n, n / 100);
  if (fixture.file.is_full != full) fixture.file.open(full);
  const Duration period = ClaimPolicy{}.default_rule.holding_period.length();
  // The first `fixture.due` holdings (claimed at midnight, kStart) end at
  // kStart + period; the rest, claimed an hour later, at the end of that day.
  const Time now = due == 0 ? kStart + period - minutes(1) : kStart + period;
  if (due != 0 && due != fixture.due) throw std::logic_error("sqlite sweep: due set");
  auto sweep = [&] {
    fixture.file.clock.set(now);
    return fixture.file.pool->sweep();
  };
  if (const auto warm = sweep(); !warm || static_cast<std::int64_t>(warm->returned.size()) != due) {
    state.SkipWithError("warm-up sweep returned the wrong holdings");
  }
  if (due > 0) fixture.hold_again();
  double swept_ns = 0;
  double written_bytes = 0;
  for (auto _ : state) {
    const double written_before = bytes_written_so_far();
    const auto start = Clock::now();
    const Result<SweepReport> report = sweep();
    swept_ns += nanoseconds_since(start);
    written_bytes += bytes_written_so_far() - written_before;
    state.PauseTiming();
    if (!report || static_cast<std::int64_t>(report->returned.size()) != due) {
      state.SkipWithError("sweep returned the wrong holdings");
      break;
    }
    if (due > 0) fixture.hold_again();
    state.ResumeTiming();
  }
  const double per_sweep = swept_ns / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * due);
  state.counters["ns_per_sweep"] = per_sweep;
  const double written_per_sweep = written_bytes / static_cast<double>(state.iterations());
  state.counters["bytes_written_per_sweep"] = written_per_sweep;
  if (due > 0) {
    state.counters["ns_per_returned"] = per_sweep / static_cast<double>(due);
    state.counters["bytes_written_per_returned"] = written_per_sweep / static_cast<double>(due);
  }
  state.counters["history_rows"] = static_cast<double>(fixture.history_rows);
  state.counters["fixture_seconds"] = fixture.load_seconds;
  state.counters["fixture_copy_seconds"] = fixture.copy_seconds;
  report_scan_ratios(state, n, due, per_sweep);
}

// sweep() with nothing due on the reminder fixture, NORMAL or FULL:
// `reminders` 0 without reminders in the policy (the return sweep alone), 1
// with every holding armed; either way one transaction that reads the pool
// and probes holdings_by_deadline and holdings_by_reminder once. One untimed
// sweep first warms the page cache; then wall time per sweep.
void BM_SqliteReminderSweep(benchmark::State& state) {
  const bool armed = state.range(1) != 0;
  const bool full = state.range(2) != 0;
  ReminderFixture& fixture = reminder_fixture(state.range(0), armed);
  if (fixture.file.is_full != full) fixture.file.open(full);
  fixture.file.clock.set(fixture.quiet);
  auto quiet_sweep = [&] {
    const Result<SweepReport> report = fixture.file.pool->sweep();
    return report && report->returned.empty() && report->reminded.empty();
  };
  if (!quiet_sweep()) state.SkipWithError("warm-up sweep found something due");
  const auto start = Clock::now();
  for (auto _ : state) {
    if (!quiet_sweep()) {
      state.SkipWithError("sweep found something due");
      break;
    }
  }
  state.counters["ns_per_sweep"] =
      nanoseconds_since(start) / static_cast<double>(state.iterations());
  state.counters["history_rows"] = static_cast<double>(fixture.history_rows);
  state.counters["fixture_seconds"] = fixture.load_seconds;
  state.counters["fixture_copy_seconds"] = fixture.copy_seconds;
}

// One sweep that sends the 7-day reminder (audience: the holder) to each of
// the 512 holdings of the reminder fixture's batch, NORMAL or FULL: one full
// sweep batch, one transaction with an UPDATE of the record and a history row
// per reminder (and a second transaction that finds nothing more). After each
// sweep the batch's records are written back as they were (untimed, paused),
// so every sweep sends the same reminders. Wall time per reminder.
void BM_SqliteRemindersSent(benchmark::State& state) {
  const bool full = state.range(1) != 0;
  ReminderFixture& fixture = reminder_fixture(state.range(0), true);
  if (fixture.file.is_full != full) fixture.file.open(full);
  // The batch as the claims armed it: an earlier run's restore_batch() put
  // it back so, and nothing else sweeps at or after its reminder.
  fixture.save_batch();
  const auto batch = static_cast<std::int64_t>(fixture.batch.size());
  fixture.file.clock.set(fixture.batch_reminder_due());
  auto sweep_sends_batch = [&] {
    const Result<SweepReport> report = fixture.file.pool->sweep();
    return report && report->returned.empty() &&
           static_cast<std::int64_t>(report->reminded.size()) == batch;
  };
  if (!sweep_sends_batch()) state.SkipWithError("warm-up sweep did not remind the batch");
  fixture.restore_batch();
  std::int64_t sent = 0;
  double swept_ns = 0;
  double written_bytes = 0;
  for (auto _ : state) {
    const double written_before = bytes_written_so_far();
    const auto start = Clock::now();
    const bool reminded = sweep_sends_batch();
    swept_ns += nanoseconds_since(start);
    written_bytes += bytes_written_so_far() - written_before;
    state.PauseTiming();
    if (!reminded) {
      state.SkipWithError("sweep did not remind the batch");
      break;
    }
    sent += batch;
    fixture.restore_batch();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(sent);
  if (sent > 0) {
    state.counters["ns_per_reminder"] = swept_ns / static_cast<double>(sent);
    state.counters["bytes_written_per_reminder"] = written_bytes / static_cast<double>(sent);
  }
  state.counters["reminders_per_sweep"] = static_cast<double>(batch);
  state.counters["fixture_seconds"] = fixture.load_seconds;
}

}  // namespace

void register_sqlite_benchmarks() {
  const std::int64_t claims = size(10'000, 200);
  benchmark::RegisterBenchmark("BM_SqliteClaimRelease", BM_SqliteClaimRelease)
      ->ArgNames({"customers", "full", "daily_limit"})
      ->Args({claims, 0, 0})
      ->Args({claims, 0, 1})
      ->Args({claims, 1, 0})
      ->UseRealTime();
  const std::int64_t customers = size(1'000'000, 2'000);
  benchmark::RegisterBenchmark("BM_SqliteSweep", BM_SqliteSweep)
      ->ArgNames({"customers", "due_permille", "full"})
      ->Args({customers, 0, 0})
      ->Args({customers, 10, 0})
      ->Args({customers, 0, 1})
      ->Args({customers, 10, 1})
      ->Iterations(smoke() ? 1 : 3)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  // The empty reminder sweep beside the empty return sweep on a file built
  // the same way without reminders, and then per reminder sent.
  benchmark::RegisterBenchmark("BM_SqliteReminderSweep", BM_SqliteReminderSweep)
      ->ArgNames({"customers", "reminders", "full"})
      ->Args({customers, 0, 0})
      ->Args({customers, 1, 0})
      ->Args({customers, 0, 1})
      ->Args({customers, 1, 1})
      ->Iterations(smoke() ? 1 : 2'000)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("BM_SqliteRemindersSent", BM_SqliteRemindersSent)
      ->ArgNames({"customers", "full"})
      ->Args({customers, 0})
      ->Args({customers, 1})
      ->Iterations(smoke() ? 1 : 20)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace highseas::bench

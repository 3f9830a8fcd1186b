// The scan-style baseline: how widely used open-source CRMs return customers
// to the pool. A plain customers table (owner, claim time, last follow-up, no
// deadline column); a periodic job selects every held customer, compares now
// with the claim time inside a date function (which no index can serve), then
// updates the matches one row at a time, each in its own transaction.
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

constexpr const char* kClaimedDue = "2026-01-01 00:00:00";
constexpr const char* kClaimedLater = "2026-01-01 01:00:00";
constexpr const char* kNow = "2026-01-31 00:00:00";  // 30 days after kClaimedDue
constexpr int kHoldingDays = 30;

// One SQLite file in the temp directory, the same customers as the pools:
// n held, the first `due` claimed 30 days before kNow, the others an hour later.
class ScanBaseline {
 public:
  ScanBaseline(std::int64_t customers, std::int64_t due) : due_(due) {
    path_ = std::filesystem::temp_directory_path() /
            ("highseas_scan_" + std::to_string(::getpid()) + "_" + std::to_string(customers) + "_" +
             std::to_string(due) + ".db");
    std::filesystem::remove(path_);
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) fail("open");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec(
        "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT, "
        "claim_time TEXT, last_follow_up TEXT)");
    exec("CREATE INDEX customers_owner ON customers(owner)");
    exec("BEGIN");
    sqlite3_stmt* insert = prepare(
        "INSERT INTO customers (id, name, owner, claim_time, last_follow_up) "
        "VALUES (?1, ?2, ?3, ?4, NULL)");
    for (std::int64_t i = 0; i < customers; ++i) {
      const std::string id = customer_id(i).str();
      const std::string name = "Customer " + id;
      const std::string owner = user_id(i % 32).str();
      sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 3, owner.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, i < due ? kClaimedDue : kClaimedLater, -1, SQLITE_STATIC);
      step_done(insert);
    }
    sqlite3_finalize(insert);
    exec("COMMIT");
  }
  ScanBaseline(const ScanBaseline&) = delete;
  ScanBaseline& operator=(const ScanBaseline&) = delete;
  ~ScanBaseline() {
    sqlite3_close(db_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
    std::filesystem::remove(path_.string() + "-wal", ignored);
    std::filesystem::remove(path_.string() + "-shm", ignored);
  }

  // The reclaim job, as those CRMs run it. Returns how many it returned.
  std::int64_t run_job() {
    sqlite3_stmt* select = prepare(
        "SELECT id, owner, claim_time, last_follow_up FROM customers "
        "WHERE owner IS NOT NULL AND julianday(?1) - julianday(claim_time) >= ?2");
    sqlite3_bind_text(select, 1, kNow, -1, SQLITE_STATIC);
    sqlite3_bind_int(select, 2, kHoldingDays);
    std::vector<std::string> matches;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
      matches.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)));
    }
    if (rc != SQLITE_DONE) fail("select");
    sqlite3_finalize(select);
    sqlite3_stmt* update = prepare(
        "UPDATE customers SET owner = NULL, claim_time = NULL, last_follow_up = NULL "
        "WHERE id = ?1");
    for (const std::string& id : matches) {  // one row, one autocommit, at a time
      sqlite3_bind_text(update, 1, id.c_str(), -1, SQLITE_STATIC);
      step_done(update);
    }
    sqlite3_finalize(update);
    return static_cast<std::int64_t>(matches.size());
  }

  // Puts the due customers back as they were before the job, in one transaction.
  void restore_due() {
    exec("BEGIN");
    sqlite3_stmt* update =
        prepare("UPDATE customers SET owner = ?2, claim_time = ?3 WHERE id = ?1");
    for (std::int64_t i = 0; i < due_; ++i) {
      const std::string id = customer_id(i).str();
      const std::string owner = user_id(i % 32).str();
      sqlite3_bind_text(update, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 2, owner.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 3, kClaimedDue, -1, SQLITE_STATIC);
      step_done(update);
    }
    sqlite3_finalize(update);
    exec("COMMIT");
  }

  std::int64_t due() const { return due_; }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw std::runtime_error(std::string("scan baseline: ") + what + ": " + sqlite3_errmsg(db_));
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) fail(sql);
    return statement;
  }
  void step_done(sqlite3_stmt* statement) {
    if (sqlite3_step(statement) != SQLITE_DONE) fail("step");
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
  std::int64_t due_;
};

ScanBaseline& baseline(std::int64_t customers, std::int64_t due) {
  static std::mutex mutex;
  static std::map<std::pair<std::int64_t, std::int64_t>, std::unique_ptr<ScanBaseline>> made;
  const std::lock_guard lock(mutex);
  auto& entry = made[{customers, due}];
  if (!entry) entry = std::make_unique<ScanBaseline>(customers, due);
  return *entry;
}

std::mutex measured_mutex;
std::map<std::pair<std::int64_t, std::int64_t>, double> measured;

void remember(std::int64_t customers, std::int64_t due, double ns) {
  const std::lock_guard lock(measured_mutex);
  auto [position, inserted] = measured.try_emplace({customers, due}, ns);
  if (!inserted) position->second = std::min(position->second, ns);
}

double time_job_ns(ScanBaseline& scan) {
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t returned = scan.run_job();
  const double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  if (returned != scan.due()) throw std::runtime_error("scan baseline: wrong due set");
  scan.restore_due();
  return ns;
}

// The reclaim job over n held customers, `due` of them due.
void BM_ScanSweep(benchmark::State& state) {
  const std::int64_t customers = state.range(0);
  const std::int64_t due = customers * state.range(1) / 1000;
  ScanBaseline& scan = baseline(customers, due);
  double total_ns = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (scan.run_job() != due) state.SkipWithError("wrong due set");
    total_ns +=
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    state.PauseTiming();
    scan.restore_due();
    state.ResumeTiming();
  }
  const double per_run = total_ns / static_cast<double>(state.iterations());
  remember(customers, due, per_run);
  state.SetItemsProcessed(state.iterations() * due);
  state.counters["ns_per_sweep"] = per_run;
  if (due > 0) state.counters["ns_per_returned"] = per_run / static_cast<double>(due);
}

}  // namespace

double scan_sweep_ns(std::int64_t customers, std::int64_t due) {
  {
    const std::lock_guard lock(measured_mutex);
    if (const auto found = measured.find({customers, due}); found != measured.end()) {
      return found->second;
    }
  }
  remember(customers, due, time_job_ns(baseline(customers, due)));
  const std::lock_guard lock(measured_mutex);
  return measured.at({customers, due});
}

void register_scan_benchmarks() {
  benchmark::RegisterBenchmark("BM_ScanSweep", BM_ScanSweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({size(1'000'000, 2'000), 0})
      ->Args({size(1'000'000, 2'000), 10})
      ->Iterations(smoke() ? 1 : 3)
      ->Unit(benchmark::kMillisecond);
}

}  // namespace highseas::bench

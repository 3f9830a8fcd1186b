// The scan-style baselines: how widely used open-source CRMs return customers
// to the pool. A customers table with an owner and a claim time but no deadline
// column; a periodic job selects every held customer whose claim (or last
// follow-up) is old enough, comparing inside date functions that no index can
// serve, then puts the matches back one row at a time, each in its own
// transaction. Two shapes of it:
//
//  - simple: `customers(id, name, owner, claim_time, last_follow_up)`, WAL,
//    synchronous=NORMAL; the test is `julianday(now) - julianday(claim_time) >= 30`;
//    the put-back one autocommitted UPDATE that clears the owner.
//  - wukong: shaped like WukongCRM 11's reclaim job: `crm_customer(customer_id,
//    customer_name, owner_user_id, status, deal_status, receive_time,
//    last_time, ...)`, WAL, synchronous=FULL; the test is
//    `status = 1 AND deal_status = 0 AND owner_user_id IN (the pool's users)
//    AND julianday(now) - julianday(max(coalesce(last_time, ''), receive_time)) > 30`;
//    the put-back, per row in one transaction: the owner cleared, a
//    crm_customer_pool_relation row and a crm_owner_record row inserted.
//
// Both hold the same customers as the pools (company_name(i)), n held, the
// first `due` of them due. Every figure is the steady state: one run of the
// SELECT warms the file's pages and is not counted.
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

constexpr const char* kClaimedDue = "2026-01-01 00:00:00";
constexpr const char* kClaimedLater = "2026-01-01 01:00:00";
constexpr const char* kNow = "2026-01-31 00:00:00";  // 30 days after kClaimedDue
// The wukong job's test is strictly "> 30 days", so it runs half an hour later:
// the due set is the same (30.02 days against 29.98).
constexpr const char* kWukongNow = "2026-01-31 00:30:00";
// A follow-up under the previous holder, before the current claim: the max()
// then picks receive_time, so follow-ups leave the due set as it is in our pools.
constexpr const char* kEarlierFollowUp = "2025-12-12 10:00:00";
constexpr int kHoldingDays = 30;
constexpr std::int64_t kHolders = 32;

std::string scan_path(const char* kind, std::int64_t customers, std::int64_t due) {
  return (std::filesystem::temp_directory_path() /
          ("highseas_scan_" + std::string(kind) + "_" + std::to_string(::getpid()) + "_" +
           std::to_string(customers) + "_" + std::to_string(due) + ".db"))
      .string();
}

// One SQLite file in the temp directory, removed at exit.
class ScanDatabase {
 public:
  ScanDatabase(std::string path, bool full) : path_(std::move(path)) {
    std::filesystem::remove(path_);
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) fail("open");
    exec("PRAGMA journal_mode=WAL");
    exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  }
  ScanDatabase(const ScanDatabase&) = delete;
  ScanDatabase& operator=(const ScanDatabase&) = delete;
  ~ScanDatabase() {
    sqlite3_close(db_);
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(path_ + suffix, ignored);
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw std::runtime_error("scan baseline: " + what + ": " + sqlite3_errmsg(db_));
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

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// A job over a table of n held customers, `due` of them due.
class ScanJob {
 public:
  virtual ~ScanJob() = default;
  // Runs the reclaim job; returns how many customers it put back (or, without
  // `put_back`, would put back: the SELECT alone).
  virtual std::int64_t run(bool put_back = true) = 0;
  // Puts the due customers back as they were before the job (one transaction).
  virtual void restore() = 0;
};

class SimpleScan final : public ScanJob {
 public:
  SimpleScan(std::int64_t customers, std::int64_t due)
      : db_(scan_path("simple", customers, due), false), due_(due) {
    db_.exec(
        "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT NOT NULL, owner TEXT, "
        "claim_time TEXT, last_follow_up TEXT)");
    db_.exec("CREATE INDEX customers_owner ON customers(owner)");
    db_.exec("BEGIN");
    sqlite3_stmt* insert = db_.prepare(
        "INSERT INTO customers (id, name, owner, claim_time, last_follow_up) "
        "VALUES (?1, ?2, ?3, ?4, NULL)");
    for (std::int64_t i = 0; i < customers; ++i) {
      const std::string id = customer_id(i).str();
      const std::string name = company_name(i);
      const std::string owner = user_id(i % kHolders).str();
      sqlite3_bind_text(insert, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 2, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 3, owner.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(insert, 4, i < due ? kClaimedDue : kClaimedLater, -1, SQLITE_STATIC);
      db_.step_done(insert);
    }
    sqlite3_finalize(insert);
    db_.exec("COMMIT");
  }

  std::int64_t run(bool put_back) override {
    sqlite3_stmt* select = db_.prepare(
        "SELECT id, owner, claim_time, last_follow_up FROM customers "
        "WHERE owner IS NOT NULL AND julianday(?1) - julianday(claim_time) >= ?2");
    sqlite3_bind_text(select, 1, kNow, -1, SQLITE_STATIC);
    sqlite3_bind_int(select, 2, kHoldingDays);
    std::vector<std::string> matches;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
      matches.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(select, 0)));
    }
    if (rc != SQLITE_DONE) db_.fail("select");
    sqlite3_finalize(select);
    if (!put_back) return static_cast<std::int64_t>(matches.size());
    sqlite3_stmt* update = db_.prepare(
        "UPDATE customers SET owner = NULL, claim_time = NULL, last_follow_up = NULL "
        "WHERE id = ?1");
    for (const std::string& id : matches) {  // one row, one autocommit, at a time
      sqlite3_bind_text(update, 1, id.c_str(), -1, SQLITE_STATIC);
      db_.step_done(update);
    }
    sqlite3_finalize(update);
    return static_cast<std::int64_t>(matches.size());
  }

  void restore() override {
    db_.exec("BEGIN");
    sqlite3_stmt* update =
        db_.prepare("UPDATE customers SET owner = ?2, claim_time = ?3 WHERE id = ?1");
    for (std::int64_t i = 0; i < due_; ++i) {
      const std::string id = customer_id(i).str();
      const std::string owner = user_id(i % kHolders).str();
      sqlite3_bind_text(update, 1, id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 2, owner.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(update, 3, kClaimedDue, -1, SQLITE_STATIC);
      db_.step_done(update);
    }
    sqlite3_finalize(update);
    db_.exec("COMMIT");
  }

 private:
  ScanDatabase db_;
  std::int64_t due_;
};

class WukongScan final : public ScanJob {
 public:
  WukongScan(std::int64_t customers, std::int64_t due)
      : db_(scan_path("wukong", customers, due), true), due_(due) {
    db_.exec(
        "CREATE TABLE crm_customer (customer_id INTEGER PRIMARY KEY, customer_name TEXT NOT NULL, "
        "owner_user_id INTEGER, status INTEGER NOT NULL DEFAULT 1, "
        "deal_status INTEGER NOT NULL DEFAULT 0, receive_time TEXT, last_time TEXT, "
        "create_user_id INTEGER, create_time TEXT, update_time TEXT)");
    db_.exec("CREATE INDEX crm_customer_owner ON crm_customer(owner_user_id)");
    db_.exec(
        "CREATE TABLE crm_customer_pool_relation (id INTEGER PRIMARY KEY, "
        "customer_id INTEGER NOT NULL, pool_id INTEGER NOT NULL, create_time TEXT)");
    db_.exec(
        "CREATE INDEX crm_customer_pool_relation_customer ON "
        "crm_customer_pool_relation(customer_id)");
    db_.exec(
        "CREATE TABLE crm_owner_record (record_id INTEGER PRIMARY KEY, type_id INTEGER NOT NULL, "
        "type INTEGER NOT NULL, pre_owner_user_id INTEGER, post_owner_user_id INTEGER, "
        "create_time TEXT)");
    db_.exec("BEGIN");
    sqlite3_stmt* insert = db_.prepare(
        "INSERT INTO crm_customer (customer_id, customer_name, owner_user_id, status, "
        "deal_status, receive_time, last_time, create_user_id, create_time, update_time) "
        "VALUES (?1, ?2, ?3, 1, 0, ?4, ?5, 1, '2025-10-01 09:00:00', ?4)");
    for (std::int64_t i = 0; i < customers; ++i) {
      const std::string name = company_name(i);
      sqlite3_bind_int64(insert, 1, i);
      sqlite3_bind_text(insert, 2, name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 3, owner(i));
      sqlite3_bind_text(insert, 4, i < due ? kClaimedDue : kClaimedLater, -1, SQLITE_STATIC);
      // Half have a follow-up on record (from before the current claim), half none.
      if (i % 2 == 0) sqlite3_bind_text(insert, 5, kEarlierFollowUp, -1, SQLITE_STATIC);
      db_.step_done(insert);
    }
    sqlite3_finalize(insert);
    db_.exec("COMMIT");
  }

  std::int64_t run(bool put_back) override {
    std::string sql =
        "SELECT customer_id, owner_user_id FROM crm_customer WHERE status = 1 AND "
        "deal_status = 0 AND owner_user_id IN (";
    for (std::int64_t user = 0; user < kHolders; ++user) {
      if (user > 0) sql += ',';
      sql += std::to_string(owner(user));
    }
    sql += ") AND julianday(?1) - julianday(max(coalesce(last_time, ''), receive_time)) > ?2";
    sqlite3_stmt* select = db_.prepare(sql.c_str());
    sqlite3_bind_text(select, 1, kWukongNow, -1, SQLITE_STATIC);
    sqlite3_bind_int(select, 2, kHoldingDays);
    std::vector<std::pair<std::int64_t, std::int64_t>> matches;
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
      matches.emplace_back(sqlite3_column_int64(select, 0), sqlite3_column_int64(select, 1));
    }
    if (rc != SQLITE_DONE) db_.fail("select");
    sqlite3_finalize(select);
    if (!put_back) return static_cast<std::int64_t>(matches.size());
    sqlite3_stmt* clear = db_.prepare(
        "UPDATE crm_customer SET owner_user_id = NULL, update_time = ?2 WHERE customer_id = ?1");
    sqlite3_stmt* relate = db_.prepare(
        "INSERT INTO crm_customer_pool_relation (customer_id, pool_id, create_time) "
        "VALUES (?1, 1, ?2)");
    sqlite3_stmt* record = db_.prepare(
        "INSERT INTO crm_owner_record (type_id, type, pre_owner_user_id, post_owner_user_id, "
        "create_time) VALUES (?1, 2, ?2, NULL, ?3)");
    for (const auto& [customer, previous_owner] : matches) {  // one transaction per row
      db_.exec("BEGIN");
      sqlite3_bind_int64(clear, 1, customer);
      sqlite3_bind_text(clear, 2, kWukongNow, -1, SQLITE_STATIC);
      db_.step_done(clear);
      sqlite3_bind_int64(relate, 1, customer);
      sqlite3_bind_text(relate, 2, kWukongNow, -1, SQLITE_STATIC);
      db_.step_done(relate);
      sqlite3_bind_int64(record, 1, customer);
      sqlite3_bind_int64(record, 2, previous_owner);
      sqlite3_bind_text(record, 3, kWukongNow, -1, SQLITE_STATIC);
      db_.step_done(record);
      db_.exec("COMMIT");
    }
    sqlite3_finalize(clear);
    sqlite3_finalize(relate);
    sqlite3_finalize(record);
    return static_cast<std::int64_t>(matches.size());
  }

  // Holds the due customers again; the pool-relation and owner-record rows the
  // job wrote stay, as they would in a CRM that has run the job for a while.
  void restore() override {
    db_.exec("BEGIN");
    sqlite3_stmt* update = db_.prepare(
        "UPDATE crm_customer SET owner_user_id = ?2, receive_time = ?3 WHERE customer_id = ?1");
    for (std::int64_t i = 0; i < due_; ++i) {
      sqlite3_bind_int64(update, 1, i);
      sqlite3_bind_int64(update, 2, owner(i));
      sqlite3_bind_text(update, 3, kClaimedDue, -1, SQLITE_STATIC);
      db_.step_done(update);
    }
    sqlite3_finalize(update);
    db_.exec("COMMIT");
  }

 private:
  // WukongCRM's user ids are numbers; the pool's users are 32 of them.
  static std::int64_t owner(std::int64_t customer) { return 1000 + customer % kHolders; }

  ScanDatabase db_;
  std::int64_t due_;
};

using Shape = std::tuple<ScanKind, std::int64_t, std::int64_t>;

// Builds the job's table once per shape and runs its SELECT once, untimed, to
// warm the file's pages (the warm-up: a full run would cost as much again in
// commits, which warm nothing).
ScanJob& job(ScanKind kind, std::int64_t customers, std::int64_t due) {
  static std::mutex mutex;
  static std::map<Shape, std::unique_ptr<ScanJob>> made;
  const std::lock_guard lock(mutex);
  auto& entry = made[{kind, customers, due}];
  if (!entry) {
    if (kind == ScanKind::simple) {
      entry = std::make_unique<SimpleScan>(customers, due);
    } else {
      entry = std::make_unique<WukongScan>(customers, due);
    }
    if (entry->run(false) != due) throw std::runtime_error("scan baseline: wrong due set");
  }
  return *entry;
}

// Runs the job once; returns its wall time in nanoseconds, the put-back undone.
double time_run_ns(ScanJob& scan, std::int64_t due) {
  const auto start = std::chrono::steady_clock::now();
  const std::int64_t returned = scan.run();
  const double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  if (returned != due) throw std::runtime_error("scan baseline: wrong due set");
  scan.restore();
  return ns;
}

std::mutex steady_mutex;
std::map<Shape, double> steady;

// The reclaim job over n held customers, `due` of them due. Records the median
// of its runs as the steady figure the sweeps' ratios read.
void BM_ScanSweep(benchmark::State& state, ScanKind kind) {
  const std::int64_t customers = state.range(0);
  const std::int64_t due = customers * state.range(1) / 1000;
  ScanJob& scan = job(kind, customers, due);
  std::vector<double> runs;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    if (scan.run() != due) state.SkipWithError("wrong due set");
    runs.push_back(
        std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count());
    state.PauseTiming();
    scan.restore();
    state.ResumeTiming();
  }
  double total = 0;
  for (const double ns : runs) total += ns;
  std::sort(runs.begin(), runs.end());
  {
    const std::lock_guard lock(steady_mutex);
    steady[{kind, customers, due}] = runs[runs.size() / 2];
  }
  const double per_run = total / static_cast<double>(runs.size());
  state.SetItemsProcessed(state.iterations() * due);
  state.counters["ns_per_sweep"] = per_run;
  if (due > 0) state.counters["ns_per_returned"] = per_run / static_cast<double>(due);
}

}  // namespace

double scan_sweep_ns(ScanKind kind, std::int64_t customers, std::int64_t due) {
  {
    const std::lock_guard lock(steady_mutex);
    if (const auto found = steady.find({kind, customers, due}); found != steady.end()) {
      return found->second;
    }
  }
  // Not measured by BM_ScanSweep in this process (filtered out): the median of
  // as many runs after the warm-up as BM_ScanSweep would time.
  ScanJob& scan = job(kind, customers, due);
  const int count = smoke() || (kind == ScanKind::wukong && due > 0) ? 1 : 3;
  std::vector<double> runs;
  for (int run = 0; run < count; ++run) runs.push_back(time_run_ns(scan, due));
  std::sort(runs.begin(), runs.end());
  const std::lock_guard lock(steady_mutex);
  return steady.try_emplace({kind, customers, due}, runs[runs.size() / 2]).first->second;
}

void report_scan_ratios(benchmark::State& state, std::int64_t customers, std::int64_t due,
                        double sweep_ns) {
  if (sweep_ns <= 0) return;
  const double simple = scan_sweep_ns(ScanKind::simple, customers, due);
  const double wukong = scan_sweep_ns(ScanKind::wukong, customers, due);
  state.counters["scan_ns"] = simple;
  state.counters["x_faster_than_scan"] = simple / sweep_ns;
  state.counters["wukong_scan_ns"] = wukong;
  state.counters["x_faster_than_wukong_scan"] = wukong / sweep_ns;
}

void register_scan_benchmarks() {
  const std::int64_t customers = size(1'000'000, 2'000);
  for (const ScanKind kind : {ScanKind::simple, ScanKind::wukong}) {
    for (const std::int64_t permille : {0, 10}) {
      // The wukong job's put-back commits 10k times with synchronous=FULL (tens
      // of seconds on a slow disk): one timed run after the warm-up, not three.
      const bool slow = kind == ScanKind::wukong && permille > 0;
      benchmark::RegisterBenchmark(kind == ScanKind::simple ? "BM_ScanSweep" : "BM_WukongScanSweep",
                                   BM_ScanSweep, kind)
          ->ArgNames({"customers", "due_permille"})
          ->Args({customers, permille})
          ->Iterations(smoke() || slow ? 1 : 3)
          ->Unit(benchmark::kMillisecond);
    }
  }
}

}  // namespace highseas::bench

// Fault injection: a scripted scenario with every kind of command is run once
// cleanly, then once for every N with the Nth storage call failing, on every
// backend built (MemoryStorage; SqliteStorage on a fresh file per run;
// PostgresStorage in a fresh schema per run, under scripts/with-postgres).
// A broken call (StorageError): the command hit must throw, leave the state
// exactly as it was, emit nothing, and the pool must keep working: retried,
// the command gives the clean run's result, and the run ends in the clean
// run's state with the clean run's events. A transient call
// (RetryableStorageError): PublicPool retries the command by itself, so the
// caller sees the clean run's results, events and state.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <functional>
#include <highseas/highseas.hpp>
#include <highseas/testing/fault_injecting_storage.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>
#ifdef HIGHSEAS_SIM_WITH_SQLITE
#include <highseas/sqlite/sqlite_storage.hpp>
#endif
#ifdef HIGHSEAS_SIM_WITH_POSTGRES
#include "postgres_test_env.hpp"
#endif

#include "harness.hpp"

namespace highseas::sim {
namespace {

const UserId boss{"boss"};
const UserId admin{"admin"};
const UserId alice{"alice"};
const UserId bob{"bob"};
const UserId carol{"carol"};

CustomerProfile profile(const std::string& id, const std::string& country = "BR") {
  return {CustomerId(id), "Company " + id, country, "A", {"vip"}};
}

// Prints a result as the comparison needs it: ok, or the refusal code.
template <class T>
std::string outcome(const Result<T>& result) {
  return result.ok() ? "ok" : std::string(to_string(result.code()));
}

namespace fs = std::filesystem;

// A file path of its own per world, removed (with its -wal and -shm) at the end.
class ScratchFile {
 public:
  ScratchFile() {
    static std::atomic<int> next{0};
    path_ = fs::temp_directory_path() / ("highseas-fault-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(next.fetch_add(1)) + ".db");
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  ~ScratchFile() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_.string() + suffix, ignored);
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// A fresh, empty storage of the backend named `backend`.
std::unique_ptr<Storage> make_backend(const std::string& backend, ScratchFile& file) {
#ifdef HIGHSEAS_SIM_WITH_SQLITE
  if (backend == "sqlite") return std::make_unique<SqliteStorage>(SqliteOptions{file.path()});
#endif
#ifdef HIGHSEAS_SIM_WITH_POSTGRES
  if (backend == "postgres") {
    return std::make_unique<PostgresStorage>(
        PostgresOptions{test::postgres_uri(), test::fresh_schema("fault")});
  }
#endif
  (void)file;
  if (backend != "memory") throw std::logic_error("unknown backend " + backend);
  return std::make_unique<MemoryStorage>();
}

// The world one run of the scenario lives in.
struct World {
  explicit World(const std::string& backend_name) : backend(make_backend(backend_name, file)) {}

  ScratchFile file;
  std::unique_ptr<Storage> backend;
  testing::FaultInjectingStorage storage{*backend};
  ManualClock clock{utc(2026, 3, 1, 8)};
  PublicPool pool{PoolId("faulty"), storage, clock};
  PublicPool viewer{PoolId("faulty"), *backend, clock};  // reads past the fault injector
  EventLog log{pool.events()};

  std::string state() {
    static const std::vector<UserId> users{boss, admin, alice, bob, carol};
    static const std::vector<CustomerId> customers{CustomerId("c1"), CustomerId("c2"),
                                                   CustomerId("c3"), CustomerId("c4"),
                                                   CustomerId("c5"), CustomerId("c6")};
    return dump(viewer, boss, users, customers);
  }
};

using Step = std::function<std::string(World&)>;

// A step that only moves time (it touches no storage, so it never fails).
std::string advance(World& world, Duration by) {
  world.clock.advance(by);
  return "advanced";
}

// Every kind of command, in an order where each one has something to act on.
std::vector<Step> scenario() {
  ClaimPolicy policy;
  policy.default_rule.holding_period = days(10);
  policy.max_holdings = 2;
  std::vector<Step> steps;
  auto add = [&steps](Step step) { steps.push_back(std::move(step)); };
  add([policy](World& w) { return outcome(w.pool.create(boss, policy)); });
  add([](World& w) { return outcome(w.pool.set_member(boss, admin, Role::pool_admin)); });
  add([](World& w) { return outcome(w.pool.set_member(boss, alice, Role::pool_user)); });
  add([](World& w) { return outcome(w.pool.set_member(boss, bob, Role::pool_user)); });
  add([](World& w) {
    const std::vector<CustomerProfile> batch{profile("c1"), profile("c2"), profile("c3"),
                                             profile("c4"), profile("bad", "XX1")};
    auto report = w.pool.import_customers(admin, batch);
    return outcome(report) + (report ? " " + std::to_string(report->imported.size()) : "");
  });
  add([](World& w) { return outcome(w.pool.move_into_pool(admin, profile("c5"))); });
  add([](World& w) { return outcome(w.pool.claim(alice, CustomerId("c1"))); });
  add([](World& w) { return outcome(w.pool.assign(admin, CustomerId("c2"), bob)); });
  add([](World& w) { return outcome(w.pool.extend(admin, CustomerId("c1"))); });
  add([](World& w) { return outcome(w.pool.follow_up(alice, CustomerId("c1"), "called")); });
  add([](World& w) { return outcome(w.pool.claim(alice, CustomerId("c3"))); });
  add([](World& w) { return outcome(w.pool.release(alice, CustomerId("c3"))); });
  add([](World& w) { return outcome(w.pool.claim(alice, CustomerId("c3"))); });  // cooldown
  add([](World& w) {
    return outcome(w.pool.record_win(alice, CustomerId("c1"), WinKind::contract_signed));
  });
  add([](World& w) { return outcome(w.pool.move_out_of_pool(admin, CustomerId("c4"))); });
  add([](World& w) { return outcome(w.pool.move_into_pool(admin, profile("c4"))); });
  add([policy](World& w) {
    ClaimPolicy lower = policy;
    lower.max_holdings = 1;
    return outcome(w.pool.set_policy(boss, lower));
  });
  add([](World& w) { return outcome(w.pool.claim(bob, CustomerId("c4"))); });  // cap_reached
  add([policy](World& w) {
    // A shorter period and a new idle limit for the running holding (c2): the
    // new version and its rules_changed write commit together or not at all.
    ClaimPolicy shorter = policy;
    shorter.max_holdings = 1;
    shorter.default_rule.holding_period = days(7);
    shorter.default_rule.idle_limit = days(5);
    return outcome(w.pool.set_policy(boss, shorter, RunningHoldings::recompute));
  });
  add([](World& w) { return outcome(w.pool.set_enabled(boss, false)); });
  add([](World& w) { return advance(w, days(3)); });
  add([](World& w) { return outcome(w.pool.sweep()); });
  add([](World& w) { return outcome(w.pool.set_enabled(boss, true)); });
  add([](World& w) { return advance(w, days(20)); });
  add([](World& w) {
    auto report = w.pool.sweep();
    return outcome(report) + (report ? " " + std::to_string(report->returned.size()) : "");
  });
  add([](World& w) { return outcome(w.pool.claim(bob, CustomerId("c5"))); });
  add([](World& w) { return outcome(w.pool.remove_member(boss, bob)); });
  add([](World& w) { return outcome(w.pool.set_member(boss, carol, Role::boss)); });
  add([](World& w) { return outcome(w.pool.set_member(boss, carol, Role::pool_admin)); });
  add([](World& w) { return outcome(w.pool.remove_member(boss, carol)); });
  add([](World& w) {
    auto page = w.pool.available(admin, {});
    return outcome(page) + (page ? " " + std::to_string(page->customers.size()) : "");
  });
  return steps;
}

struct CleanRun {
  std::vector<std::string> results;
  std::vector<EventRecord> events;
  std::string final_state;
  std::uint64_t calls = 0;
};

CleanRun clean_run(const std::string& backend) {
  World world(backend);
  CleanRun run;
  for (const Step& step : scenario()) {
    run.results.push_back(step(world));
    for (EventRecord& event : world.log.take()) run.events.push_back(std::move(event));
  }
  run.final_state = world.state();
  run.calls = world.storage.calls();
  return run;
}

// The backend every test of this file runs on (the parameter).
class FaultInjection : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
#ifdef HIGHSEAS_SIM_WITH_POSTGRES
    if (GetParam() == "postgres" && test::postgres_uri().empty()) {
      if (test::postgres_required()) FAIL() << test::kNoServer;
      GTEST_SKIP() << test::kNoServer;
    }
#endif
  }
};

TEST_P(FaultInjection, CleanScenarioExercisesEveryCommand) {
  const CleanRun run = clean_run(GetParam());
  // The scenario must succeed where it means to and be refused where it means to,
  // or the fault runs below would prove little.
  const std::vector<std::string> expected{
      "ok", "ok",       "ok",   "ok", "ok 4", "ok", "ok",          "ok", "ok",  "ok",       "ok",
      "ok", "cooldown", "ok",   "ok", "ok",   "ok", "cap_reached", "ok", "ok",  "advanced", "ok",
      "ok", "advanced", "ok 1", "ok", "ok",   "ok", "ok",          "ok", "ok 4"};
  EXPECT_EQ(run.results, expected);
  // The recompute gave bob's running holding (c2) new clocks.
  EXPECT_EQ(std::count_if(run.events.begin(), run.events.end(),
                          [](const EventRecord& e) { return e.kind == "deadline_recomputed"; }),
            1);
  EXPECT_GT(run.calls, 100U);
  EXPECT_GT(run.events.size(), 20U);
}

TEST_P(FaultInjection, EveryFailedStorageCallLeavesNoTrace) {
  const CleanRun clean = clean_run(GetParam());
  const std::vector<Step> steps = scenario();
  for (std::uint64_t n = 1; n <= clean.calls; ++n) {
    World world(GetParam());
    world.storage.fail_at(n);
    std::vector<EventRecord> events;
    bool failed_once = false;
    for (std::size_t i = 0; i < steps.size(); ++i) {
      const std::string before = world.state();
      std::string result;
      try {
        result = steps[i](world);
      } catch (const StorageError& error) {
        ASSERT_EQ(world.storage.failures(), 1U) << "call " << n << ", step " << i;
        failed_once = true;
        EXPECT_TRUE(world.log.take().empty()) << "call " << n << ", step " << i << ": emitted";
        ASSERT_EQ(world.state(), before)
            << "call " << n << ", step " << i << ": " << error.what() << " changed the state";
        world.storage.fail_at(0);
        result = steps[i](world);  // the pool keeps working
      }
      ASSERT_EQ(result, clean.results[i]) << "call " << n << ", step " << i;
      for (EventRecord& event : world.log.take()) events.push_back(std::move(event));
    }
    EXPECT_TRUE(failed_once) << "call " << n << " was never made";
    EXPECT_EQ(world.state(), clean.final_state) << "call " << n;
    EXPECT_EQ(events, clean.events) << "call " << n;
  }
}

TEST_P(FaultInjection, EveryTransientFailureIsRetriedAsIfNothingHappened) {
  const CleanRun clean = clean_run(GetParam());
  const std::vector<Step> steps = scenario();
  for (std::uint64_t n = 1; n <= clean.calls; ++n) {
    World world(GetParam());
    world.storage.fail_at(n, testing::FaultKind::transient);
    std::vector<std::string> results;
    std::vector<EventRecord> events;
    for (const Step& step : steps) {
      results.push_back(step(world));  // a RetryableStorageError never reaches the caller
      for (EventRecord& event : world.log.take()) events.push_back(std::move(event));
    }
    EXPECT_EQ(world.storage.failures(), 1U) << "call " << n << " was never made";
    EXPECT_EQ(results, clean.results) << "call " << n;
    EXPECT_EQ(world.state(), clean.final_state) << "call " << n;
    EXPECT_EQ(events, clean.events) << "call " << n;
    if (HasFailure()) break;  // one call's story is enough to read
  }
}

std::vector<std::string> backends() {
  std::vector<std::string> names{"memory"};
#ifdef HIGHSEAS_SIM_WITH_SQLITE
  names.emplace_back("sqlite");
#endif
#ifdef HIGHSEAS_SIM_WITH_POSTGRES
  names.emplace_back("postgres");
#endif
  return names;
}

INSTANTIATE_TEST_SUITE_P(Backends, FaultInjection, ::testing::ValuesIn(backends()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace highseas::sim

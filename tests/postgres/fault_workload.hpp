// The fault suite's workload and audit: reps claim, release and sweep one
// small pool with a cap, from several processes or threads, and every command
// is recorded (start, end, success / refusal / StorageError and its message)
// so a test can say what a fault did to the commands around it. Afterwards
// the audit checks the data: no two holders, nobody over the cap, counters
// equal held rows, every history an unbroken chain, and every command either
// applied whole or not at all (a claim or release in the history for each one
// reported done, none for one refused).
#pragma once

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "highseas/public_pool.hpp"
#include "highseas/storage.hpp"
#include "highseas/testing/invariants.hpp"
#include "history_audit.hpp"
#include "postgres_test_env.hpp"

namespace highseas::test {

inline constexpr int kFaultCustomers = 24;
inline constexpr int kFaultUsers = 8;
inline constexpr std::uint32_t kFaultCap = 2;
inline const UserId kFaultBoss("boss");
inline const PoolId kFaultPool("faults");

inline CustomerId fault_customer(int n) { return CustomerId(numbered("c", n)); }
inline UserId fault_user(int n) { return UserId(numbered("u", n)); }

// Holdings short enough that sweeps return some while the test runs.
inline ClaimPolicy fault_policy() {
  ClaimPolicy rules;
  // Whole seconds: a span is stored as its text ("1s"), which has no milliseconds.
  rules.default_rule.holding_period = seconds(1);
  rules.max_holdings = kFaultCap;
  // Cooldowns are whole seconds too (ClaimPolicy::validate). A release has its
  // own (default 7 days); this one is as short as a return's, as it was when
  // a release used the reclaim cooldown.
  rules.reclaim_cooldown = seconds(1);
  rules.release_cooldown = seconds(1);
  return rules;
}

// Nanoseconds on CLOCK_MONOTONIC, which every process on the machine shares.
inline std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One command as a worker saw it.
struct CommandRecord {
  std::int64_t start_ns = 0;
  std::int64_t end_ns = 0;
  char kind = '?';     // 'c' claim, 'r' release, 's' sweep
  char outcome = '?';  // 'o' done, 'n' refused, 'e' StorageError, 'x' anything else
  int worker = 0;      // process or thread number
  int user = -1;
  int customer = -1;
  std::string message;  // the refusal or the error

  double latency_ms() const { return static_cast<double>(end_ns - start_ns) / 1e6; }
};

// Everything the workers saw: their commands, the returns their pools
// announced ("customer holder": by a sweep, or by a claim that found the
// holding due and wrote its return first), and the clock's failures.
struct WorkloadLog {
  std::vector<CommandRecord> commands;
  std::vector<std::string> returned;
  std::vector<CommandRecord> clock_failures;  // kind 'k'
};

// A clock that records when the clock it wraps throws, so a test can tell
// the clock's failures from the storage's.
class RecordingClock final : public Clock {
 public:
  explicit RecordingClock(const Clock& inner, int worker) : inner_(inner), worker_(worker) {}
  Time now() const override {
    const std::int64_t start = monotonic_ns();
    try {
      return inner_.now();
    } catch (const std::exception& error) {
      std::lock_guard lock(mutex_);
      failures_.push_back({start, monotonic_ns(), 'k', 'e', worker_, -1, -1, error.what()});
      throw;
    }
  }
  std::vector<CommandRecord> failures() const {
    std::lock_guard lock(mutex_);
    return failures_;
  }

 private:
  const Clock& inner_;
  int worker_;
  mutable std::mutex mutex_;
  mutable std::vector<CommandRecord> failures_;
};

// One worker's random stream of commands on `pool`.
class Workload {
 public:
  // `pool` is this worker's own: every event it announces is this worker's.
  Workload(PublicPool& pool, int worker)
      : pool_(pool),
        worker_(worker),
        random_(worker * 7919u),
        on_returned_(pool.events().returned.connect([this](const Returned& event) {
          log_.returned.push_back(event.customer.str() + ' ' + event.previous_holder->str());
        })) {}

  // Runs one command and records it.
  void step() {
    CommandRecord record;
    record.worker = worker_;
    const int dice = pick(100);
    record.start_ns = monotonic_ns();
    try {
      if (dice < 60 || held_.empty()) {
        if (dice >= 85) {
          record.kind = 's';
          settle(record, pool_.sweep());
        } else {
          record.kind = 'c';
          record.user = pick(kFaultUsers);
          record.customer = pick(kFaultCustomers);
          auto claimed = pool_.claim(fault_user(record.user), fault_customer(record.customer));
          settle(record, claimed);
          if (claimed) held_.emplace_back(record.user, record.customer);
        }
      } else {
        // Release something this worker claimed (a sweep may have taken it).
        record.kind = 'r';
        const std::size_t which = static_cast<std::size_t>(pick(static_cast<int>(held_.size())));
        std::tie(record.user, record.customer) = held_[which];
        held_.erase(held_.begin() + static_cast<std::ptrdiff_t>(which));
        settle(record, pool_.release(fault_user(record.user), fault_customer(record.customer)));
      }
    } catch (const StorageError& error) {
      record.outcome = 'e';
      record.message = error.what();
    } catch (const std::exception& error) {
      record.outcome = 'x';
      record.message = error.what();
    }
    record.end_ns = monotonic_ns();
    log_.commands.push_back(std::move(record));
  }

  const WorkloadLog& log() const { return log_; }
  WorkloadLog& log() { return log_; }

 private:
  template <class T>
  static void settle(CommandRecord& record, const Result<T>& result) {
    record.outcome = result ? 'o' : 'n';
    if (!result) record.message = result.refusal().to_string();
  }
  int pick(int count) { return std::uniform_int_distribution<int>(0, count - 1)(random_); }

  PublicPool& pool_;
  int worker_;
  std::mt19937 random_;
  std::vector<std::pair<int, int>> held_;
  WorkloadLog log_;
  ScopedConnection on_returned_;  // last: disconnected before log_ goes
};

// Writes a log to `path`, one tab-separated line per entry.
inline bool write_log(const WorkloadLog& log, const std::string& path) {
  std::ofstream out(path);
  auto line = [&out](const CommandRecord& r) {
    std::string message = r.message;
    std::replace_if(
        message.begin(), message.end(), [](char c) { return c == '\n' || c == '\t'; }, ' ');
    out << r.kind << '\t' << r.outcome << '\t' << r.start_ns << '\t' << r.end_ns << '\t' << r.worker
        << '\t' << r.user << '\t' << r.customer << '\t' << message << '\n';
  };
  for (const CommandRecord& record : log.commands) line(record);
  for (const CommandRecord& record : log.clock_failures) line(record);
  for (const std::string& returned : log.returned) out << "R\t" << returned << '\n';
  out.flush();
  return static_cast<bool>(out);
}

// Appends what `path` holds to `log`; returns false if it cannot be read.
inline bool read_log(const std::string& path, WorkloadLog& log) {
  std::ifstream in(path);
  if (!in) return false;
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string kind;
    std::getline(fields, kind, '\t');
    if (kind == "R") {
      std::string returned;
      std::getline(fields, returned);
      log.returned.push_back(returned);
      continue;
    }
    CommandRecord record;
    record.kind = kind.empty() ? '?' : kind[0];
    std::string outcome;
    std::getline(fields, outcome, '\t');
    record.outcome = outcome.empty() ? '?' : outcome[0];
    fields >> record.start_ns >> record.end_ns >> record.worker >> record.user >> record.customer;
    fields.get();
    std::getline(fields, record.message);
    (record.kind == 'k' ? log.clock_failures : log.commands).push_back(std::move(record));
  }
  return true;
}

// The control block forked workers share with the test: a stop flag and
// each worker's count of successful commands, in anonymous shared memory.
struct SharedControl {
  static constexpr int kMaxWorkers = 32;
  std::atomic<int> stop{0};
  std::atomic<long> successes[kMaxWorkers]{};
  // When each process's clock first asked the server (monotonic_ns).
  std::atomic<std::int64_t> clock_synced_ns[kMaxWorkers]{};
  // How many processes are connected and waiting to start together.
  std::atomic<int> ready{0};

  // Maps a fresh block; REQUIRES: before fork.
  static SharedControl* create() {
    void* memory = ::mmap(nullptr, sizeof(SharedControl), PROT_READ | PROT_WRITE,
                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED) return nullptr;
    return new (memory) SharedControl();
  }
  static void destroy(SharedControl* control) {
    if (control != nullptr) ::munmap(control, sizeof(SharedControl));
  }
};

// The forked workers: killed and reaped when this ends, whatever happened.
class Children {
 public:
  Children() = default;
  ~Children() {
    for (const pid_t pid : pids_) ::kill(pid, SIGKILL);
    for (const pid_t pid : pids_) ::waitpid(pid, nullptr, 0);
  }
  Children(const Children&) = delete;
  Children& operator=(const Children&) = delete;

  void add(pid_t pid) { pids_.push_back(pid); }

  // Waits up to `limit` for every child; kills the rest. Returns how many
  // exited with status 0.
  int wait_all(std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    int clean = 0;
    while (!pids_.empty() && std::chrono::steady_clock::now() < give_up) {
      for (auto it = pids_.begin(); it != pids_.end();) {
        int status = 0;
        if (::waitpid(*it, &status, WNOHANG) == *it) {
          if (WIFEXITED(status) && WEXITSTATUS(status) == 0) ++clean;
          it = pids_.erase(it);
        } else {
          ++it;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return clean;
  }

 private:
  std::vector<pid_t> pids_;
};

// Broken expectations about single commands, collected so a run with
// thousands of them prints a count and the first few, not thousands.
class Violations {
 public:
  explicit Violations(std::string what) : what_(std::move(what)) {}
  ~Violations() {
    std::string first;
    for (const std::string& example : examples_) first += "\n  " + example;
    EXPECT_EQ(count_, 0u) << what_ << "; the first:" << first;
  }
  Violations(const Violations&) = delete;
  Violations& operator=(const Violations&) = delete;

  // Records one unless `ok`; returns `ok`.
  bool expect(bool ok, const std::string& example) {
    if (ok) return true;
    if (count_++ < 5) examples_.push_back(example);
    return false;
  }

 private:
  std::string what_;
  std::size_t count_ = 0;
  std::vector<std::string> examples_;
};

// Counts and extremes of a log, for the report and the assertions.
struct LogSummary {
  std::size_t commands = 0, done = 0, refused = 0, storage_errors = 0, other_errors = 0;
  double worst_latency_ms = 0;
  // The longest time no command anywhere completed successfully.
  double longest_gap_ms = 0;

  explicit LogSummary(const WorkloadLog& log) {
    std::vector<std::int64_t> successes;
    for (const CommandRecord& record : log.commands) {
      ++commands;
      worst_latency_ms = std::max(worst_latency_ms, record.latency_ms());
      switch (record.outcome) {
        case 'o':
          ++done;
          successes.push_back(record.end_ns);
          break;
        case 'n':
          ++refused;
          break;
        case 'e':
          ++storage_errors;
          break;
        default:
          ++other_errors;
      }
    }
    std::sort(successes.begin(), successes.end());
    for (std::size_t n = 1; n < successes.size(); ++n) {
      longest_gap_ms =
          std::max(longest_gap_ms, static_cast<double>(successes[n] - successes[n - 1]) / 1e6);
    }
  }

  std::string to_string() const {
    std::ostringstream out;
    out << commands << " commands: " << done << " done, " << refused << " refused, "
        << storage_errors << " StorageError, " << other_errors << " other errors; worst latency "
        << worst_latency_ms << " ms; longest time without a success " << longest_gap_ms << " ms";
    return out.str();
  }
};

// Creates the pool with its reps and customers.
inline void set_up_fault_pool(PublicPool& pool) {
  ASSERT_TRUE(pool.create(kFaultBoss, fault_policy()).ok());
  for (int n = 0; n < kFaultUsers; ++n) {
    ASSERT_TRUE(pool.set_member(kFaultBoss, fault_user(n), Role::pool_user).ok());
  }
  std::vector<CustomerProfile> batch;
  for (int n = 0; n < kFaultCustomers; ++n) {
    CustomerProfile profile;
    profile.id = fault_customer(n);
    profile.name = "Customer " + profile.id.str();
    batch.push_back(profile);
  }
  ASSERT_TRUE(pool.import_customers(kFaultBoss, batch).ok());
}

// Audits the pool after the workload (see the file comment). Commands that
// failed with a StorageError have an unknown outcome: each may or may not be
// in the history, but not half of it.
inline void audit_fault_pool(Storage& storage, PublicPool& pool, const WorkloadLog& log) {
  std::vector<CustomerId> customers;
  for (int n = 0; n < kFaultCustomers; ++n) customers.push_back(fault_customer(n));
  std::vector<UserId> users;
  for (int n = 0; n < kFaultUsers; ++n) users.push_back(fault_user(n));
  EXPECT_TRUE(testing::pool_invariants_hold(pool, kFaultBoss, customers, users, kFaultCap));

  // What the workers were told, per (kind, user, customer): done, and unknown.
  std::map<std::tuple<char, int, int>, int> done, unknown;
  // Any command may write returns (a claim writes the return of the due
  // holding it takes): one with an unknown outcome may have written some
  // nobody heard.
  bool outcome_unknown = false;
  for (const CommandRecord& record : log.commands) {
    outcome_unknown |= record.outcome == 'e';
    if (record.kind == 's') continue;
    const auto key = std::make_tuple(record.kind, record.user, record.customer);
    if (record.outcome == 'o') ++done[key];
    if (record.outcome == 'e') ++unknown[key];
  }

  std::map<std::tuple<char, int, int>, int> in_history;
  std::multiset<std::string> returned_in_history;
  std::map<std::string, std::uint32_t> held_by;
  auto tx = storage.begin(kFaultPool, TransactionMode::read_only);
  for (int c = 0; c < kFaultCustomers; ++c) {
    const std::vector<HistoryEntry> history = tx->list_history(fault_customer(c));
    const Replay replayed = replay(history);
    EXPECT_EQ(replayed.problem, "") << fault_customer(c);
    const std::optional<CustomerRecord> record = tx->find_customer(fault_customer(c));
    ASSERT_TRUE(record.has_value()) << fault_customer(c);
    EXPECT_EQ(replayed.state, record->state) << fault_customer(c);
    if (record->state == CustomerState::held) {
      EXPECT_EQ(replayed.holder, record->holder) << fault_customer(c);
      ++held_by[record->holder->str()];
    }
    for (const HistoryEntry& entry : history) {
      if (entry.kind == HistoryKind::returned) {
        returned_in_history.insert(fault_customer(c).str() + ' ' + entry.holder_before->str());
      }
      if (!entry.actor) continue;
      for (int u = 0; u < kFaultUsers; ++u) {
        if (*entry.actor != fault_user(u)) continue;
        if (entry.kind == HistoryKind::claimed) ++in_history[{'c', u, c}];
        if (entry.kind == HistoryKind::released) ++in_history[{'r', u, c}];
      }
    }
  }
  for (int u = 0; u < kFaultUsers; ++u) {
    EXPECT_EQ(tx->count_holdings(fault_user(u), std::nullopt), held_by[fault_user(u).str()])
        << "counter vs held rows of " << fault_user(u);
  }
  // Every claim and release reported done is in the history; beyond those,
  // only ones whose outcome was unknown.
  std::set<std::tuple<char, int, int>> keys;
  for (const auto& [key, count] : done) keys.insert(key);
  for (const auto& [key, count] : in_history) keys.insert(key);
  for (const auto& key : keys) {
    const auto [kind, user, customer] = key;
    const int found = in_history[key];
    EXPECT_GE(found, done[key]) << "a " << kind << " reported done is missing: user " << user
                                << ", customer " << customer;
    EXPECT_LE(found, done[key] + unknown[key])
        << "a " << kind << " that was refused or never run is in the history: user " << user
        << ", customer " << customer;
  }
  // Each return announced is a return in the history, one for one (a rep may
  // get the same customer back and lose it again); more only if a command's
  // outcome was unknown.
  std::multiset<std::string> reported(log.returned.begin(), log.returned.end());
  for (const std::string& returned : reported) {
    if (outcome_unknown) {
      EXPECT_GE(returned_in_history.count(returned), reported.count(returned)) << returned;
    } else {
      EXPECT_EQ(returned_in_history.count(returned), reported.count(returned)) << returned;
    }
  }
  if (!outcome_unknown) {
    EXPECT_EQ(returned_in_history.size(), reported.size());
  }
}

}  // namespace highseas::test

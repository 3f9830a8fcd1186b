// Many processes, one pool: 16 forked processes, each with its own
// PostgresStorage, PostgresClock and PublicPool, run random commands against
// the same few hundred customers with small caps and deadlines of about a
// second, so claims collide and sweeps return holdings while others work.
// Afterwards the database must show one holder per customer, nobody over the
// cap, every returned holding returned exactly once, no process may have
// seen an error (PublicPool retries transient conflicts, so a worker sees
// none), and the server must have counted no deadlock while they ran
// (pg_stat_database.deadlocks; serialization failures cannot happen here:
// writers run at READ COMMITTED and readers are READ ONLY).
//
// The daily limit (每日领取上限) under the same fight: 16 processes claim at
// once as the same four reps, on one fixed day, under a limit of 3 a day and
// a cap of 5; no rep may end with more than 3 claims that day or more than 5
// holdings, and every daily_limit refusal names the next UTC midnight.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "admin_connection.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "history_audit.hpp"
#include "postgres_test_env.hpp"

namespace highseas {
namespace {

constexpr int kProcesses = 16;
constexpr int kCustomers = 300;
constexpr int kUsers = 24;
constexpr int kAdmins = 2;
const UserId kBoss("boss");

ClaimPolicy contention_policy() {
  ClaimPolicy rules;
  // Whole seconds: a span is stored as its text ("1s"), which has no milliseconds.
  rules.default_rule.holding_period = seconds(1);
  rules.max_holdings = 3;
  rules.extension = seconds(1);
  rules.max_extensions = 1;
  // Cooldowns are whole seconds too (ClaimPolicy::validate); a release's is
  // as short as a return's, as it was when a release used the reclaim cooldown.
  rules.reclaim_cooldown = seconds(1);
  rules.release_cooldown = seconds(1);
  return rules;
}

CustomerId customer_id(int n) { return CustomerId(test::numbered("c", n)); }
CustomerProfile profile_of(const CustomerId& id) {
  CustomerProfile profile;
  profile.id = id;
  profile.name = "Customer " + id.str();
  return profile;
}
UserId user_id(int n) { return UserId(test::numbered("u", n)); }
UserId admin_id(int n) { return UserId(test::numbered("a", n)); }

// How long each process runs: HIGHSEAS_CONTENTION_SECONDS, default 8.
int run_seconds() {
  const char* text = std::getenv("HIGHSEAS_CONTENTION_SECONDS");
  return text == nullptr ? 8 : std::max(1, std::atoi(text));
}

// One process's random workload. Writes every return its pool announced (by
// a sweep, or by a claim or assignment that found the holding due and wrote
// its return first) to `report` (customer, previous holder, deadline);
// returns 0, or 1 if any exception reached it.
int worker(const std::string& uri, const std::string& schema, int seed, const std::string& report) {
  try {
    PostgresStorage storage({uri, schema});
    PostgresClock clock({uri, schema});
    PublicPool pool(PoolId("arena"), storage, clock);
    std::ofstream out(report);
    const ScopedConnection on_returned = pool.events().returned.connect([&](const Returned& event) {
      out << event.customer.str() << ' ' << event.previous_holder->str() << ' '
          << to_iso8601(event.at) << ' ' << (event.at - utc(1970, 1, 1)).total_microseconds()
          << '\n';
    });
    std::mt19937 random(static_cast<unsigned>(seed));
    auto pick = [&](int count) { return std::uniform_int_distribution<int>(0, count - 1)(random); };
    const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(run_seconds());
    while (std::chrono::steady_clock::now() < stop) {
      const CustomerId customer = customer_id(pick(kCustomers));
      const UserId user = user_id(pick(kUsers));
      const UserId admin = admin_id(pick(kAdmins));
      const int dice = pick(100);
      if (dice < 45) {
        (void)pool.claim(user, customer);
      } else if (dice < 60) {
        (void)pool.assign(admin, customer, user);
      } else if (dice < 70) {
        (void)pool.release(dice % 2 == 0 ? admin : user, customer);
      } else if (dice < 78) {
        (void)pool.extend(admin, customer);
      } else if (dice < 81) {
        (void)pool.record_win(admin, customer, WinKind::contract_signed);
      } else if (dice < 86) {
        // Brings won customers back so the pool does not run dry.
        (void)pool.move_into_pool(admin, profile_of(customer));
      } else if (dice < 90) {
        (void)pool.follow_up(user, customer, "called");
      } else {
        auto swept = pool.sweep();
        if (!swept) throw std::runtime_error(swept.refusal().to_string());
      }
    }
    out.flush();
    return out ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "worker %d: %s\n", seed, error.what());
    return 1;
  }
}

class PostgresContention : public ::testing::Test {};

TEST_F(PostgresContention, SixteenProcessesKeepEveryRule) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("contention");
  PostgresStorage storage({uri, schema});
  PostgresClock clock({uri, schema});
  PublicPool pool(PoolId("arena"), storage, clock);
  const ClaimPolicy rules = contention_policy();
  ASSERT_HIGHSEAS_OK(pool.create(kBoss, rules));
  for (int n = 0; n < kAdmins; ++n)
    ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, admin_id(n), Role::pool_admin));
  for (int n = 0; n < kUsers; ++n)
    ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, user_id(n), Role::pool_user));
  std::vector<CustomerProfile> batch;
  for (int n = 0; n < kCustomers; ++n) {
    batch.push_back(profile_of(customer_id(n)));
  }
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch));

  // The server's deadlock count for this database, as its statistics have it.
  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  auto deadlocks = [&admin] {
    admin.query("SELECT pg_stat_clear_snapshot()");
    return admin.query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  };
  const std::string deadlocks_before = deadlocks();
  ASSERT_FALSE(deadlocks_before.empty()) << "no statistics for this database";

  const std::string reports = "/tmp/highseas-contention-" + schema;
  std::vector<pid_t> children;
  for (int n = 0; n < kProcesses; ++n) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0) << "fork failed";
    if (child == 0) {
      // The child never returns into GoogleTest; _exit skips the parent's
      // destructors (its connections belong to the parent).
      ::_exit(worker(uri, schema, n + 1, reports + test::numbered(".", n)));
    }
    children.push_back(child);
  }

  // While the children run, look at the whole pool in one snapshot now and
  // then: nobody may ever hold more than the cap. Every stored holding
  // counts, due or not: a take at the cap writes the returns of the taker's
  // due holdings before it counts, so no worker's clock, ahead or behind
  // another's, can leave a rep over it (it once could: a take counted a due
  // holding as gone, and a worker whose clock trailed extended it after).
  int snapshots = 0;
  const auto stop = std::chrono::steady_clock::now() + std::chrono::seconds(run_seconds());
  while (std::chrono::steady_clock::now() < stop) {
    auto tx = storage.begin(PoolId("arena"), TransactionMode::read_only);
    for (int n = 0; n < kUsers; ++n) {
      EXPECT_LE(tx->count_holdings(user_id(n), std::nullopt), rules.max_holdings) << user_id(n);
    }
    tx.reset();
    ++snapshots;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }

  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a worker failed (an exception reached it; see stderr)";
  }
  EXPECT_GT(snapshots, 0);
  // A backend reports its statistics when it ends or goes idle, at most once a
  // second: give the workers' backends that long.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(deadlocks(), deadlocks_before) << "the server detected a deadlock";

  // Every return announced, across all processes, exactly once.
  std::multiset<std::string> reported;
  for (int n = 0; n < kProcesses; ++n) {
    const std::string path = reports + test::numbered(".", n);
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) reported.insert(line);
    std::remove(path.c_str());
  }
  for (const std::string& line : reported) {
    EXPECT_EQ(reported.count(line), 1u) << "returned more than once: " << line;
  }

  // The history of every customer is one unbroken chain that ends where the
  // customer is; its returns match the sweeps' reports one for one.
  std::size_t returns_in_history = 0;
  std::size_t takes = 0;
  std::map<std::string, std::uint32_t> held_by;
  auto tx = storage.begin(PoolId("arena"), TransactionMode::read_only);
  for (int n = 0; n < kCustomers; ++n) {
    const std::vector<HistoryEntry> history = tx->list_history(customer_id(n));
    const test::Replay replayed = test::replay(history);
    EXPECT_EQ(replayed.problem, "") << customer_id(n);
    const std::optional<CustomerRecord> record = tx->find_customer(customer_id(n));
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(replayed.state, record->state) << customer_id(n);
    if (record->state == CustomerState::held) {
      EXPECT_EQ(replayed.holder, record->holder) << customer_id(n);
      ++held_by[record->holder->str()];
    }
    for (const HistoryEntry& entry : history) {
      if (entry.kind == HistoryKind::returned) ++returns_in_history;
      if (entry.kind == HistoryKind::claimed || entry.kind == HistoryKind::assigned) ++takes;
    }
  }
  EXPECT_EQ(returns_in_history, reported.size());
  // The run must have been a real fight, not a quiet one.
  EXPECT_GT(takes, static_cast<std::size_t>(kCustomers));
  EXPECT_GT(returns_in_history, 0u);
  // The per-user counters agree with the customers actually held, and are
  // within the cap.
  for (int n = 0; n < kUsers; ++n) {
    EXPECT_EQ(tx->count_holdings(user_id(n), std::nullopt), held_by[user_id(n).str()])
        << user_id(n);
    EXPECT_LE(held_by[user_id(n).str()], rules.max_holdings) << user_id(n);
  }
  std::printf("contention: %zu takes, %zu returns, %d cap snapshots\n", takes, returns_in_history,
              snapshots);
}

// The daily limit's fight: a fixed day, so every take counts against the
// same day and nothing falls due.
constexpr int kDailyReps = 4;
constexpr int kDailyCustomers = 400;
constexpr int kDailyOperations = 120;
constexpr std::uint32_t kPerDay = 3;
constexpr std::uint32_t kCap = 5;
const Time kDailyNow = utc(2026, 3, 2, 15, 30);
const Time kNextMidnight = utc(2026, 3, 3);  // the pool counts days in UTC
const UserId kDailyAdmin("admin");

UserId rep_id(int n) { return UserId(test::numbered("r", n)); }

// What one process of the daily fight saw, written to its report as
// "<claims> <daily_limit refusals> <refusals whose retry_after was not the
// next midnight> <cap_reached refusals>".
struct DailyTally {
  long claims = 0;
  long daily_refusals = 0;
  long wrong_retry = 0;
  long cap_refusals = 0;
};

// One process of the daily fight: connects, waits at the gate (a pipe the
// parent closes once every process is ready, so the first takes of each
// rep collide), then mostly claims random customers as random reps; an
// admin's assignments (which the limit does not count) push reps toward the
// cap, and reps release some of what they took, so claims meet both the cap
// and the limit. Returns 0, or 1 if any exception reached it.
int daily_worker(const std::string& uri, const std::string& schema, int seed, int gate,
                 const std::string& report) {
  try {
    PostgresStorage storage({uri, schema});
    ManualClock clock(kDailyNow);
    PublicPool pool(PoolId("daily"), storage, clock);
    std::mt19937 random(static_cast<unsigned>(seed));
    auto pick = [&](int count) { return std::uniform_int_distribution<int>(0, count - 1)(random); };
    std::vector<std::pair<UserId, CustomerId>> taken;  // by this process, maybe released since
    DailyTally tally;
    char byte = 0;
    if (::read(gate, &byte, 1) != 0) return 1;  // EOF: the parent opened the gate
    for (int op = 0; op < kDailyOperations; ++op) {
      const UserId rep = rep_id(pick(kDailyReps));
      const CustomerId customer = customer_id(pick(kDailyCustomers));
      const int dice = pick(100);
      if (dice < 75) {
        auto claimed = pool.claim(rep, customer);
        if (claimed) {
          ++tally.claims;
          taken.emplace_back(rep, customer);
        } else if (claimed.refusal().code == RefusalCode::daily_limit) {
          ++tally.daily_refusals;
          if (claimed.refusal().retry_after != kNextMidnight) ++tally.wrong_retry;
        } else if (claimed.refusal().code == RefusalCode::cap_reached) {
          ++tally.cap_refusals;
        }
      } else if (dice < 90) {
        if (pool.assign(kDailyAdmin, customer, rep)) taken.emplace_back(rep, customer);
      } else if (!taken.empty()) {
        const std::size_t which = static_cast<std::size_t>(pick(static_cast<int>(taken.size())));
        (void)pool.release(taken[which].first, taken[which].second);
        taken.erase(taken.begin() + static_cast<std::ptrdiff_t>(which));
      }
    }
    std::ofstream out(report);
    out << tally.claims << ' ' << tally.daily_refusals << ' ' << tally.wrong_retry << ' '
        << tally.cap_refusals << '\n';
    out.flush();
    return out ? 0 : 1;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "daily worker %d: %s\n", seed, error.what());
    return 1;
  }
}

TEST_F(PostgresContention, SixteenProcessesClaimingAsTheSameRepsKeepTheDailyLimit) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string schema = test::fresh_schema("daily");
  PostgresStorage storage({uri, schema});
  ManualClock clock(kDailyNow);
  PublicPool pool(PoolId("daily"), storage, clock);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss));
  ClaimPolicy rules;
  rules.max_holdings = kCap;
  rules.daily_limit.per_day = kPerDay;
  ASSERT_HIGHSEAS_OK(pool.set_policy(kBoss, rules));
  ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, kDailyAdmin, Role::pool_admin));
  for (int n = 0; n < kDailyReps; ++n)
    ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, rep_id(n), Role::pool_user));
  std::vector<CustomerProfile> batch;
  for (int n = 0; n < kDailyCustomers; ++n) batch.push_back(profile_of(customer_id(n)));
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch));

  test::AdminConnection admin(uri);
  ASSERT_TRUE(admin.ok());
  auto deadlocks = [&admin] {
    admin.query("SELECT pg_stat_clear_snapshot()");
    return admin.query("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
  };
  const std::string deadlocks_before = deadlocks();

  int gate[2];
  ASSERT_EQ(::pipe(gate), 0);
  const std::string reports = "/tmp/highseas-daily-" + schema;
  std::vector<pid_t> children;
  for (int n = 0; n < kProcesses; ++n) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0) << "fork failed";
    if (child == 0) {
      ::close(gate[1]);
      ::_exit(daily_worker(uri, schema, n + 1, gate[0], reports + test::numbered(".", n)));
    }
    children.push_back(child);
  }
  ::close(gate[0]);
  // Give every process time to connect, then let them all go at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::close(gate[1]);
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "a worker failed (an exception reached it; see stderr)";
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // statistics, as above
  EXPECT_EQ(deadlocks(), deadlocks_before) << "the server detected a deadlock";

  DailyTally total;
  for (int n = 0; n < kProcesses; ++n) {
    const std::string path = reports + test::numbered(".", n);
    std::ifstream in(path);
    DailyTally one;
    EXPECT_TRUE(in >> one.claims >> one.daily_refusals >> one.wrong_retry >> one.cap_refusals)
        << "no report from process " << n;
    total.claims += one.claims;
    total.daily_refusals += one.daily_refusals;
    total.wrong_retry += one.wrong_retry;
    total.cap_refusals += one.cap_refusals;
    std::remove(path.c_str());
  }
  EXPECT_GT(total.daily_refusals, 0) << "the limit never refused a claim: no fight";
  EXPECT_EQ(total.wrong_retry, 0) << "a daily_limit refusal's retry_after was not "
                                  << to_iso8601(kNextMidnight);

  // From the stored customers and their history: nobody over the cap, nobody
  // with more than kPerDay claims today, and each rep's stored tally is
  // exactly their claims.
  std::map<std::string, std::uint32_t> held_by;
  std::map<std::string, std::uint32_t> claims_by;
  auto tx = storage.begin(PoolId("daily"), TransactionMode::read_only);
  for (int n = 0; n < kDailyCustomers; ++n) {
    const std::optional<CustomerRecord> record = tx->find_customer(customer_id(n));
    ASSERT_TRUE(record.has_value());
    if (record->state == CustomerState::held) ++held_by[record->holder->str()];
    for (const HistoryEntry& entry : tx->list_history(customer_id(n))) {
      if (entry.kind == HistoryKind::claimed && entry.at.date() == kDailyNow.date()) {
        ++claims_by[entry.holder_after->str()];
      }
    }
  }
  long claims_in_history = 0;
  for (int n = 0; n < kDailyReps; ++n) {
    const std::string rep = rep_id(n).str();
    EXPECT_LE(held_by[rep], kCap) << rep;
    EXPECT_EQ(tx->count_holdings(rep_id(n), std::nullopt), held_by[rep]) << rep;
    EXPECT_LE(claims_by[rep], kPerDay) << rep << " claimed more than the daily limit";
    const std::optional<DailyTakes> takes = tx->find_daily_takes(rep_id(n));
    EXPECT_EQ(takes ? takes->claims : 0U, claims_by[rep]) << rep << "'s stored tally";
    if (takes) {
      EXPECT_EQ(takes->day, kDailyNow.date()) << rep;
    }
    claims_in_history += claims_by[rep];
  }
  EXPECT_EQ(claims_in_history, total.claims) << "every claim a process saw succeed, stored";
  std::printf("daily: %ld claims, %ld daily_limit and %ld cap_reached refusals\n", total.claims,
              total.daily_refusals, total.cap_refusals);
}

}  // namespace
}  // namespace highseas

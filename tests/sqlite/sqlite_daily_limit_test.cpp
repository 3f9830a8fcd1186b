// The daily limit between processes: several processes, each with its own
// SqliteStorage on one file, claim as the same few reps at once, and no rep
// gets past the limit or the cap. The check of a rep's tally and the take
// that follows run in one BEGIN IMMEDIATE transaction, so two processes
// claiming for one rep never both count the same last place.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sqlite_raw.hpp"
#include "temp_directory.hpp"

namespace highseas::test {
namespace {

constexpr int kCustomers = 60;
constexpr int kProcesses = 6;
constexpr std::uint32_t kPerDay = 3;
constexpr std::uint32_t kCap = 5;
const UserId kBoss("boss");
// Two processes claim as each rep.
const std::array<UserId, 3> kReps{UserId("rep-a"), UserId("rep-b"), UserId("rep-c")};
// Today is 2026-03-01 in the pool's zone (UTC); the limit lifts at midnight.
const Time kYesterday = utc(2026, 2, 28) + hours(15);
const Time kNow = utc(2026, 3, 1) + hours(10);
const Time kToday = utc(2026, 3, 1);
const Time kNextMidnight = utc(2026, 3, 2);

CustomerId customer(int n) { return CustomerId("c" + std::to_string(n)); }

// The pool: a cap of 5 and 3 claims a day. Yesterday rep-a and rep-b each
// claimed one customer (a tally of yesterday, which counts as none today);
// this morning the boss assigned rep-c three (assignments do not count), so
// rep-c reaches the cap after two claims, before the limit.
void create_pool(const std::string& path) {
  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock(kYesterday);
  PublicPool pool(PoolId("p"), storage, clock);
  ClaimPolicy rules;
  rules.reclaim_cooldown = Duration(0, 0, 0);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss, rules));
  PolicyPatch patch;
  patch.max_holdings = kCap;
  patch.daily_limit = DailyLimit{kPerDay, {}, false};
  ASSERT_HIGHSEAS_OK(pool.update_policy(kBoss, patch));
  for (const UserId& rep : kReps) ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, rep, Role::pool_user));
  std::vector<CustomerProfile> batch;
  for (int n = 0; n < kCustomers; ++n) {
    batch.push_back({customer(n), "Customer " + std::to_string(n), "DE", "A", {}});
  }
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch));
  ASSERT_HIGHSEAS_OK(pool.claim(kReps[0], customer(0)));
  ASSERT_HIGHSEAS_OK(pool.claim(kReps[1], customer(1)));
  clock.set(kNow);
  for (int n = 2; n < 5; ++n) ASSERT_HIGHSEAS_OK(pool.assign(kBoss, customer(n), kReps[2]));
}

// What one process saw.
struct Outcome {
  int rep = 0;          // index into kReps
  int claimed = 0;      // claims that succeeded
  int daily_limit = 0;  // refused daily_limit
  int wrong_retry = 0;  // ... with a retry_after other than the next midnight
  int cap_reached = 0;  // refused cap_reached
  int taken = 0;        // refused already_held: another took it first
  int other = 0;        // refused for any other reason
};

// In a child process: waits for `go`, then tries to claim every customer,
// in an order of its own, as kReps[rep]; writes its Outcome to `out`.
// Exit 0, or 10 if anything threw.
[[noreturn]] void claim_all(const std::string& path, int rep, int seed, int go, int out) {
  Outcome outcome;
  outcome.rep = rep;
  try {
    SqliteOptions options{path};
    options.synchronous = SqliteSynchronous::normal;
    SqliteStorage storage(options);
    ManualClock clock(kNow);
    PublicPool pool(PoolId("p"), storage, clock);
    std::vector<int> order(kCustomers);
    for (int n = 0; n < kCustomers; ++n) order[static_cast<std::size_t>(n)] = n;
    std::minstd_rand random(static_cast<unsigned>(seed));
    std::shuffle(order.begin(), order.end(), random);
    char start = 0;
    if (::read(go, &start, 1) != 1) ::_exit(12);
    for (const int n : order) {
      auto result = pool.claim(kReps[static_cast<std::size_t>(rep)], customer(n));
      if (result.ok()) {
        ++outcome.claimed;
        continue;
      }
      const Refusal& refusal = result.refusal();
      switch (refusal.code) {
        case RefusalCode::daily_limit:
          ++outcome.daily_limit;
          if (refusal.retry_after != kNextMidnight) ++outcome.wrong_retry;
          break;
        case RefusalCode::cap_reached:
          ++outcome.cap_reached;
          break;
        case RefusalCode::already_held:
          ++outcome.taken;
          break;
        default:
          std::fprintf(stderr, "%s: %s\n", kReps[static_cast<std::size_t>(rep)].str().c_str(),
                       refusal.to_string().c_str());
          ++outcome.other;
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "%s: %s\n", kReps[static_cast<std::size_t>(rep)].str().c_str(),
                 error.what());
    ::_exit(10);
  }
  if (::write(out, &outcome, sizeof outcome) != sizeof outcome) ::_exit(11);
  ::_exit(0);
}

TEST(SqliteDailyLimitTest, ProcessesClaimingForTheSameRepsNeverPassTheLimitOrTheCap) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  create_pool(path);  // its storage (and checkpoint thread) is gone before fork
  if (HasFatalFailure()) return;
  int go[2];
  int results[2];
  ASSERT_EQ(::pipe(go), 0);
  ASSERT_EQ(::pipe(results), 0);
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(go[1]);
      ::close(results[0]);
      claim_all(path, i % static_cast<int>(kReps.size()), i + 1, go[0], results[1]);
    }
    children.push_back(child);
  }
  ::close(go[0]);
  ::close(results[1]);
  // All at once: every child is blocked on the pipe until now.
  const std::string start(kProcesses, 'g');
  ASSERT_EQ(::write(go[1], start.data(), start.size()), static_cast<ssize_t>(start.size()));
  ::close(go[1]);
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "a process saw an error (10), could not report (11) "
                                         "or start (12)";
  }
  std::array<Outcome, kReps.size()> by_rep{};
  Outcome outcome;
  int reports = 0;
  while (::read(results[0], &outcome, sizeof outcome) == sizeof outcome) {
    ++reports;
    Outcome& sum = by_rep.at(static_cast<std::size_t>(outcome.rep));
    sum.claimed += outcome.claimed;
    sum.daily_limit += outcome.daily_limit;
    sum.wrong_retry += outcome.wrong_retry;
    sum.cap_reached += outcome.cap_reached;
    sum.taken += outcome.taken;
    sum.other += outcome.other;
  }
  ::close(results[0]);
  ASSERT_EQ(reports, kProcesses);

  // Customers are plentiful, so each rep reached its bound exactly: the
  // limit for rep-a and rep-b, the cap for rep-c.
  const std::array<int, kReps.size()> expected_claims{3, 3, 2};
  const std::array<std::size_t, kReps.size()> expected_holdings{4, 4, 5};
  for (std::size_t r = 0; r < kReps.size(); ++r) {
    SCOPED_TRACE(kReps[r].str());
    EXPECT_EQ(by_rep[r].claimed, expected_claims[r]);
    EXPECT_EQ(by_rep[r].other, 0);
    EXPECT_EQ(by_rep[r].wrong_retry, 0) << "a daily_limit refusal's retry_after is the next "
                                           "midnight of the pool's zone (UTC)";
  }
  EXPECT_GT(by_rep[0].daily_limit, 0) << "the limit bit";
  EXPECT_GT(by_rep[1].daily_limit, 0) << "the limit bit";
  EXPECT_EQ(by_rep[0].cap_reached + by_rep[1].cap_reached, 0);
  EXPECT_GT(by_rep[2].cap_reached, 0) << "the cap bit first for rep-c";

  // The file agrees, read through a storage of its own and raw SQL.
  EXPECT_EQ(integrity_check(path), "ok");
  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock(kNow);
  PublicPool pool(PoolId("p"), storage, clock);
  std::vector<CustomerId> ids;
  std::map<std::string, int> claimed_today;
  std::map<std::string, int> claimed_yesterday;
  for (int n = 0; n < kCustomers; ++n) {
    ids.push_back(customer(n));
    auto history = pool.history(kBoss, customer(n));
    ASSERT_HIGHSEAS_OK(history);
    for (const HistoryEntry& entry : *history) {
      if (entry.kind != HistoryKind::claimed || !entry.actor) continue;
      if (entry.at >= kToday && entry.at < kNextMidnight) ++claimed_today[entry.actor->str()];
      if (entry.at < kToday) ++claimed_yesterday[entry.actor->str()];
    }
  }
  EXPECT_EQ(all_customer_ids(path, "p").size(), static_cast<std::size_t>(kCustomers));
  for (std::size_t r = 0; r < kReps.size(); ++r) {
    SCOPED_TRACE(kReps[r].str());
    auto holdings = pool.holdings(kBoss, kReps[r]);
    ASSERT_HIGHSEAS_OK(holdings);
    EXPECT_LE(holdings->size(), kCap);
    EXPECT_EQ(holdings->size(), expected_holdings[r]);
    EXPECT_LE(claimed_today[kReps[r].str()], static_cast<int>(kPerDay));
    EXPECT_EQ(claimed_today[kReps[r].str()], expected_claims[r])
        << "every successful claim left one entry, and nothing else did";
    auto tx = storage.begin(PoolId("p"), TransactionMode::read_only);
    const std::optional<DailyTakes> takes = tx->find_daily_takes(kReps[r]);
    ASSERT_TRUE(takes.has_value());
    EXPECT_EQ(takes->day, kToday.date()) << "yesterday's tally was replaced";
    EXPECT_EQ(takes->claims, static_cast<std::uint32_t>(expected_claims[r]));
    EXPECT_EQ(takes->assignments, 0U) << "assignments do not count under this limit";
  }
  EXPECT_EQ(claimed_yesterday["rep-a"], 1);
  EXPECT_EQ(claimed_yesterday["rep-b"], 1);
  const std::vector<UserId> members(kReps.begin(), kReps.end());
  EXPECT_TRUE(highseas::testing::pool_invariants_hold(pool, kBoss, ids, members, kCap));
}

}  // namespace
}  // namespace highseas::test

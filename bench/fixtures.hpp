// Shared set-up for the HighSeas benchmarks: sizes, pools built once per
// process, resident memory, and the floor every ratio is read against.
#pragma once

#include <benchmark/benchmark.h>

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstddef>
#include <cstdint>
#include <highseas/highseas.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace highseas::bench {

// True when HIGHSEAS_BENCH_SMOKE is set: every size shrinks so a one-iteration
// run of the whole suite takes seconds (the bench_smoke ctest).
bool smoke();

// Returns `full`, or `small` under smoke().
std::int64_t size(std::int64_t full, std::int64_t small);

// Returns the id of customer `index`, e.g. "c0000042".
CustomerId customer_id(std::int64_t index);

// Returns the id of user `index`, e.g. "u042".
UserId user_id(std::int64_t index);

// Returns the company name of customer `index`: 30 to 45 bytes of UTF-8, built
// from word lists, one in four Chinese (e.g. "深圳市华强电子贸易有限公司"), the
// rest English trade names (e.g. "Ningbo Haitian Precision Machinery Co., Ltd.").
// Deterministic, and distinct (also by name_key) for every index below
// kCompanyNames. Throws std::out_of_range beyond.
std::string company_name(std::int64_t index);
inline constexpr std::int64_t kCompanyNames = 1'152'000;

// Returns a well-mixed 64-bit value of `x` (splitmix64's finaliser): the
// benchmarks' only source of pseudo-randomness, so every run picks the same.
std::uint64_t mix(std::uint64_t x);

// Returns 0 .. n-1 in a pseudo-random order fixed by `seed` (Fisher-Yates over mix()).
std::vector<std::int64_t> shuffled(std::int64_t n, std::uint64_t seed);

// Returns the calling thread's CPU time in nanoseconds: ratios read against
// the floor use it, so other work on a shared machine does not skew them.
double thread_cpu_ns();

// Returns how many times the calling thread has called operator new
// (allocation_counter.cpp replaces it in the benchmark binary).
std::int64_t thread_allocations();

// Returns this process's resident set size in bytes.
std::int64_t resident_bytes();

// A pool of `customers` customers named by company_name() on MemoryStorage,
// with a manual clock, a boss, `users` pool users (u000..) and kOtherUsers more
// (u100..) who stand for the rest of the sales team. The policy's cap is
// ClaimPolicy::kLargestCount and both cooldowns 0, so set-up never hits them.
// Built once per size, kept for the process.
struct MemoryFixture {
  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool{PoolId("bench"), storage, clock};
  UserId boss{"boss"};
  std::int64_t customers = 0;
  std::int64_t users = 0;
  static constexpr std::int64_t kOtherUsers = 1000;
  static constexpr std::int64_t kFirstOtherUser = 100;
  // Resident bytes the customers added (RSS after import minus before).
  std::int64_t import_resident_bytes = 0;
  // Every customer index in a fixed pseudo-random order: while the others hold
  // half the pool, they hold order[0 .. customers/2) and the rest is available.
  std::vector<std::int64_t> order;
  bool others_hold_half = false;
  // When release_others() last gave their holdings back; none before.
  Time released_at;
};

// Returns the shared fixture with `customers` customers, all available unless
// a benchmark called hold_half_by_others(); everything else a benchmark takes
// it must give back before it returns.
MemoryFixture& memory_fixture(std::int64_t customers);

// Makes the other users hold customers order[0 .. customers/2), spread evenly
// over them (500 each at 1M) and claimed over the 30 days before the clock's
// time, as a busy pool would be; if they held and released them less than 30
// days before, it first moves the clock to 31 days after that release. Untimed
// set-up; does nothing if they already do.
void hold_half_by_others(MemoryFixture& fixture);

// Releases what hold_half_by_others() claimed, so every customer is available.
void release_others(MemoryFixture& fixture);

// The reminders of the reminder benchmarks' policy, the example: the
// holder 7 days before the deadline, the holder and the pool's admins 3 days
// before, the boss too the day before.
std::vector<Reminder> escalating_reminders();

// Holds every customer_id(order[k]) in the reminder benchmarks' layout, each
// by user_id(k % holders), and returns the first time after the last claim,
// at which no return and no reminder is due yet. The first `batch` are claimed
// at day0 + 1h, the others spread evenly over the 14 days from day0 + 7d + 1h:
// under a 30-day period and escalating_reminders(), the batch's deadline is
// day 31 (the midnight after its 30th day) and its reminders fall due on days
// 24, 28 and 30, all before any other holding's (day 31 on), so a sweep at
// each of them sends exactly the batch's. Claims through `pool`, setting `clock`.
Time hold_in_reminder_layout(PublicPool& pool, ManualClock& clock,
                             const std::vector<std::int64_t>& order, std::int64_t batch,
                             std::int64_t holders, Time day0);

// The floor: what any claim + release must do at the least, on the same kind
// of keys (string customer ids) and the same pool size, without rules,
// transactions or events: a boost::unordered_flat_map insert + erase (who
// holds what) and an ordered-index insert + erase (holdings by deadline).
class Floor {
 public:
  explicit Floor(std::int64_t pool_size);
  // Does the data-structure work of one claim and its release.
  void claim_release();

 private:
  std::int64_t pool_size_;
  std::int64_t next_ = 1;
  std::int64_t round_ = 0;
  std::string holder_ = "u002";
  std::vector<std::string> ids_;
  boost::unordered_flat_map<std::string, std::string> holders_;
  std::set<std::pair<std::int64_t, const std::string*>> deadlines_;
};

// Returns the cost in nanoseconds of the floor: one boost::unordered_flat_map
// insert + erase plus one ordered-index insert + erase over `pool_size`
// entries. Measured once per size, lazily, in this process.
double floor_ns(std::int64_t pool_size);

// Sets counters "floor_ns" and "x_floor" (CPU time per pair over the floor's)
// from a measured CPU time per item.
void report_ratio_to_floor(benchmark::State& state, double ns_per_item, std::int64_t pool_size);

// Throws std::runtime_error if `result` is a refusal: set-up must not fail silently.
template <class T>
const T& expect(const Result<T>& result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.refusal().message);
  return result.value();
}

}  // namespace highseas::bench

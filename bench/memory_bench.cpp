// PublicPool on MemoryStorage: claim + release pairs, claims under cap
// pressure, two threads on one pool, the at-risk list, sweeps, resident bytes
// per customer.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
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

// Disconnects a slot when destroyed. Generic over the connection type, so the
// same source builds against revisions whose signals are Boost.Signals2's.
template <class Connection>
class Disconnector {
 public:
  explicit Disconnector(Connection connection) : connection_(std::move(connection)) {}
  Disconnector(const Disconnector&) = delete;
  Disconnector& operator=(const Disconnector&) = delete;
  ~Disconnector() { connection_.disconnect(); }

 private:
  Connection connection_;
};

// Connects `slot` to `signal` if `wanted`; returns what disconnects it (or null).
template <class Signal, class Slot>
auto connect_if(bool wanted, Signal& signal, Slot slot) {
  using Connected = Disconnector<decltype(signal.connect(slot))>;
  return wanted ? std::make_unique<Connected>(signal.connect(std::move(slot))) : nullptr;
}

// The user BM_MemoryClaimRelease claims with: a member no other benchmark
// uses, so no cooldown or holding of theirs is in the way.
UserId claimer() { return user_id(64); }

// Resident bytes per customer after importing the 1M-customer fixture. Runs
// first, so the import is the process's first big allocation.
void BM_MemoryResidentBytes(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(fixture.customers);
  state.counters["bytes_per_customer"] =
      static_cast<double>(fixture.import_resident_bytes) / static_cast<double>(fixture.customers);
  state.counters["customers"] = static_cast<double>(fixture.customers);
}

// The floor itself, so the table shows it beside what is read against it.
void BM_Floor(benchmark::State& state) {
  Floor floor(state.range(0));
  for (auto _ : state) floor.claim_release();
  state.SetItemsProcessed(state.iterations());
}

// One claim and its release through PublicPool by a user who holds nothing
// else, while the other users hold half the pool (hold_half_by_others). The
// working set is every available customer, in a pseudo-random order over the
// whole pool, so a big pool is not read from a warm corner. Arguments: pool
// size, 0 or 1 subscribers (a slot on claimed and on released that counts the
// events), and the clock: 0 the fixture's ManualClock, 1 a SystemClock (a
// second PublicPool on the same storage), which adds reading the real time.
void BM_MemoryClaimRelease(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  hold_half_by_others(fixture);
  SystemClock system_clock;
  PublicPool system_pool(fixture.pool.id(), fixture.storage, system_clock);
  PublicPool& pool = state.range(2) != 0 ? system_pool : fixture.pool;
  std::int64_t heard = 0;
  const bool listen = state.range(1) > 0;
  const auto on_claim = connect_if(listen, pool.events().claimed, [&](const Claimed&) { ++heard; });
  const auto on_release =
      connect_if(listen, pool.events().released, [&](const Released&) { ++heard; });
  std::vector<CustomerId> ids;
  ids.reserve(fixture.order.size() - fixture.order.size() / 2);
  for (std::size_t k = fixture.order.size() / 2; k < fixture.order.size(); ++k) {
    ids.push_back(customer_id(fixture.order[k]));
  }
  const UserId user = claimer();
  std::size_t next = 0;
  const std::int64_t allocations_before = thread_allocations();
  const double start = thread_cpu_ns();
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    if (!pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  const double ns = (thread_cpu_ns() - start) / static_cast<double>(state.iterations());
  state.counters["allocations_per_pair"] =
      static_cast<double>(thread_allocations() - allocations_before) /
      static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["heard"] = static_cast<double>(heard);
  state.counters["held_by_others"] = static_cast<double>(fixture.customers / 2);
  report_ratio_to_floor(state, ns, fixture.customers);
}

// Claims under cap pressure: the claimer is at the cap, so 15 of 16 claims
// are refused (cap_reached); every 16th round it releases one and claims.
void BM_MemoryClaimUnderCap(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  release_others(fixture);
  constexpr std::uint32_t kCap = 20;
  ClaimPolicy policy = expect(fixture.pool.info(fixture.boss), "info").policy;
  const ClaimPolicy unlimited = policy;
  policy.max_holdings = kCap;
  expect(fixture.pool.set_policy(fixture.boss, policy), "set_policy");
  const UserId user = user_id(2);
  std::deque<CustomerId> held;
  std::int64_t next = 0;
  auto next_id = [&] {
    next = (next + 1) % fixture.customers;
    return customer_id(next);
  };
  while (held.size() < kCap) {
    held.push_back(next_id());
    expect(fixture.pool.claim(user, held.back()), "claim");
  }
  std::int64_t refused = 0;
  std::int64_t round = 0;
  std::vector<CustomerId> candidates;
  for (std::int64_t i = 0; i < 4096; ++i) candidates.push_back(next_id());
  for (auto _ : state) {
    if (++round % 16 == 0) {
      if (!fixture.pool.release(user, held.front())) state.SkipWithError("release refused");
      held.pop_front();
    }
    const CustomerId& id = candidates[static_cast<std::size_t>(round % 4096)];
    if (fixture.pool.claim(user, id)) {
      held.push_back(id);
    } else {
      ++refused;
    }
  }
  for (const CustomerId& id : held) expect(fixture.pool.release(user, id), "release");
  expect(fixture.pool.set_policy(fixture.boss, unlimited), "set_policy");
  state.SetItemsProcessed(state.iterations());
  state.counters["refused_share"] =
      static_cast<double>(refused) / static_cast<double>(state.iterations());
}

// Claim + release pairs from two threads on one pool, disjoint customers.
void BM_MemoryClaimReleaseThreads(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  if (state.thread_index() == 0) release_others(fixture);
  const UserId user = user_id(10 + state.thread_index());
  std::vector<CustomerId> ids;
  for (std::int64_t i = state.thread_index(); i < fixture.customers; i += state.threads()) {
    ids.push_back(customer_id(i));
  }
  std::size_t next = 0;
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    if (!fixture.pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!fixture.pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  state.SetItemsProcessed(state.iterations());
}

// sweep() over n held customers of which `due` are due. Set-up claims all n
// (the due ones at T0, the others an hour later); after each sweep the due
// ones are claimed again at T0 by the other half of the users (the previous
// holders are in cooldown), untimed. One sweep before the timed ones warms the
// caches and is not counted. Everything is released at the end.
void BM_MemorySweep(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  release_others(fixture);
  const std::int64_t n = fixture.customers;
  const std::int64_t due = n * state.range(1) / 1000;
  // Each run starts a year after the last, so nobody is in cooldown from it.
  static Time next_start = utc(2030, 1, 1);
  const Time t0 = next_start;
  next_start += days(366);
  const Duration period =
      expect(fixture.pool.info(fixture.boss), "info").policy.default_rule.holding_period.length();
  auto holder = [](std::int64_t customer, std::int64_t round) {
    return user_id(customer % 32 + 32 * (round % 2));
  };
  for (std::int64_t i = 0; i < n; ++i) {
    fixture.clock.set(i < due ? t0 : t0 + hours(1));
    expect(fixture.pool.claim(holder(i, 0), customer_id(i)), "claim");
  }
  std::int64_t round = 0;
  // Returns `due` holdings (untimed), then holds them again at T0.
  auto sweep_and_hold_again = [&] {
    fixture.clock.set(t0 + period);
    const Result<SweepReport> report = fixture.pool.sweep();
    if (!report || static_cast<std::int64_t>(report->returned.size()) != due) return false;
    ++round;
    fixture.clock.set(t0);
    for (std::int64_t i = 0; i < due; ++i) {
      expect(fixture.pool.claim(holder(i, round), customer_id(i)), "claim");
    }
    fixture.clock.set(t0 + period);
    return true;
  };
  std::int64_t returned = 0;
  double swept_ns = 0;  // wall time, to compare with the scan-style jobs'
  double swept_cpu_ns = 0;
  std::int64_t allocations = 0;  // inside sweep() only
  if (!sweep_and_hold_again()) state.SkipWithError("warm-up sweep returned the wrong holdings");
  if (due == 0) {
    // Nothing to put back between sweeps: time them back to back.
    const auto start = Clock::now();
    const double cpu_start = thread_cpu_ns();
    for (auto _ : state) {
      if (!fixture.pool.sweep()) state.SkipWithError("sweep refused");
    }
    swept_cpu_ns = thread_cpu_ns() - cpu_start;
    swept_ns = nanoseconds_since(start);
  } else {
    for (auto _ : state) {
      const std::int64_t allocations_before = thread_allocations();
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_ns();
      const Result<SweepReport> report = fixture.pool.sweep();
      swept_cpu_ns += thread_cpu_ns() - cpu_start;
      swept_ns += nanoseconds_since(start);
      allocations += thread_allocations() - allocations_before;
      state.PauseTiming();
      if (!report || static_cast<std::int64_t>(report->returned.size()) != due) {
        state.SkipWithError("sweep returned the wrong holdings");
        break;
      }
      returned += due;
      ++round;
      fixture.clock.set(t0);
      for (std::int64_t i = 0; i < due; ++i) {
        expect(fixture.pool.claim(holder(i, round), customer_id(i)), "claim");
      }
      fixture.clock.set(t0 + period);
      state.ResumeTiming();
    }
  }
  fixture.clock.set(t0 + hours(2));
  for (std::int64_t i = 0; i < n; ++i) {
    expect(fixture.pool.release(holder(i, i < due ? round : 0), customer_id(i)), "release");
  }
  state.SetItemsProcessed(returned);
  const auto sweeps = static_cast<double>(state.iterations());
  // CPU time per sweep and per returned holding: steady on a shared machine.
  state.counters["ns_per_sweep"] = swept_cpu_ns / sweeps;
  if (due > 0) {
    state.counters["ns_per_returned"] = swept_cpu_ns / static_cast<double>(returned);
    state.counters["allocations_per_returned"] =
        static_cast<double>(allocations) / static_cast<double>(returned);
  }
  // The scan-style jobs over the same customers and due set (none, or 10k of 1M).
  if (state.range(1) <= 10) report_scan_ratios(state, n, due, swept_ns / sweeps);
}

// at_risk in a pool where the other users hold half the customers, their
// deadlines on the 30 midnights ahead: one page (50) of the holdings due
// within 3 days, the team's (`holder` 0: a range of the deadline index) or
// one rep's (1: u100, who holds 500 at 1M, read and filtered).
void BM_MemoryAtRisk(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  hold_half_by_others(fixture);
  AtRiskQuery query;
  if (state.range(1) == 1) query.holder = user_id(MemoryFixture::kFirstOtherUser);
  std::int64_t listed = 0;
  const double cpu_start = thread_cpu_ns();
  for (auto _ : state) {
    const Result<AtRiskPage> page = fixture.pool.at_risk(fixture.boss, query);
    if (!page) {
      state.SkipWithError("at_risk refused");
      break;
    }
    listed += static_cast<std::int64_t>(page->customers.size());
    benchmark::DoNotOptimize(page);
  }
  const auto pages = static_cast<double>(state.iterations());
  state.counters["listed_per_page"] = static_cast<double>(listed) / pages;
  // CPU time per page: steady on a shared machine.
  state.counters["ns_per_page"] = (thread_cpu_ns() - cpu_start) / pages;
}

}  // namespace

void register_memory_benchmarks() {
  const std::int64_t big = size(1'000'000, 2'000);
  const std::int64_t small = size(10'000, 500);
  benchmark::RegisterBenchmark("BM_MemoryResidentBytes", BM_MemoryResidentBytes)
      ->Arg(big)
      ->Iterations(1);
  benchmark::RegisterBenchmark("BM_Floor", BM_Floor)->Arg(small)->Arg(big);
  benchmark::RegisterBenchmark("BM_MemoryClaimRelease", BM_MemoryClaimRelease)
      ->ArgNames({"customers", "subscribers", "system_clock"})
      ->Args({small, 0, 0})
      ->Args({small, 1, 0})
      ->Args({small, 0, 1})
      ->Args({big, 0, 0})
      ->Args({big, 1, 0})
      ->Args({big, 0, 1});
  benchmark::RegisterBenchmark("BM_MemoryClaimUnderCap", BM_MemoryClaimUnderCap)->Arg(small);
  benchmark::RegisterBenchmark("BM_MemoryAtRisk", BM_MemoryAtRisk)
      ->ArgNames({"customers", "holder"})
      ->Args({small, 0})
      ->Args({big, 0})
      ->Args({big, 1});
  benchmark::RegisterBenchmark("BM_MemoryClaimReleaseThreads", BM_MemoryClaimReleaseThreads)
      ->Arg(small)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
}

void register_memory_sweep_benchmarks() {
  const std::int64_t big = size(1'000'000, 2'000);
  // Permille of n due: 0, 1% (10k of 1M) and 100%.
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 0})
      ->Iterations(smoke() ? 1 : 20'000);
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 10})
      ->Iterations(smoke() ? 1 : 20);
  benchmark::RegisterBenchmark("BM_MemorySweep", BM_MemorySweep)
      ->ArgNames({"customers", "due_permille"})
      ->Args({big, 1000})
      ->Iterations(smoke() ? 1 : 2);
}

}  // namespace highseas::bench

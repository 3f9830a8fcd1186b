// PublicPool on MemoryStorage: claim + release pairs, claims under cap
// pressure, two threads on one pool, sweeps, resident bytes per customer.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

using Clock = std::chrono::steady_clock;

double nanoseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count();
}

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

// One claim and its release through PublicPool, with 0 or 1 subscribers.
void BM_MemoryClaimRelease(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  std::int64_t heard = 0;
  ScopedConnection on_claim;
  ScopedConnection on_release;
  if (state.range(1) > 0) {
    on_claim = fixture.pool.events().claimed.connect([&](const Claimed&) { ++heard; });
    on_release = fixture.pool.events().released.connect([&](const Released&) { ++heard; });
  }
  std::vector<CustomerId> ids;
  const std::int64_t spread = std::min<std::int64_t>(fixture.customers, 1 << 16);
  // Spread over the whole pool so big pools are not read from a warm corner.
  const std::int64_t stride = fixture.customers / spread;
  for (std::int64_t i = 0; i < spread; ++i) ids.push_back(customer_id(i * stride));
  const UserId user = user_id(1);
  std::size_t next = 0;
  const double start = thread_cpu_ns();
  for (auto _ : state) {
    const CustomerId& id = ids[next];
    if (!fixture.pool.claim(user, id)) state.SkipWithError("claim refused");
    if (!fixture.pool.release(user, id)) state.SkipWithError("release refused");
    if (++next == ids.size()) next = 0;
  }
  const double ns = (thread_cpu_ns() - start) / static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations());
  state.counters["heard"] = static_cast<double>(heard);
  report_ratio_to_floor(state, ns, fixture.customers);
}

// Claims under cap pressure: the claimer is at the cap, so 15 of 16 claims
// are refused (cap_reached); every 16th round it releases one and claims.
void BM_MemoryClaimUnderCap(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
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
// holders are in cooldown), untimed. Everything is released at the end.
void BM_MemorySweep(benchmark::State& state) {
  MemoryFixture& fixture = memory_fixture(state.range(0));
  const std::int64_t n = fixture.customers;
  const std::int64_t due = n * state.range(1) / 1000;
  // Each run starts a year after the last, so nobody is in cooldown from it.
  static Time next_start = utc(2030, 1, 1);
  const Time t0 = next_start;
  next_start += days(366);
  const Duration period = expect(fixture.pool.info(fixture.boss), "info").policy.holding_period;
  auto holder = [](std::int64_t customer, std::int64_t round) {
    return user_id(customer % 32 + 32 * (round % 2));
  };
  for (std::int64_t i = 0; i < n; ++i) {
    fixture.clock.set(i < due ? t0 : t0 + hours(1));
    expect(fixture.pool.claim(holder(i, 0), customer_id(i)), "claim");
  }
  std::int64_t round = 0;
  std::int64_t returned = 0;
  double swept_ns = 0;  // wall time, to compare with the scan-style job's
  double swept_cpu_ns = 0;
  fixture.clock.set(t0 + period);
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
      fixture.clock.set(t0 + period);
      const auto start = Clock::now();
      const double cpu_start = thread_cpu_ns();
      const Result<SweepReport> report = fixture.pool.sweep();
      swept_cpu_ns += thread_cpu_ns() - cpu_start;
      swept_ns += nanoseconds_since(start);
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
  if (due > 0) state.counters["ns_per_returned"] = swept_cpu_ns / static_cast<double>(returned);
  // The scan-style job over the same customers and due set (none, or 10k of 1M).
  if (const double scan = state.range(1) <= 10 ? scan_sweep_ns(n, due) : 0.0; scan > 0) {
    state.counters["scan_ns"] = scan;
    state.counters["x_faster_than_scan"] = scan / (swept_ns / sweeps);
  }
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
      ->ArgNames({"customers", "subscribers"})
      ->Args({small, 0})
      ->Args({small, 1})
      ->Args({big, 0})
      ->Args({big, 1});
  benchmark::RegisterBenchmark("BM_MemoryClaimUnderCap", BM_MemoryClaimUnderCap)->Arg(small);
  benchmark::RegisterBenchmark("BM_MemoryClaimReleaseThreads", BM_MemoryClaimReleaseThreads)
      ->Arg(small)
      ->Threads(1)
      ->Threads(2)
      ->UseRealTime();
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

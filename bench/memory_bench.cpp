// Claim + release through PublicPool on MemoryStorage.
#include <benchmark/benchmark.h>

#include <highseas/highseas.hpp>
#include <string>
#include <vector>

namespace {

using namespace highseas;

void BM_MemoryClaimRelease(benchmark::State& state) {
  MemoryStorage storage;
  ManualClock clock;
  PublicPool pool(PoolId("bench"), storage, clock);
  const UserId boss("boss");
  ClaimPolicy policy;
  policy.reclaim_cooldown = Duration(0, 0, 0);
  (void)pool.create(boss, policy);
  const auto customers = static_cast<int>(state.range(0));
  std::vector<CustomerProfile> batch;
  for (int i = 0; i < customers; ++i) {
    batch.push_back(
        {CustomerId("c" + std::to_string(i)), "Customer " + std::to_string(i), "DE", "A", {}});
  }
  (void)pool.import_customers(boss, batch);
  int next = 0;
  for (auto _ : state) {
    const CustomerId& id = batch[static_cast<std::size_t>(next)].id;
    benchmark::DoNotOptimize(pool.claim(boss, id));
    benchmark::DoNotOptimize(pool.release(boss, id));
    next = (next + 1) % customers;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MemoryClaimRelease)->Arg(10'000);

}  // namespace

BENCHMARK_MAIN();

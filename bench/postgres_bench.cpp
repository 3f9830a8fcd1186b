// PublicPool on PostgresStorage: successful claims per second with 1, 4 and 16
// client threads sharing one storage (synchronous_commit as the server has it,
// on by default), and one sweep of 10,000 due holdings.
//
//   scripts/with-postgres build/release/bench/highseas_postgres_bench
//
// Without HIGHSEAS_POSTGRES_URI every benchmark reports an error and skips.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"

namespace highseas {
namespace {

// Joins text pieces. (GCC 12 warns falsely about `"literal" + std::string`
// in optimised builds: -Wrestrict, GCC bug 105329.)
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}

std::string uri() {
  const char* text = std::getenv("HIGHSEAS_POSTGRES_URI");
  return text == nullptr ? std::string() : std::string(text);
}

// Each benchmark run gets its own schema so runs never see each other's rows.
std::string fresh_schema(const std::string& name) {
  static std::atomic<int> counter{0};
  return join(
      {"bench_", name, "_", std::to_string(std::time(nullptr)), "_", std::to_string(counter++)});
}

CustomerId customer(int thread, std::int64_t n) {
  return CustomerId(join({"t", std::to_string(thread), "-", std::to_string(n)}));
}

// Inserts `count` customers per thread straight through one transaction: held
// by "holder" and past due when `due`, else available.
void fill(Storage& storage, const PoolId& pool, int threads, std::int64_t count, bool due) {
  auto tx = storage.begin(pool, TransactionMode::read_write);
  for (int thread = 0; thread < threads; ++thread) {
    for (std::int64_t n = 0; n < count; ++n) {
      CustomerProfile profile;
      profile.id = customer(thread, n);
      profile.name = join({"Customer ", profile.id.str()});
      CustomerRecord record;
      record.since = utc(2026, 1, 1);
      if (due) {
        record.state = CustomerState::held;
        record.holder = UserId("holder");
        record.deadline = utc(2026, 1, 2) + seconds(n % 600);
      }
      tx->insert_customer(profile, profile.name, record);
    }
  }
  tx->commit();
}

struct ClaimFixture {
  std::unique_ptr<PostgresStorage> storage;
  std::unique_ptr<PublicPool> pool;
};

ClaimFixture* claim_fixture = nullptr;
const SystemClock system_clock;

// Prepares a pool with range(0) available customers per thread (the
// iteration count: Setup does not see max_iterations).
void set_up_claims(const benchmark::State& state) {
  if (uri().empty()) return;
  claim_fixture = new ClaimFixture;
  claim_fixture->storage =
      std::make_unique<PostgresStorage>(PostgresOptions{uri(), fresh_schema("claims")});
  const PoolId id("bench");
  claim_fixture->pool = std::make_unique<PublicPool>(id, *claim_fixture->storage, system_clock);
  ClaimPolicy rules;
  rules.max_holdings = ClaimPolicy::kLargestCount;
  (void)claim_fixture->pool->create(UserId("boss"), rules);
  for (int thread = 0; thread < state.threads(); ++thread) {
    (void)claim_fixture->pool->set_member(
        UserId("boss"), UserId(join({"u", std::to_string(thread)})), Role::pool_user);
  }
  fill(*claim_fixture->storage, id, state.threads(), state.range(0), false);
}

void tear_down_claims(const benchmark::State&) {
  delete claim_fixture;
  claim_fixture = nullptr;
}

// Successful claims per second: each thread claims its own customers, one
// command (one transaction, one durable commit) per claim.
void BM_PostgresClaims(benchmark::State& state) {
  if (uri().empty()) {
    state.SkipWithError("HIGHSEAS_POSTGRES_URI is not set; run under scripts/with-postgres");
    return;
  }
  const UserId user(join({"u", std::to_string(state.thread_index())}));
  std::int64_t n = 0;
  std::int64_t failed = 0;
  for (auto _ : state) {
    auto claimed = claim_fixture->pool->claim(user, customer(state.thread_index(), n++));
    if (!claimed) {
      if (failed++ == 0) state.SkipWithError(claimed.refusal().to_string().c_str());
    }
  }
  state.SetItemsProcessed(n - failed);
  state.counters["claims_per_s"] =
      benchmark::Counter(static_cast<double>(n - failed), benchmark::Counter::kIsRate);
  state.counters["refused"] = static_cast<double>(failed);
}

// One sweep returning 10,000 due holdings, in batches of PublicPool::kSweepBatch.
void BM_PostgresSweep10k(benchmark::State& state) {
  if (uri().empty()) {
    state.SkipWithError("HIGHSEAS_POSTGRES_URI is not set; run under scripts/with-postgres");
    return;
  }
  const std::int64_t due = state.range(0);
  PostgresStorage storage({uri(), fresh_schema("sweep")});
  ManualClock clock(utc(2026, 3, 1));
  std::int64_t returned = 0;
  int round = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const PoolId id(join({"sweep-", std::to_string(round++)}));
    PublicPool pool(id, storage, clock);
    (void)pool.create(UserId("boss"));
    fill(storage, id, 1, due, true);
    state.ResumeTiming();
    auto report = pool.sweep();
    if (!report) {
      state.SkipWithError(report.refusal().to_string().c_str());
      return;
    }
    returned += static_cast<std::int64_t>(report->returned.size());
  }
  state.SetItemsProcessed(returned);
  state.counters["returned_per_s"] =
      benchmark::Counter(static_cast<double>(returned), benchmark::Counter::kIsRate);
}

// Fixed iterations: each thread needs that many customers prepared up front
// (about a second of work per thread count on a 2-core machine).
void claims_with(benchmark::internal::Benchmark* bench, int threads, int per_thread) {
  bench->Arg(per_thread)
      ->Iterations(per_thread)
      ->Threads(threads)
      ->UseRealTime()
      ->Setup(set_up_claims)
      ->Teardown(tear_down_claims);
}
BENCHMARK(BM_PostgresClaims)->Apply([](auto* bench) { claims_with(bench, 1, 3000); });
BENCHMARK(BM_PostgresClaims)->Apply([](auto* bench) { claims_with(bench, 4, 1500); });
BENCHMARK(BM_PostgresClaims)->Apply([](auto* bench) { claims_with(bench, 16, 750); });
BENCHMARK(BM_PostgresSweep10k)
    ->Arg(10'000)
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace highseas

BENCHMARK_MAIN();

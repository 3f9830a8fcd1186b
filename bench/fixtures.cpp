// Shared set-up for the HighSeas benchmarks (see fixtures.hpp).
#include "fixtures.hpp"

#include <unistd.h>

#include <boost/unordered/unordered_flat_map.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

namespace highseas::bench {

bool smoke() {
  static const bool on = std::getenv("HIGHSEAS_BENCH_SMOKE") != nullptr;
  return on;
}

std::int64_t size(std::int64_t full, std::int64_t small) { return smoke() ? small : full; }

CustomerId customer_id(std::int64_t index) {
  char text[32];
  std::snprintf(text, sizeof text, "c%07lld", static_cast<long long>(index));
  return CustomerId(std::string_view(text));
}

UserId user_id(std::int64_t index) {
  char text[32];
  std::snprintf(text, sizeof text, "u%03lld", static_cast<long long>(index));
  return UserId(std::string_view(text));
}

double thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 + static_cast<double>(now.tv_nsec);
}

std::int64_t resident_bytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  long long total = 0;
  long long resident = 0;
  const int read = std::fscanf(statm, "%lld %lld", &total, &resident);
  std::fclose(statm);
  return read == 2 ? resident * sysconf(_SC_PAGESIZE) : 0;
}

Floor::Floor(std::int64_t pool_size) : pool_size_(pool_size) {
  ids_.reserve(static_cast<std::size_t>(pool_size));
  for (std::int64_t i = 0; i < pool_size; ++i) ids_.push_back(customer_id(i).str());
  // Half the pool is held, so both structures have the size of a busy pool.
  for (std::int64_t i = 0; i < pool_size; i += 2) {
    holders_.emplace(ids_[static_cast<std::size_t>(i)], "u001");
    deadlines_.emplace(i, &ids_[static_cast<std::size_t>(i)]);
  }
}

void Floor::claim_release() {
  const std::string& id = ids_[static_cast<std::size_t>(next_)];
  holders_.emplace(id, holder_);
  // New deadlines are the latest, as in a pool: insert at the end.
  const auto position = deadlines_.emplace_hint(deadlines_.end(), pool_size_ + ++round_, &id);
  benchmark::DoNotOptimize(holders_.size());
  holders_.erase(id);
  deadlines_.erase(position);
  next_ += 2;
  if (next_ >= pool_size_) next_ = 1;
}

namespace {

// Imports `count` customers in batches, so the profiles never all sit in memory.
void import_customers(MemoryFixture& fixture, std::int64_t count) {
  constexpr std::int64_t kBatch = 10'000;
  std::vector<CustomerProfile> batch;
  for (std::int64_t first = 0; first < count; first += kBatch) {
    batch.clear();
    for (std::int64_t i = first; i < std::min(count, first + kBatch); ++i) {
      std::string name = "Customer ";
      name += std::to_string(i);
      batch.push_back({customer_id(i), std::move(name), "DE", "A", {}});
    }
    const ImportReport& report =
        expect(fixture.pool.import_customers(fixture.boss, batch), "import");
    if (!report.problems.empty()) throw std::runtime_error("import: rows refused");
  }
}

std::unique_ptr<MemoryFixture> build_fixture(std::int64_t customers) {
  auto fixture = std::make_unique<MemoryFixture>();
  ClaimPolicy policy;
  policy.max_holdings = ClaimPolicy::kLargestCount;  // cap pressure benches lower it
  policy.reclaim_cooldown = Duration(0, 0, 0);
  expect(fixture->pool.create(fixture->boss, policy), "create");
  fixture->users = 64;
  for (std::int64_t user = 0; user < fixture->users; ++user) {
    expect(fixture->pool.set_member(fixture->boss, user_id(user), Role::pool_user), "member");
  }
  fixture->customers = customers;
  const std::int64_t before = resident_bytes();
  import_customers(*fixture, customers);
  fixture->import_resident_bytes = resident_bytes() - before;
  return fixture;
}

}  // namespace

MemoryFixture& memory_fixture(std::int64_t customers) {
  static std::mutex mutex;
  static std::map<std::int64_t, std::unique_ptr<MemoryFixture>> fixtures;
  const std::lock_guard lock(mutex);
  auto& fixture = fixtures[customers];
  if (!fixture) fixture = build_fixture(customers);
  return *fixture;
}

namespace {

double measure_floor_ns(std::int64_t pool_size) {
  Floor floor(pool_size);
  const std::int64_t rounds = smoke() ? 1000 : 2'000'000;
  const double start = thread_cpu_ns();
  for (std::int64_t round = 0; round < rounds; ++round) floor.claim_release();
  return (thread_cpu_ns() - start) / static_cast<double>(rounds);
}

}  // namespace

double floor_ns(std::int64_t pool_size) {
  static std::mutex mutex;
  static std::map<std::int64_t, double> measured;
  const std::lock_guard lock(mutex);
  auto [position, inserted] = measured.try_emplace(pool_size, 0.0);
  if (inserted) position->second = measure_floor_ns(pool_size);
  return position->second;
}

void report_ratio_to_floor(benchmark::State& state, double ns_per_item, std::int64_t pool_size) {
  const double floor = floor_ns(pool_size);
  state.counters["floor_ns"] = floor;
  state.counters["x_floor"] = floor > 0 ? ns_per_item / floor : 0.0;
}

}  // namespace highseas::bench

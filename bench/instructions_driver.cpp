// Claim + release pairs through PublicPool on MemoryStorage, for counting
// instructions with callgrind (scripts/bench-instructions): an exact figure
// that does not move with the machine's load, unlike the timed benchmarks.
// Only public API, so the same file builds against older revisions.
//
//   highseas_instructions_driver PAIRS [SUBSCRIBERS]
// SUBSCRIBERS (default 0) slots count the claimed and released events.
//   highseas_instructions_driver PAIRS SUBSCRIBERS sweep
// instead has the rep claim 10 000 customers, moves the clock past their
// deadlines and sweeps them back: run_sweep() is counted, once per PAIRS/10 000.
#include <cstdio>
#include <highseas/highseas.hpp>
#include <string>
#include <vector>

namespace {

using namespace highseas;

// The measured part; callgrind counts only inside it (--toggle-collect).
__attribute__((noinline)) long run_pairs(PublicPool& pool, const std::vector<CustomerId>& ids,
                                         const UserId& user, int pairs) {
  long succeeded = 0;
  for (int i = 0; i < pairs; ++i) {
    const CustomerId& id = ids[static_cast<std::size_t>(i) % ids.size()];
    succeeded += pool.claim(user, id).ok() ? 1 : 0;
    succeeded += pool.release(user, id).ok() ? 1 : 0;
  }
  return succeeded;
}

// The measured part of the sweep mode: every due holding returned.
__attribute__((noinline)) long run_sweep(PublicPool& pool) {
  const Result<SweepReport> report = pool.sweep();
  return report.ok() ? static_cast<long>(report->returned.size()) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const int pairs = argc > 1 ? std::stoi(argv[1]) : 20000;
  const int subscribers = argc > 2 ? std::stoi(argv[2]) : 0;
  MemoryStorage storage;
  ManualClock clock(utc(2026, 3, 1));
  PublicPool pool(PoolId("eu-sales"), storage, clock);
  const UserId boss("boss");
  const UserId rep("li.wei");
  if (!pool.create(boss).ok() || !pool.set_member(boss, rep, Role::pool_user).ok()) return 1;
  std::vector<CustomerProfile> batch;
  std::vector<CustomerId> ids;
  for (int i = 0; i < 10000; ++i) {
    CustomerId id("crm-" + std::to_string(100000 + i));
    ids.push_back(id);
    batch.push_back({id,
                     "Comercial Andina de Exportaciones " + std::to_string(i) + " S.A.",
                     "CL",
                     "A",
                     {"mining"}});
  }
  if (!pool.import_customers(boss, batch).ok()) return 1;
  // No cooldown, so the rep may take back what they just released.
  ClaimPolicy policy;
  policy.reclaim_cooldown = seconds(0);
  policy.release_cooldown = seconds(0);
  policy.max_holdings = ClaimPolicy::kLargestCount;  // the sweep mode holds 10 000 at once
  if (!pool.set_policy(boss, policy).ok()) return 1;
  long heard = 0;
  // auto: the connection type differs between revisions (see bench/README.md).
  std::vector<decltype(pool.events().claimed.connect([](const Claimed&) {}))> connections;
  for (int i = 0; i < subscribers; ++i) {
    connections.push_back(pool.events().claimed.connect([&](const Claimed&) { ++heard; }));
    connections.push_back(pool.events().released.connect([&](const Released&) { ++heard; }));
  }
  if (argc > 3 && std::string(argv[3]) == "sweep") {
    long returned = 0;
    for (int round = 0; round < pairs / 10000; ++round) {
      for (const CustomerId& id : ids) {
        if (!pool.claim(rep, id).ok()) return 1;
      }
      clock.advance(policy.default_rule.holding_period.length());
      returned += run_sweep(pool);
    }
    std::printf("%ld holdings returned\n", returned);
    return returned == static_cast<long>(pairs / 10000) * 10000 ? 0 : 1;
  }
  const long succeeded = run_pairs(pool, ids, rep, pairs);
  if (heard != 2L * pairs * subscribers) return 1;
  std::printf("%ld of %d commands succeeded\n", succeeded, 2 * pairs);
  return succeeded == 2L * pairs ? 0 : 1;
}

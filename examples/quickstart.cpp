// The smallest useful host: a pool in memory, one rep, two imported customers,
// one claim. Swap MemoryStorage for SqliteStorage or PostgresStorage to keep
// the pool across restarts; nothing else changes.
#include <highseas/highseas.hpp>
#include <iostream>
#include <vector>

int main() {
  using namespace highseas;
  MemoryStorage storage;
  SystemClock clock;
  PublicPool pool(PoolId("sales-eu"), storage, clock);

  const UserId boss("boss");
  const UserId rep("li.wei");
  if (auto created = pool.create(boss); !created) {  // the pool, with its first boss
    std::cerr << created.refusal().to_string() << "\n";
    return 1;
  }
  if (auto added = pool.set_member(boss, rep, Role::pool_user); !added) {
    std::cerr << added.refusal().to_string() << "\n";
    return 1;
  }

  const std::vector<CustomerProfile> customers{
      {CustomerId("crm-1001"), "Andes Trading S.A.", "CL", "A", {"mining"}},
      {CustomerId("crm-1002"), "Lisboa Imports Lda", "PT", "B", {}},
  };
  auto imported = pool.import_customers(boss, customers);
  if (!imported || imported->imported.size() != customers.size()) {
    std::cerr << "import failed\n";
    return 1;
  }

  // A refusal (cap reached, held by someone else, cooldown...) is a value, not an exception.
  auto holding = pool.claim(rep, CustomerId("crm-1001"));
  if (!holding) {
    std::cerr << holding.refusal().to_string() << "\n";
    return 1;
  }
  std::cout << holding->customer << " held by " << holding->holder << " until "
            << to_iso8601(holding->deadline) << " ("
            << format_time_left(holding->deadline - clock.now()) << " left)\n";
  return 0;
}

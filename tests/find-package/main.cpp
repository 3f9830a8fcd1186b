// Uses the installed package: one claim on an in-memory pool.
#include <highseas/highseas.hpp>
#include <iostream>

int main() {
  highseas::MemoryStorage storage;
  highseas::ManualClock clock;
  highseas::PublicPool pool(highseas::PoolId("consumer"), storage, clock);
  const highseas::UserId boss("boss");
  if (!pool.create(boss)) return 1;
  const std::vector<highseas::CustomerProfile> batch{
      {highseas::CustomerId("c1"), "Acme", "BR", "A", {}}};
  auto imported = pool.import_customers(boss, batch);
  if (!imported || imported->imported.size() != 1) return 2;
  auto held = pool.claim(boss, highseas::CustomerId("c1"));
  if (!held) return 3;
  std::cout << "consumer: claimed c1 until " << highseas::to_iso8601(held->deadline) << "\n";
  return 0;
}

// What every consumer does with the library: one pool, one import, one claim.
#pragma once

#include <highseas/highseas.hpp>
#include <iostream>
#include <string_view>
#include <vector>

// Returns 0 on success, otherwise the number of the step that failed.
inline int claim_one_customer(highseas::Storage& storage, std::string_view who) {
  if (highseas::version() != HIGHSEAS_VERSION_STRING) return 10;  // headers and library disagree
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
  std::cout << who << ": HighSeas " << highseas::version() << ", claimed c1 until "
            << highseas::to_iso8601(held->deadline) << "\n";
  return 0;
}

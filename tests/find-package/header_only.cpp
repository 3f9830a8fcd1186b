// The header-only core: HighSeas::highseas_header_only.
#include "pool_demo.hpp"

#ifndef HIGHSEAS_HEADER_ONLY
#error "HighSeas::highseas_header_only must define HIGHSEAS_HEADER_ONLY"
#endif

std::string_view version_seen_by_second_unit();

int main() {
  if (version_seen_by_second_unit() != highseas::version()) return 20;
  highseas::MemoryStorage storage;
  return claim_one_customer(storage, "header-only consumer");
}

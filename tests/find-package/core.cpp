// The compiled core: HighSeas::highseas.
#include "pool_demo.hpp"

int main() {
  highseas::MemoryStorage storage;
  return claim_one_customer(storage, "core consumer");
}

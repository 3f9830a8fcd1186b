// The Storage conformance suite: GoogleTest tests any Storage implementation
// must pass. A CRM vendor who writes a Storage over their own database runs it
// to know they got the contract in storage.hpp right.
//
// It drives the storage through PublicPool (every command's effect) and
// straight through Transaction where the contract needs it: atomicity, exact
// round trips, the deadline index, holdings per user, paging of available
// customers, history, isolation between pools sharing one storage, and
// concurrent claims.
//
// Use: in exactly ONE .cpp of a test binary linked to HighSeas::testing and
// gtest_main (the tests themselves are compiled into HighSeas::testing):
//
//   #include <highseas/testing/conformance.hpp>
//
//   HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(
//       MyStorage, highseas::testing::StorageFactory{
//                      "my_storage", [] { return std::make_unique<MyStorage>(...); }});
//
// Each call of `make` must return a fresh, empty storage; the suite may call
// it once per test. Several factories may be passed at once.
//
// Thread-safety: one test at a time, as GoogleTest runs them; one test uses
// several threads against the storage.
#pragma once

#include "highseas/testing/conformance_fixture.hpp"  // IWYU pragma: export

namespace highseas::testing {

// Returns true. Referencing it keeps every conformance test of a static
// HighSeas::testing in the binary (a linker drops archive members nothing
// refers to, and tests register themselves from static initialisers).
bool link_conformance_suite();

}  // namespace highseas::testing

// Instantiates the suite as `Name` over the StorageFactory values given. Use
// at namespace scope. (GoogleTest pastes the suite name into identifiers, so
// the instantiation has to live in the suite's own namespace.)
#define HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(Name, ...)                          \
  namespace highseas::testing {                                                      \
  INSTANTIATE_TEST_SUITE_P(Name, StorageConformance, ::testing::Values(__VA_ARGS__), \
                           ::highseas::testing::storage_test_name);                  \
  [[maybe_unused]] static const bool Name##_conformance_linked =                     \
      ::highseas::testing::link_conformance_suite();                                 \
  }                                                                                  \
  static_assert(true, "require a semicolon")

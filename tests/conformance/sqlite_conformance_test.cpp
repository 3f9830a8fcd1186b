// The Storage conformance suite on SqliteStorage, one new file per test, with
// both durability settings (they share code paths but not pragmas).
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/conformance.hpp>
#include <memory>

#include "../sqlite/temp_directory.hpp"

namespace {

highseas::test::TempDirectory& directory() {
  static highseas::test::TempDirectory instance;
  return instance;
}

highseas::testing::StorageFactory sqlite_factory(const char* name,
                                                 highseas::SqliteSynchronous synchronous) {
  return {name, [synchronous] {
            highseas::SqliteOptions options;
            options.path = directory().fresh_file();
            options.synchronous = synchronous;
            return std::make_unique<highseas::SqliteStorage>(options);
          }};
}

}  // namespace

HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(
    Sqlite, sqlite_factory("sqlite_full", highseas::SqliteSynchronous::full),
    sqlite_factory("sqlite_normal", highseas::SqliteSynchronous::normal));

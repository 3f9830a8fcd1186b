// HighSeas::sqlite: the same claim, stored in the SQLite file named by argv[1].
#include <highseas/sqlite/sqlite_storage.hpp>

#include "pool_demo.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer <database file>\n";
    return 64;
  }
  highseas::SqliteOptions options;
  options.path = argv[1];
  highseas::SqliteStorage storage(options);
  return claim_one_customer(storage, "sqlite consumer");
}

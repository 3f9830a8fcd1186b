// The HighSeas schema in SQLite: what a database file must look like, how a
// file is recognised, and the migrations from every older version.
//
// A HighSeas file carries PRAGMA application_id = kApplicationId and PRAGMA
// user_version = its schema version. Migrations run in one BEGIN IMMEDIATE
// transaction, so two processes opening an old file at once migrate it once.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

namespace highseas::sqlite_detail {

// "HSea": marks a file as a HighSeas database (PRAGMA application_id).
inline constexpr std::int32_t kApplicationId = 0x48536561;

// Checks that the file behind `db` is an empty database or a HighSeas database
// no newer than `target_version`, without writing anything. Throws
// StorageError naming `path` and the problem otherwise.
void check_file(sqlite3* db, const std::string& path, int target_version);

// Switches the file to WAL and migrates it to `target_version`. REQUIRES:
// check_file passed.
void migrate(sqlite3* db, const std::string& path, int target_version);

// Runs the migration steps from `from_version` to `to_version` inside the
// caller's transaction (exposed for tests that build old files).
void apply_steps(sqlite3* db, const std::string& path, int from_version, int to_version);

}  // namespace highseas::sqlite_detail

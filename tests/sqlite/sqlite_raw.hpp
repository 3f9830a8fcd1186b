// Raw-SQL helpers for the SQLite crash and busy tests: the customers in the
// file and its integrity, read without trusting the storage under test. The
// invariants themselves are highseas/testing/invariants.hpp.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <highseas/highseas.hpp>
#include <string>
#include <vector>

namespace highseas::test {

// Returns every customer id of `pool` in the file, read with raw SQL so the
// check does not trust the storage it is checking.
inline std::vector<CustomerId> all_customer_ids(const std::string& path, const std::string& pool) {
  std::vector<CustomerId> ids;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << "cannot open " << path;
    sqlite3_close(db);
    return ids;
  }
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "SELECT id FROM customers WHERE pool = ?1 ORDER BY id", -1, &statement,
                     nullptr);
  sqlite3_bind_text(statement, 1, pool.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    ids.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return ids;
}

// Returns "ok" or SQLite's list of problems from PRAGMA integrity_check.
inline std::string integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
    while (sqlite3_step(statement) == SQLITE_ROW) {
      if (!result.empty()) result += "; ";
      result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    }
    sqlite3_finalize(statement);
  } else {
    result = sqlite3_errmsg(db);
  }
  sqlite3_close(db);
  return result;
}

}  // namespace highseas::test

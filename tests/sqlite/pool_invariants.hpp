// Checks a pool's invariants after a crash or a fight between processes:
// every customer in exactly one consistent state, at most one holder, nobody
// over the cap, and the last history entry agreeing with the state.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <highseas/highseas.hpp>
#include <highseas/testing/matchers.hpp>
#include <map>
#include <set>
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

// Returns true iff `kind` may be the last history entry of a customer in `state`.
inline bool history_matches_state(HistoryKind kind, CustomerState state) {
  switch (state) {
    case CustomerState::held:
      return kind == HistoryKind::claimed || kind == HistoryKind::assigned ||
             kind == HistoryKind::extended || kind == HistoryKind::followed_up;
    case CustomerState::available:
      return kind == HistoryKind::imported || kind == HistoryKind::released ||
             kind == HistoryKind::returned || kind == HistoryKind::member_removed ||
             kind == HistoryKind::moved_in;
    case CustomerState::regular:
      return kind == HistoryKind::won || kind == HistoryKind::moved_out;
  }
  return false;
}

// Checks every invariant of `pool` (viewed by `boss`) over the customers in
// `ids`; `members` are the users whose holdings are counted against `cap`.
inline void expect_pool_invariants(PublicPool& pool, const UserId& boss,
                                   const std::vector<CustomerId>& ids,
                                   const std::vector<UserId>& members, std::uint32_t cap) {
  std::map<UserId, std::set<CustomerId>> held_by;
  for (const CustomerId& id : ids) {
    auto view = pool.customer(boss, id);
    ASSERT_HIGHSEAS_OK(view);
    auto history = pool.history(boss, id);
    ASSERT_HIGHSEAS_OK(history);
    ASSERT_FALSE(history->empty()) << id << " has no history";
    const HistoryEntry& last = history->back();
    EXPECT_TRUE(history_matches_state(last.kind, view->state))
        << id << " is " << to_string(view->state) << " but its last history entry is "
        << to_string(last.kind);
    if (view->state == CustomerState::held) {
      ASSERT_TRUE(view->holder.has_value()) << id << " is held by nobody";
      EXPECT_FALSE(view->deadline.is_special()) << id;
      EXPECT_EQ(last.holder_after, view->holder) << id;
      EXPECT_EQ(last.deadline, view->deadline) << id;
      held_by[*view->holder].insert(id);
    } else if (view->state == CustomerState::available) {
      EXPECT_FALSE(view->holder.has_value()) << id;
      EXPECT_TRUE(view->deadline.is_not_a_date_time()) << id;
    }
  }
  for (const UserId& user : members) {
    auto holdings = pool.holdings(boss, user);
    ASSERT_HIGHSEAS_OK(holdings);
    EXPECT_LE(holdings->size(), cap) << user << " is over the cap";
    std::set<CustomerId> listed;
    for (const CustomerView& row : holdings.value()) listed.insert(row.profile.id);
    EXPECT_EQ(listed, held_by[user]) << "the holdings index of " << user << " disagrees";
  }
}

}  // namespace highseas::test

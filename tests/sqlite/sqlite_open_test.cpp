// Opening files that are not usable HighSeas databases: each is refused with a
// StorageError naming the file and the problem, and the file is left exactly
// as it was. Also: a transaction that cannot get a connection is refused the
// same clear way.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/matchers.hpp>
#include <iterator>
#include <limits>
#include <string>

#include "temp_directory.hpp"

namespace highseas::test {
namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Runs raw SQL on a file, outside HighSeas, as another application would.
void raw_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

// Returns the message of the StorageError opening `path` throws, or "" (and a
// test failure) if it opens.
std::string open_error(const std::string& path) {
  try {
    SqliteStorage storage(SqliteOptions{path});
    ADD_FAILURE() << path << " opened, but should have been refused";
  } catch (const StorageError& error) {
    return error.what();
  }
  return {};
}

// Opening must fail, name the file and the problem, and not change a byte.
void expect_refused_untouched(const std::string& path, const std::string& problem) {
  const std::string before = read_bytes(path);
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find(problem), std::string::npos) << message;
  EXPECT_EQ(read_bytes(path), before) << "the refused file was changed";
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
}

// Creates a HighSeas database with one pool and one customer.
void make_pool_file(const std::string& path) {
  SqliteStorage storage(SqliteOptions{path});
  ManualClock clock;
  PublicPool pool(PoolId("p"), storage, clock);
  ASSERT_HIGHSEAS_OK(pool.create(UserId("boss")));
  const std::vector<CustomerProfile> batch{{CustomerId("c1"), "One", "DE", "A", {}}};
  ASSERT_HIGHSEAS_OK(pool.import_customers(UserId("boss"), batch));
}

class SqliteOpenTest : public ::testing::Test {
 protected:
  // Let the unprivileged children of the permission tests reach the files.
  void SetUp() override {
    std::filesystem::permissions(directory.path(), std::filesystem::perms(0755));
  }

  TempDirectory directory;
};

TEST_F(SqliteOpenTest, CreatesANewFileAndReopensIt) {
  const std::string path = directory.fresh_file();
  make_pool_file(path);
  SqliteStorage again(SqliteOptions{path});
  auto tx = again.begin(PoolId("p"), TransactionMode::read_only);
  EXPECT_TRUE(tx->find_pool().has_value());
  EXPECT_EQ(tx->find_profile(CustomerId("c1"))->name, "One");
}

TEST_F(SqliteOpenTest, AnEmptyFileBecomesAHighSeasDatabase) {
  const std::string path = directory.fresh_file();
  write_bytes(path, "");
  SqliteStorage storage(SqliteOptions{path});
  auto tx = storage.begin(PoolId("p"), TransactionMode::read_write);
  EXPECT_FALSE(tx->find_pool().has_value());
}

TEST_F(SqliteOpenTest, RefusesAMissingDirectory) {
  const std::string path = (directory.path() / "no-such-dir" / "pool.db").string();
  const std::string message = open_error(path);
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_FALSE(std::filesystem::exists(directory.path() / "no-such-dir"));
}

TEST_F(SqliteOpenTest, RefusesADirectoryInPlaceOfAFile) {
  const std::string path = directory.fresh_file();
  std::filesystem::create_directory(path);
  EXPECT_NE(open_error(path).find("not a regular file"), std::string::npos);
}

TEST_F(SqliteOpenTest, RefusesATextFileUntouched) {
  const std::string path = directory.fresh_file();
  write_bytes(path, "id,name\nc1,Acme\nc2,Globex\n");
  expect_refused_untouched(path, "not an SQLite database");
}

TEST_F(SqliteOpenTest, RefusesAnotherApplicationsDatabaseUntouched) {
  const std::string path = directory.fresh_file();
  raw_sql(path,
          "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL);"
          "INSERT INTO invoices (total) VALUES (12.5);");
  expect_refused_untouched(path, "not a HighSeas database");
}

TEST_F(SqliteOpenTest, RefusesANewerSchemaUntouched) {
  const std::string path = directory.fresh_file();
  make_pool_file(path);
  const std::string bump =
      "PRAGMA user_version = " + std::to_string(SqliteStorage::kSchemaVersion + 1);
  raw_sql(path, bump.c_str());
  raw_sql(path, "PRAGMA journal_mode = DELETE");  // fold the WAL in, so bytes compare
  expect_refused_untouched(path, "newer than this HighSeas supports");
}

TEST_F(SqliteOpenTest, RefusesACorruptFileUntouched) {
  const std::string path = directory.fresh_file();
  make_pool_file(path);
  raw_sql(path, "PRAGMA journal_mode = DELETE");
  std::string bytes = read_bytes(path);
  ASSERT_GT(bytes.size(), 4096U);
  // Mangle the schema page's b-tree header (page 1 starts after the 100-byte
  // file header): SQLite can no longer read the schema.
  for (std::size_t i = 100; i < 112; ++i) bytes[i] = '\x7f';
  write_bytes(path, bytes);
  expect_refused_untouched(path, "corrupt");
}

TEST_F(SqliteOpenTest, RefusesAReadOnlyDirectory) {
  // Root ignores permissions, so the check runs in a child that gives them up.
  const std::string path = (directory.path() / "locked" / "pool.db").string();
  std::filesystem::create_directory(directory.path() / "locked");
  ASSERT_EQ(::chmod((directory.path() / "locked").c_str(), 0555), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && ::setuid(65534) != 0) ::_exit(3);
    try {
      SqliteStorage storage(SqliteOptions{path});
      ::_exit(1);  // opened: wrong
    } catch (const StorageError& error) {
      const std::string message = error.what();
      const bool named = message.find(path) != std::string::npos;
      const bool explained =
          message.find("no permission to write in the directory") != std::string::npos;
      if (!named || !explained) std::fprintf(stderr, "%s\n", message.c_str());
      ::_exit(named && explained ? 0 : 2);
    } catch (...) {
      ::_exit(4);
    }
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: opened, 2: unclear message, 3: setuid, 4: other";
  EXPECT_FALSE(std::filesystem::exists(path));
  ::chmod((directory.path() / "locked").c_str(), 0755);
}

TEST_F(SqliteOpenTest, RefusesAReadOnlyFile) {
  const std::string path = directory.fresh_file();
  make_pool_file(path);
  raw_sql(path, "PRAGMA journal_mode = DELETE");
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  // The directory is writable, so the file's own permission is what refuses.
  std::filesystem::permissions(directory.path(), std::filesystem::perms(0777));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && ::setuid(65534) != 0) ::_exit(3);
    try {
      SqliteStorage storage(SqliteOptions{path});
      ::_exit(1);
    } catch (const StorageError& error) {
      const std::string message = error.what();
      const bool clear =
          message.find(path) != std::string::npos &&
          message.find("no permission to read and write the file") != std::string::npos;
      if (!clear) std::fprintf(stderr, "%s\n", message.c_str());
      ::_exit(clear ? 0 : 2);
    } catch (...) {
      ::_exit(4);
    }
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: opened, 2: unclear message, 3: setuid, 4: other";
}

TEST_F(SqliteOpenTest, ATransactionBeyondMaxConnectionsWaitsThenFailsClearly) {
  const std::string path = directory.fresh_file();
  SqliteOptions options{path};
  options.max_connections = 2;
  options.connection_wait = std::chrono::milliseconds(100);
  SqliteStorage storage(options);
  auto first = storage.begin(PoolId("p"), TransactionMode::read_only);
  auto second = storage.begin(PoolId("p"), TransactionMode::read_only);
  try {
    (void)storage.begin(PoolId("p"), TransactionMode::read_only);
    FAIL() << "a third connection was opened";
  } catch (const RetryableStorageError& error) {
    FAIL() << "not a retryable error: " << error.what();
  } catch (const StorageError& error) {
    EXPECT_NE(std::string(error.what()).find("'" + path + "': all 2 connections busy for 100 ms"),
              std::string::npos)
        << error.what();
  }
  second.reset();
  EXPECT_NO_THROW((void)storage.begin(PoolId("p"), TransactionMode::read_write));
}

TEST_F(SqliteOpenTest, MeaninglessDiskSpaceOptionsAreRefusedByName) {
  const std::string path = directory.fresh_file();
  const auto refusal = [&](const SqliteOptions& options) -> std::string {
    try {
      SqliteStorage storage(options);
    } catch (const StorageError& error) {
      return error.what();
    }
    return "opened";
  };
  for (const int pages : {0, -1, -1000}) {
    SqliteOptions options{path};
    options.wal_autocheckpoint = pages;
    const std::string message = refusal(options);
    EXPECT_NE(message.find("'" + path + "': wal_autocheckpoint must be between 1 and"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("not " + std::to_string(pages)), std::string::npos) << message;
  }
  SqliteOptions too_many{path};
  too_many.wal_autocheckpoint = std::numeric_limits<int>::max();
  EXPECT_NE(refusal(too_many).find("wal_autocheckpoint"), std::string::npos);
  SqliteOptions negative_limit{path};
  negative_limit.journal_size_limit = -1;
  EXPECT_NE(refusal(negative_limit)
                .find("'" + path + "': journal_size_limit must be 0 bytes or more, not -1"),
            std::string::npos)
      << refusal(negative_limit);
  EXPECT_FALSE(std::filesystem::exists(path)) << "a refused option still created the file";
  // The smallest meaningful values open.
  SqliteOptions smallest{path};
  smallest.wal_autocheckpoint = 1;
  smallest.journal_size_limit = 0;
  EXPECT_EQ(refusal(smallest), "opened");
}

}  // namespace
}  // namespace highseas::test

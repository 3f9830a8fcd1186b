// A sick disk under SqliteStorage (issue 24): a full disk, a filesystem forced
// read-only, a file the process may not write. Each is a StorageError that
// names the file and says which it is; nothing a failed command did stays;
// after a full disk the same storage works again once a little space is freed
// (less than the ~4 MiB a default WAL wants), thanks to wal_autocheckpoint and
// journal_size_limit.
//
// The disk-full and read-only tests mount small filesystems of their own
// (scratch_mount.hpp): they skip where mounting is impossible, and fail under
// CI=true. Each takes well under a second.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <highseas/highseas.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <highseas/testing/invariants.hpp>
#include <highseas/testing/matchers.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checkpointer.hpp"
#include "diagnosis.hpp"
#include "scratch_mount.hpp"
#include "sqlite_handle.hpp"
#include "sqlite_raw.hpp"
#include "temp_directory.hpp"

namespace highseas::test {
namespace {

namespace fs = std::filesystem;
using sqlite_detail::WriteProblem;

constexpr std::uint32_t kCap = 1000;
const UserId kBoss("boss");
const std::vector<UserId> kReps{UserId("r1"), UserId("r2")};

// Options that keep the WAL small: checkpoints every 16 pages (64 KiB) and
// the WAL cut back to 64 KiB when it restarts.
SqliteOptions small_wal(const std::string& path, SqliteSynchronous synchronous) {
  SqliteOptions options{path};
  options.synchronous = synchronous;
  options.wal_autocheckpoint = 16;
  options.journal_size_limit = 64 * 1024;
  return options;
}

void write_filler(const fs::path& file, std::size_t bytes) {
  std::ofstream out(file, std::ios::binary);
  const std::string block(4096, 'x');
  for (std::size_t written = 0; written < bytes; written += block.size()) out << block;
  out.flush();
  ASSERT_TRUE(out.good()) << "could not write the filler " << file;
}

std::uintmax_t wal_bytes(const std::string& path) {
  std::error_code missing;
  const auto size = fs::file_size(path + "-wal", missing);
  return missing ? 0 : size;
}

void create_pool(PublicPool& pool) {
  ClaimPolicy rules;
  rules.max_holdings = kCap;
  // No cooldown: a released customer is claimed again at once, so the clock
  // need not move (moving it a month would let every other holding fall due).
  rules.reclaim_cooldown = Duration(0, 0, 0);
  rules.release_cooldown = Duration(0, 0, 0);
  ASSERT_HIGHSEAS_OK(pool.create(kBoss, rules));
  for (const UserId& rep : kReps) ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, rep, Role::pool_user));
}

// A batch of `size` customers with long names, so the disk fills in a few
// hundred commands.
std::vector<CustomerProfile> batch(int number, int size) {
  std::vector<CustomerProfile> customers;
  for (int i = 0; i < size; ++i) {
    const std::string id = "b" + std::to_string(number) + "-" + std::to_string(i);
    customers.push_back({CustomerId(id),
                         "Customer batch" + std::to_string(number) + "item" + std::to_string(i) +
                             " " + std::string(200, 'n'),
                         "DE",
                         "B",
                         {"filler"}});
  }
  return customers;
}

class SqliteDiskFullTest : public ::testing::TestWithParam<SqliteSynchronous> {
 protected:
  void SetUp() override { HIGHSEAS_REQUIRE_MOUNT(disk); }

  TempDirectory directory;
  ScratchMount disk = ScratchMount::tmpfs(directory.path() / "disk", 1536 * 1024);
};

// Fills a 1.5 MiB tmpfs with imports and claims until commands fail; every
// failure is a StorageError saying the disk is full, and leaves nothing;
// everything that succeeded is in the file. Then a filler file is deleted,
// freeing far less than a default WAL's 4 MiB but more than the WAL these
// options allow (README, "Free space for SQLite"): with synchronous full,
// wal_autocheckpoint pages; with normal, the checkpoint thread may fall behind
// until a commit checkpoints itself at 8 times that. The margin on top is for
// the database file, which the checkpoints grow. (512 KiB with normal, less
// than its bound, failed about one run in fifty.) The same storage object
// keeps working: a host keeps its storage for the life of its process, so
// recovery must not need a restart.
TEST_P(SqliteDiskFullTest, FailsCleanlyThenWorksAgainAfterFreeingLittleSpace) {
  const fs::path filler = disk.path() / "filler";
  const std::string path = (disk.path() / "pool.db").string();
  const bool full = GetParam() == SqliteSynchronous::full;
  constexpr std::size_t kPage = 4096;
  const int wal_pages = (full ? 1 : sqlite_detail::Checkpointer::kInlineFactor) *
                        small_wal(path, GetParam()).wal_autocheckpoint;
  const std::size_t wal_bound = static_cast<std::size_t>(wal_pages) * kPage;
  const std::size_t freed = wal_bound + 192 * 1024;
  write_filler(filler, freed);
  SqliteStorage storage(small_wal(path, GetParam()));
  ManualClock clock(utc(2026, 1, 1));
  PublicPool pool(PoolId("p"), storage, clock);
  create_pool(pool);

  std::set<std::string> imported;      // ids of imports that reported success
  std::set<std::string> not_imported;  // ids of imports that threw
  std::map<std::string, UserId> held;  // claims that reported success
  int failures = 0;
  int number = 0;
  for (; number < 2000 && failures < 12; ++number) {
    const auto customers = batch(number, 8);
    try {
      const auto report = pool.import_customers(kBoss, customers);
      ASSERT_HIGHSEAS_OK(report);
      for (const auto& customer : customers) imported.insert(customer.id.str());
    } catch (const StorageError& error) {
      ++failures;
      for (const auto& customer : customers) not_imported.insert(customer.id.str());
      EXPECT_NE(std::string(error.what())
                    .find("SQLite storage '" + path + "': the disk holding it is full"),
                std::string::npos)
          << error.what();
    }
    // A claim of an earlier import: its record and history grow the file too.
    if (number > 0 && imported.count("b" + std::to_string(number - 1) + "-0") != 0) {
      const CustomerId target("b" + std::to_string(number - 1) + "-0");
      const UserId& rep = kReps[static_cast<std::size_t>(number) % kReps.size()];
      try {
        ASSERT_HIGHSEAS_OK(pool.claim(rep, target));
        held.emplace(target.str(), rep);
      } catch (const StorageError& error) {
        ++failures;
        EXPECT_NE(std::string(error.what()).find("the disk holding it is full"), std::string::npos)
            << error.what();
      }
    }
  }
  ASSERT_GT(failures, 0) << "the disk never filled in " << number << " batches";
  ASSERT_FALSE(imported.empty());
  SCOPED_TRACE(std::to_string(imported.size()) + " customers imported before the disk filled");

  // While the disk is full: the file holds exactly what reported success.
  const auto in_file = all_customer_ids(path, "p");
  std::set<std::string> stored;
  for (const auto& id : in_file) stored.insert(id.str());
  for (const auto& id : imported) EXPECT_EQ(stored.count(id), 1U) << id << " was lost";
  for (const auto& id : not_imported) EXPECT_EQ(stored.count(id), 0U) << id << " half-applied";
  EXPECT_EQ(stored.size(), imported.size());
  // Queries still answer, and a second storage opened on the full disk sees
  // the same holders and sound invariants.
  {
    SqliteStorage reopened(small_wal(path, GetParam()));
    PublicPool again(PoolId("p"), reopened, clock);
    for (const auto& [id, rep] : held) {
      const auto customer = again.customer(kBoss, CustomerId(id));
      ASSERT_HIGHSEAS_OK(customer);
      EXPECT_EQ(customer->holder, rep) << id;
    }
    EXPECT_TRUE(highseas::testing::pool_invariants_hold(again, kBoss, in_file, kReps, kCap));
  }

  // Free the filler. The same storage must carry on: releases, claims and a
  // small import, more WAL traffic than the space freed.
  fs::remove(filler);
  std::vector<CustomerId> targets;
  for (const auto& [id, rep] : held) targets.emplace_back(id);
  ASSERT_FALSE(targets.empty());
  std::uintmax_t largest_wal = 0;
  for (int round = 0; round < 60; ++round) {
    const CustomerId& target = targets[static_cast<std::size_t>(round) % targets.size()];
    try {
      ASSERT_HIGHSEAS_OK(pool.release(kBoss, target));
      ASSERT_HIGHSEAS_OK(pool.claim(kReps[0], target));
      largest_wal = std::max(largest_wal, wal_bytes(path));
    } catch (const StorageError& error) {
      FAIL() << "round " << round << " after freeing " << freed << " bytes (WAL " << wal_bytes(path)
             << " bytes): " << error.what();
    }
  }
  try {
    ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch(9999, 2)));
  } catch (const StorageError& error) {
    FAIL() << "import after freeing " << freed << " bytes: " << error.what();
  }
  // The bound above holds, give or take one command's pages and frame headers.
  EXPECT_LE(largest_wal, wal_bound + 64U * 1024);
  if (full) {
    EXPECT_LE(wal_bytes(path), 128U * 1024) << "the WAL kept its high-water mark";
  }
  EXPECT_EQ(integrity_check(path), "ok");
  auto ids = all_customer_ids(path, "p");
  EXPECT_EQ(ids.size(), imported.size() + 2);
  EXPECT_TRUE(highseas::testing::pool_invariants_hold(pool, kBoss, ids, kReps, kCap));
}

INSTANTIATE_TEST_SUITE_P(Synchronous, SqliteDiskFullTest,
                         ::testing::Values(SqliteSynchronous::full, SqliteSynchronous::normal),
                         [](const auto& info) {
                           return info.param == SqliteSynchronous::full ? "Full" : "Normal";
                         });

// The open-time check on a tmpfs remounted read-only. (A remount to ro is
// refused with EBUSY while the storage has its files open for writing, so
// the storage is closed first; the forced case is the ext4 test below.)
TEST(SqliteReadOnlyFilesystemTest, OpeningOnAReadOnlyMountNamesTheFilesystem) {
  TempDirectory directory;
  ScratchMount disk = ScratchMount::tmpfs(directory.path() / "disk", 1024 * 1024);
  HIGHSEAS_REQUIRE_MOUNT(disk);
  const std::string path = (disk.path() / "pool.db").string();
  {
    SqliteStorage storage(SqliteOptions{path});
    ManualClock clock;
    PublicPool pool(PoolId("p"), storage, clock);
    create_pool(pool);
    EXPECT_EQ(disk.remount(MS_RDONLY, nullptr), std::strerror(EBUSY))
        << "the kernel let a filesystem with files open for writing go read-only";
  }
  ASSERT_EQ(disk.remount(MS_RDONLY, nullptr), "");
  try {
    SqliteStorage storage(SqliteOptions{path});
    FAIL() << "opened a database on a read-only filesystem";
  } catch (const StorageError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("SQLite storage '" + path +
                        "': the filesystem holding it is mounted "
                        "read-only"),
              std::string::npos)
        << error.what();
    EXPECT_EQ(std::string(error.what()).find("permission"), std::string::npos) << error.what();
  }
}

// An open storage whose filesystem the kernel forces read-only, as ext4 does
// after a disk error (`remount,abort` triggers the same): the next command is
// a StorageError naming the read-only filesystem, not the file's permissions,
// and nothing changed.
TEST(SqliteReadOnlyFilesystemTest, AForcedReadOnlyFilesystemIsNamedAtTheNextCommand) {
  TempDirectory directory;
  const fs::path image = directory.path() / "ext4.img";
  std::ofstream(image).close();
  ScratchMount disk = ScratchMount::ext4(image, directory.path() / "disk", 8 * 1024 * 1024);
  HIGHSEAS_REQUIRE_MOUNT(disk);
  const std::string path = (disk.path() / "pool.db").string();
  SqliteStorage storage(small_wal(path, SqliteSynchronous::full));
  ManualClock clock(utc(2026, 1, 1));
  PublicPool pool(PoolId("p"), storage, clock);
  create_pool(pool);
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, batch(0, 4)));
  ASSERT_HIGHSEAS_OK(pool.claim(kReps[0], CustomerId("b0-0")));

  ASSERT_EQ(disk.remount(0, "abort"), "");
  for (int attempt = 0; attempt < 2; ++attempt) {  // the first, and one on a reused connection
    try {
      (void)pool.claim(kReps[1], CustomerId("b0-1"));
      FAIL() << "a claim succeeded on a filesystem forced read-only";
    } catch (const StorageError& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find("SQLite storage '" + path +
                             "': the filesystem holding it is mounted read-only"),
                std::string::npos)
          << message;
      EXPECT_EQ(message.find("permission"), std::string::npos) << message;
    }
  }
  // Reads still answer, from what was committed.
  const auto customer = pool.customer(kBoss, CustomerId("b0-1"));
  ASSERT_HIGHSEAS_OK(customer);
  EXPECT_EQ(customer->state, CustomerState::available);
  const auto held = pool.customer(kBoss, CustomerId("b0-0"));
  ASSERT_HIGHSEAS_OK(held);
  EXPECT_EQ(held->holder, kReps[0]);
}

// The classification itself, for what a test cannot provoke as root (root
// writes whatever the modes say) or at all (EDQUOT): errno values, and a
// file without write permission seen by an unprivileged child.
TEST(SqliteWriteProblemTest, ErrnoValuesNameTheirCause) {
  using sqlite_detail::problem_from_errno;
  EXPECT_EQ(problem_from_errno(EROFS), WriteProblem::read_only_filesystem);
  EXPECT_EQ(problem_from_errno(EACCES), WriteProblem::no_permission);
  EXPECT_EQ(problem_from_errno(EPERM), WriteProblem::no_permission);
  EXPECT_EQ(problem_from_errno(ENOSPC), WriteProblem::disk_full);
  EXPECT_EQ(problem_from_errno(EDQUOT), WriteProblem::disk_full);
  EXPECT_EQ(problem_from_errno(EIO), WriteProblem::none);
  EXPECT_EQ(problem_from_errno(0), WriteProblem::none);
  // Each cause reads differently, and none blames the other's remedy.
  const std::string read_only = sqlite_detail::explain(WriteProblem::read_only_filesystem);
  const std::string permission = sqlite_detail::explain(WriteProblem::no_permission);
  EXPECT_NE(read_only.find("mounted read-only"), std::string::npos);
  EXPECT_EQ(read_only.find("permission"), std::string::npos);
  EXPECT_NE(permission.find("no permission to write the file"), std::string::npos);
  EXPECT_NE(sqlite_detail::explain(WriteProblem::disk_full).find("the disk holding it is full"),
            std::string::npos);
  EXPECT_EQ(sqlite_detail::explain(WriteProblem::none), "");
}

std::string error_message(int rc, const std::string& path) {
  try {
    sqlite_detail::throw_error(nullptr, rc, path, "running \"COMMIT\"");
  } catch (const StorageError& error) {
    return error.what();
  }
}

TEST(SqliteWriteProblemTest, SqliteCodesWithoutAnErrnoAreDiagnosedFromTheFile) {
  TempDirectory directory;
  const std::string path = directory.fresh_file();
  std::ofstream(path).close();
  EXPECT_NE(error_message(SQLITE_FULL, path)
                .find("SQLite storage '" + path + "': the disk holding it is full"),
            std::string::npos);
  // A writable file on a writable filesystem: SQLite's own words only.
  EXPECT_EQ(error_message(SQLITE_READONLY, path),
            "SQLite storage '" + path +
                "': running \"COMMIT\": attempt to write a readonly database (SQLite code 8)");

  // The file without write permission, seen by a process that is not root.
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  fs::permissions(directory.path(), fs::perms(0755));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::geteuid() == 0 && ::setuid(65534) != 0) ::_exit(3);
    const std::string message = error_message(SQLITE_READONLY, path);
    const bool clear =
        message.find("'" + path + "': no permission to write the file") != std::string::npos &&
        message.find("read-only") == std::string::npos;
    if (!clear) std::fprintf(stderr, "%s\n", message.c_str());
    ::_exit(clear ? 0 : 2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: unclear message, 3: setuid";
}

}  // namespace
}  // namespace highseas::test

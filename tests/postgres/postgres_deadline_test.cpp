// A sick PostgreSQL server costs a command at most its command_timeout: a
// server that accepts connections and never answers, a statement stuck behind
// a lock, a COMMIT that gets no answer. Nothing here stops the shared test
// server; the fault suite (postgres_fault_test) restarts and stops its own.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "admin_connection.hpp"
#include "highseas/clock.hpp"
#include "highseas/postgres/postgres_storage.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/testing/matchers.hpp"
#include "postgres_test_env.hpp"
#include "storage_impl.hpp"

namespace highseas {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const UserId kBoss("boss");
const UserId kRep("rep");
const PoolId kPool("p");

// A TCP port on 127.0.0.1 that completes the handshake (the kernel's backlog)
// and then never says a word: a hung server, as a client sees one.
class SilentServer {
 public:
  SilentServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), size) != 0 || ::listen(fd_, 16) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
      ADD_FAILURE() << "cannot listen on 127.0.0.1";
    }
    port_ = ntohs(address.sin_port);
  }
  ~SilentServer() { ::close(fd_); }
  SilentServer(const SilentServer&) = delete;
  SilentServer& operator=(const SilentServer&) = delete;

  // Returns a connection string to it (no TLS or GSS: the first message the
  // client waits for is the server's authentication request).
  std::string uri() const {
    return "postgresql://highseas@127.0.0.1:" + std::to_string(port_) +
           "/db?sslmode=disable&gssencmode=disable";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Options for a pool on the test server, with a short command_timeout and
// the server-side timeouts off unless a test turns them on.
PostgresOptions quick_options(const std::string& uri, const std::string& app) {
  PostgresOptions options{test::with_parameter(uri, "application_name=" + app),
                          test::fresh_schema()};
  options.command_timeout = 800ms;
  options.statement_timeout = 0ms;
  options.lock_timeout = 0ms;
  return options;
}

// Holds a table lock on the admin connection until released or `limit`
// passes, so that a test never hangs even when the library does.
class TableLock {
 public:
  TableLock(const std::string& uri, const std::string& table, const std::string& mode,
            std::chrono::milliseconds limit)
      : admin_(uri) {
    EXPECT_EQ(admin_.query("BEGIN"), "");
    EXPECT_EQ(admin_.query("LOCK TABLE " + table + " IN " + mode + " MODE"), "");
    watchdog_ = std::async(std::launch::async, [this, limit] {
      std::unique_lock lock(mutex_);
      released_.wait_for(lock, limit, [this] { return done_; });
      admin_.query("ROLLBACK");
    });
  }
  ~TableLock() { release(); }
  TableLock(const TableLock&) = delete;
  TableLock& operator=(const TableLock&) = delete;

  // Lets the blocked statements go on.
  void release() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    released_.notify_all();
    if (watchdog_.valid()) watchdog_.get();
  }

 private:
  test::AdminConnection admin_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool done_ = false;
  std::future<void> watchdog_;
};

// A pool with a boss, a rep and one available customer "c1".
void populate(PublicPool& pool) {
  ASSERT_HIGHSEAS_OK(pool.create(kBoss));
  ASSERT_HIGHSEAS_OK(pool.set_member(kBoss, kRep, Role::pool_user));
  const std::vector<CustomerProfile> customers{
      CustomerProfile{CustomerId("c1"), "Lisboa Ceramics Lda", "PT", "A", {}}};
  ASSERT_HIGHSEAS_OK(pool.import_customers(kBoss, customers));
}

TEST(PostgresDeadline, OptionsOutOfRangeAreRefusedByName) {
  const auto refused = [](const PostgresOptions& options, const std::string& name) {
    try {
      PostgresStorage storage(options);
      ADD_FAILURE() << name << " was accepted";
    } catch (const StorageError& error) {
      EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
    }
  };
  // Checked before connecting: no server needed.
  const PostgresOptions base{"postgresql:///none?host=/nonexistent-dir", "x"};
  PostgresOptions options = base;
  options.command_timeout = 0ms;
  refused(options, "command_timeout");
  options = base;
  options.connect_timeout = -1ms;
  refused(options, "connect_timeout");
  options = base;
  options.lock_timeout = -5ms;
  refused(options, "lock_timeout");
  options = base;
  options.keepalive_count = 0;
  refused(options, "keepalive_count");
}

TEST(PostgresDeadline, AServerThatNeverAnswersCostsAtMostTheCommandTimeout) {
  const SilentServer server;
  PostgresOptions options{server.uri(), "x"};
  options.connect_timeout = 300ms;   // each attempt
  options.command_timeout = 1000ms;  // all of them: the server might be restarting
  for (const bool clock : {false, true}) {
    const auto start = Clock::now();
    try {
      if (clock) {
        PostgresClock never(options);
      } else {
        PostgresStorage never(options);
      }
      ADD_FAILURE() << "connected to a server that never answers";
    } catch (const StorageError& error) {
      EXPECT_NE(std::string(error.what()).find("cannot connect: the server did not answer"),
                std::string::npos)
          << error.what();
    }
    const auto took = Clock::now() - start;
    EXPECT_GE(took, 600ms);  // more than one attempt
    EXPECT_LT(took, 1000ms + 1500ms);
  }
}

TEST(PostgresDeadline, AStatementStuckPastTheDeadlineFailsThereAndAppliesNothing) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const PostgresOptions options = quick_options(uri, test::fresh_schema("stuck"));
  PostgresStorage storage(options);
  ManualClock clock;
  PublicPool pool(kPool, storage, clock);
  populate(pool);
  test::AdminConnection admin(uri);
  {
    // Nobody may even read customers: the claim's first lock waits forever,
    // with neither statement_timeout nor lock_timeout to end it.
    TableLock lock(uri, admin.quote(options.schema) + ".customers", "ACCESS EXCLUSIVE", 10s);
    const auto start = Clock::now();
    try {
      (void)pool.claim(kRep, CustomerId("c1"));
      ADD_FAILURE() << "the claim went through a table nobody may read";
    } catch (const CommitOutcomeUnknown& error) {
      ADD_FAILURE() << "no COMMIT was sent, yet: " << error.what();
    } catch (const StorageError& error) {
      EXPECT_NE(std::string(error.what()).find("did not answer within 800 ms"), std::string::npos)
          << error.what();
    }
    const auto took = Clock::now() - start;
    EXPECT_GE(took, 800ms);
    EXPECT_LT(took, 800ms + 1500ms);
  }
  // The server rolled the claim back with its closed connection.
  auto after = pool.customer(kBoss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(after);
  EXPECT_EQ(after->state, CustomerState::available);
  EXPECT_HIGHSEAS_OK(pool.claim(kRep, CustomerId("c1")));
}

TEST(PostgresDeadline, ALockWaitEndsAtLockTimeoutAndIsRetriedUntilTheDeadline) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  PostgresOptions options = quick_options(uri, test::fresh_schema("lock"));
  options.lock_timeout = 200ms;
  PostgresStorage storage(options);
  ManualClock clock;
  PublicPool pool(kPool, storage, clock);
  populate(pool);
  test::AdminConnection admin(uri);
  TableLock lock(uri, admin.quote(options.schema) + ".customers", "ACCESS EXCLUSIVE", 10s);
  const auto start = Clock::now();
  try {
    (void)pool.claim(kRep, CustomerId("c1"));
    ADD_FAILURE() << "the claim went through a table nobody may read";
  } catch (const CommitOutcomeUnknown& error) {
    ADD_FAILURE() << "no COMMIT was sent, yet: " << error.what();
  } catch (const StorageError& error) {
    // Either the retries ran out of time after a lock timeout, or the
    // deadline cut the last attempt's lock wait short.
    const std::string message = error.what();
    const bool gave_up = message.find("did not complete within 800 ms") != std::string::npos &&
                         message.find("lock timeout") != std::string::npos;
    const bool cut_short = message.find("did not answer within 800 ms") != std::string::npos;
    EXPECT_TRUE(gave_up || cut_short) << message;
  }
  const auto took = Clock::now() - start;
  EXPECT_GE(took, 600ms);  // retried, not given up at the first lock timeout
  EXPECT_LT(took, 800ms + 1500ms);
}

TEST(PostgresDeadline, ACommitThatGetsNoAnswerIsReportedAsOutcomeUnknown) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const PostgresOptions options = quick_options(uri, test::fresh_schema("commit"));
  PostgresStorage storage(options);
  ManualClock clock;
  PublicPool pool(kPool, storage, clock);
  populate(pool);
  test::AdminConnection admin(uri);
  {
    // The claim's history row travels with its COMMIT, and waits for this lock.
    TableLock lock(uri, admin.quote(options.schema) + ".history", "EXCLUSIVE", 10s);
    EXPECT_THROW((void)pool.claim(kRep, CustomerId("c1")), CommitOutcomeUnknown);
  }
  // The server had the whole pipeline, COMMIT included: it may well apply it
  // once the lock is gone, which is why PublicPool did not retry. Whatever it
  // did, it did all of it or nothing.
  const std::string schema = admin.quote(options.schema);
  for (int i = 0; i < 100; ++i) {
    if (admin.query("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE "
                    "'commit%' AND state = 'active'") == "0") {
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  auto after = pool.customer(kBoss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(after);
  auto history = pool.history(kBoss, CustomerId("c1"));
  ASSERT_HIGHSEAS_OK(history);
  const bool held = after->state == CustomerState::held;
  EXPECT_EQ(history->size(), held ? 2u : 1u);  // the import, and the claim if applied
  auto holdings = pool.holdings(kRep, kRep);
  ASSERT_HIGHSEAS_OK(holdings);
  EXPECT_EQ(holdings->size(), held ? 1u : 0u);
}

TEST(PostgresDeadline, ThePoolNeverOpensMoreConnectionsThanTheServerAccepts) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  test::AdminConnection admin(uri);
  const int accepted =
      std::stoi(admin.query("SELECT current_setting('max_connections')::int - "
                            "current_setting('superuser_reserved_connections')::int"));
  PostgresOptions options{uri, test::fresh_schema()};
  options.max_connections = 100000;
  PostgresStorage::Impl storage(options);
  EXPECT_EQ(storage.connection_cap(), static_cast<std::size_t>(accepted - 1));
  options.max_connections = 3;
  PostgresStorage::Impl small(options);
  EXPECT_EQ(small.connection_cap(), 3u);
}

TEST(PostgresDeadline, TheClockAsksAgainOnANewConnectionAfterItsSessionIsKilled) {
  HIGHSEAS_REQUIRE_POSTGRES(uri);
  const std::string app = test::fresh_schema("clock");
  PostgresClock clock({test::with_parameter(uri, "application_name=" + app)}, seconds(0));
  const Time before = clock.now();
  test::AdminConnection admin(uri);
  ASSERT_EQ(admin.kill_sessions(app), "1");
  Time after;
  ASSERT_NO_THROW(after = clock.now());
  EXPECT_GE(after, before);
  EXPECT_EQ(admin.kill_sessions(app), "1");  // on a new session
}

}  // namespace
}  // namespace highseas

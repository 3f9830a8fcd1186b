// ConnectionPool (src/sql), the bounded pool both SQL storages use: the cap,
// the wait and its message, FIFO hand-over, reuse and the slots of
// connections that failed to open or were closed.
#include "sql/connection_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <highseas/storage.hpp>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace highseas::sql {
namespace {

using namespace std::chrono_literals;

struct FakeConnection {
  int number = 0;
  bool healthy = true;
};

struct Opener {
  std::atomic<int> opened{0};
  std::atomic<bool> fail{false};
  std::atomic<bool> server_full{false};
  std::unique_ptr<FakeConnection> operator()() {
    if (fail) throw StorageError("cannot connect");
    if (server_full) throw RetryableStorageError("cannot connect: too many clients");
    return std::make_unique<FakeConnection>(FakeConnection{++opened});
  }
};

ConnectionPool<FakeConnection> make_pool(Opener& opener, std::size_t cap,
                                         std::chrono::milliseconds wait) {
  return ConnectionPool<FakeConnection>(
      {cap, wait}, "test storage", [&opener](Deadline) { return opener(); },
      [](const FakeConnection& connection) { return connection.healthy; });
}

TEST(ConnectionPoolTest, ReusesAnIdleConnection) {
  Opener opener;
  auto pool = make_pool(opener, 4, 1s);
  auto first = pool.acquire();
  pool.release(std::move(first));
  auto again = pool.acquire();
  EXPECT_EQ(again->number, 1);
  EXPECT_EQ(opener.opened, 1);
  pool.release(std::move(again));
}

TEST(ConnectionPoolTest, ACallerBeyondTheCapGetsAClearErrorAfterTheWait) {
  Opener opener;
  auto pool = make_pool(opener, 2, 50ms);
  auto a = pool.acquire();
  auto b = pool.acquire();
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)pool.acquire();
    FAIL() << "a third connection was opened";
  } catch (const StorageError& error) {
    EXPECT_NE(std::string(error.what()).find("test storage: all 2 connections busy for 50 ms"),
              std::string::npos)
        << error.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  EXPECT_EQ(opener.opened, 2);
  pool.release(std::move(a));
  auto c = pool.acquire();  // the slot freed by a
  EXPECT_EQ(c->number, 1);
  pool.release(std::move(b));
  pool.release(std::move(c));
}

TEST(ConnectionPoolTest, ACommandsDeadlineEndsTheWaitBeforeConnectionWait) {
  Opener opener;
  auto pool = make_pool(opener, 1, 10s);
  auto held = pool.acquire();
  const auto start = std::chrono::steady_clock::now();
  try {
    (void)pool.acquire(start + 50ms);
    FAIL() << "a second connection was opened";
  } catch (const StorageError& error) {
    EXPECT_NE(std::string(error.what()).find("busy until the command's deadline"),
              std::string::npos)
        << error.what();
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, 50ms);
  EXPECT_LT(waited, 5s);  // the deadline, not connection_wait, ended it
  pool.release(std::move(held));
}

TEST(ConnectionPoolTest, AWaitingCallerGetsTheConnectionWhenItIsReleased) {
  Opener opener;
  auto pool = make_pool(opener, 1, 5s);
  auto held = pool.acquire();
  std::thread waiter([&] {
    auto connection = pool.acquire();
    EXPECT_EQ(connection->number, 1);
    pool.release(std::move(connection));
  });
  std::this_thread::sleep_for(20ms);
  pool.release(std::move(held));
  waiter.join();
  EXPECT_EQ(opener.opened, 1);
}

TEST(ConnectionPoolTest, WaitersAreServedInArrivalOrder) {
  Opener opener;
  auto pool = make_pool(opener, 1, 5s);
  auto held = pool.acquire();
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int i = 0; i < 4; ++i) {
    waiters.emplace_back([&, i] {
      auto connection = pool.acquire();
      {
        const std::lock_guard lock(order_mutex);
        order.push_back(i);
      }
      pool.release(std::move(connection));
    });
    std::this_thread::sleep_for(30ms);  // line them up one by one
  }
  pool.release(std::move(held));
  for (std::thread& waiter : waiters) waiter.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3}));
}

TEST(ConnectionPoolTest, NeverMoreThanTheCapInUse) {
  Opener opener;
  auto pool = make_pool(opener, 3, 10s);
  std::atomic<int> in_use{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto connection = pool.acquire();
        const int now = ++in_use;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --in_use;
        pool.release(std::move(connection));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_LE(opener.opened.load(), 3);
}

TEST(ConnectionPoolTest, AFailedOpenOrAClosedConnectionFreesItsSlot) {
  Opener opener;
  auto pool = make_pool(opener, 1, 50ms);
  opener.fail = true;
  EXPECT_THROW((void)pool.acquire(), StorageError);
  opener.fail = false;
  auto connection = pool.acquire();
  pool.release(nullptr);  // closed by its user
  connection = pool.acquire();
  EXPECT_EQ(connection->number, 2);
  pool.release(std::move(connection));
}

TEST(ConnectionPoolTest, WhenTheServerIsFullACallerWaitsForOneOfThePoolsOwnConnections) {
  Opener opener;
  auto pool = make_pool(opener, 4, 2s);
  auto held = pool.acquire();
  opener.server_full = true;  // other app servers took every other server connection
  std::unique_ptr<FakeConnection> got;
  std::thread caller([&] {
    try {
      got = pool.acquire();
    } catch (const StorageError&) {  // what the pool did before: racing for a new one
    }
  });
  std::this_thread::sleep_for(50ms);
  pool.release(std::move(held));
  caller.join();
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(got->number, 1) << "the connection handed back";
  pool.release(std::move(got));
}

TEST(ConnectionPoolTest, WhenTheServerIsFullAPoolWithoutConnectionsFailsAtOnce) {
  Opener opener;
  auto pool = make_pool(opener, 4, 2s);
  opener.server_full = true;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW((void)pool.acquire(), RetryableStorageError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "nothing of its own to wait for";
  // One that was open and then closed by its user is not waited for either.
  opener.server_full = false;
  auto closed = pool.acquire();
  pool.release(nullptr);
  opener.server_full = true;
  EXPECT_THROW((void)pool.acquire(), RetryableStorageError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(ConnectionPoolTest, AnUnusableIdleConnectionIsReplaced) {
  Opener opener;
  auto pool = make_pool(opener, 2, 1s);
  auto connection = pool.acquire();
  connection->healthy = false;
  pool.release(std::move(connection));
  connection = pool.acquire();
  EXPECT_EQ(connection->number, 2);
  pool.release(std::move(connection));
}

TEST(ConnectionPoolTest, NonsenseLimitsAreRefused) {
  Opener opener;
  EXPECT_THROW(make_pool(opener, 0, 1s), StorageError);
  EXPECT_THROW(make_pool(opener, 1, -1ms), StorageError);
}

}  // namespace
}  // namespace highseas::sql

// The event sequencer on its own: commit order whatever order batches arrive
// in, a slot that throws, a slot that publishes from inside an emission.
#include "highseas_inl/core/event_sequencer.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace highseas::detail {
namespace {

using Batch = EventSequencer::Batch;

Batch record(std::vector<int>& log, std::initializer_list<int> values) {
  Batch batch;
  for (const int value : values) batch.emplace_back([&log, value] { log.push_back(value); });
  return batch;
}

TEST(EventSequencerTest, BatchesHandedInOutOfOrderAreEmittedInTicketOrder) {
  EventSequencer sequencer;
  std::vector<int> log;
  const auto first = sequencer.take_ticket();
  const auto second = sequencer.take_ticket();
  const auto third = sequencer.take_ticket();
  sequencer.publish(third, record(log, {30, 31}));
  sequencer.publish(second, record(log, {20}));
  EXPECT_TRUE(log.empty());  // both wait for the first ticket
  sequencer.publish(first, record(log, {10}));
  EXPECT_EQ(log, (std::vector<int>{10, 20, 30, 31}));
}

TEST(EventSequencerTest, AnEmptyBatchOfAFailedCommitLetsLaterOnesThrough) {
  EventSequencer sequencer;
  std::vector<int> log;
  const auto failed = sequencer.take_ticket();
  const auto next = sequencer.take_ticket();
  sequencer.publish(next, record(log, {2}));
  sequencer.publish(failed, {});
  EXPECT_EQ(log, std::vector<int>{2});
}

TEST(EventSequencerTest, AThrowingSlotPropagatesAndTheNextPublisherCarriesOn) {
  EventSequencer sequencer;
  std::vector<int> log;
  Batch throwing;
  throwing.emplace_back([] { throw std::runtime_error("slot failed"); });
  const auto first = sequencer.take_ticket();
  const auto second = sequencer.take_ticket();
  sequencer.publish(second, record(log, {2}));
  EXPECT_THROW(sequencer.publish(first, std::move(throwing)), std::runtime_error);
  EXPECT_TRUE(log.empty());  // the parked batch waits for the next publisher
  sequencer.publish(sequencer.take_ticket(), record(log, {3}));
  EXPECT_EQ(log, (std::vector<int>{2, 3}));
}

TEST(EventSequencerTest, ASlotThatPublishesIsEmittedAfterItReturns) {
  EventSequencer sequencer;
  std::vector<std::string> log;
  Batch outer;
  outer.emplace_back([&] {
    log.push_back("outer begins");
    Batch inner;
    inner.emplace_back([&] { log.push_back("inner"); });
    sequencer.publish(sequencer.take_ticket(), std::move(inner));
    log.push_back("outer ends");
  });
  sequencer.publish(sequencer.take_ticket(), std::move(outer));
  EXPECT_EQ(log, (std::vector<std::string>{"outer begins", "outer ends", "inner"}));
}

TEST(EventSequencerTest, ManyThreadsPublishingSeeEveryBatchOnceInOrder) {
  EventSequencer sequencer;
  std::vector<int> log;
  std::mutex ticket_mutex;  // stands in for the storage serialising commits
  std::vector<std::thread> threads;
  constexpr int kThreads = 4;
  constexpr int kEach = 500;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        std::uint64_t ticket = 0;
        {
          const std::lock_guard lock(ticket_mutex);
          ticket = sequencer.take_ticket();
        }
        Batch batch;
        batch.emplace_back([&log, ticket] { log.push_back(static_cast<int>(ticket)); });
        sequencer.publish(ticket, std::move(batch));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(log.size(), static_cast<std::size_t>(kThreads * kEach));
  for (std::size_t i = 0; i < log.size(); ++i) ASSERT_EQ(log[i], static_cast<int>(i));
}

}  // namespace
}  // namespace highseas::detail

// The demo is deterministic (same seed, same summary and chart) and its
// tallies, taken from events, agree with what the pool's queries say.
#include "demo/demo.hpp"

#include <gtest/gtest.h>

#include <highseas/highseas.hpp>
#include <numeric>

namespace highseas::demo {
namespace {

DemoOptions short_quarter(std::uint64_t seed) {
  DemoOptions options;
  options.seed = seed;
  options.days = 35;  // crosses one mid-quarter import and several deadlines
  options.customers = 600;
  return options;
}

TEST(DemoTest, SameSeedGivesTheSameSummaryAndChart) {
  MemoryStorage first_storage;
  MemoryStorage second_storage;
  const DemoResult first = run_demo(first_storage, short_quarter(7));
  const DemoResult second = run_demo(second_storage, short_quarter(7));
  EXPECT_EQ(summary_text(first), summary_text(second));
  EXPECT_EQ(chart_svg(first), chart_svg(second));

  MemoryStorage other_storage;
  const DemoResult other = run_demo(other_storage, short_quarter(8));
  EXPECT_NE(summary_text(first), summary_text(other));
}

TEST(DemoTest, TalliesAgreeWithThePoolAndTheStoryHappens) {
  MemoryStorage storage;
  const DemoResult result = run_demo(storage, short_quarter(3));
  ASSERT_EQ(result.days.size(), 36U);
  const DaySnapshot& last = result.days.back();
  EXPECT_EQ(std::accumulate(last.held_by_rep.begin(), last.held_by_rep.end(), std::size_t{0}),
            last.held);

  ManualClock clock(demo_end(35));
  PublicPool pool(PoolId("demo"), storage, clock);
  const UserId boss("boss");
  std::size_t available = 0;
  AvailableQuery query;
  query.limit = PublicPool::kMaxPage;
  for (;;) {
    auto page = pool.available(boss, query);
    ASSERT_TRUE(page.ok());
    available += page->customers.size();
    if (!page->next) break;
    query.after = page->next;
  }
  EXPECT_EQ(available, last.available);
  for (std::size_t r = 0; r < result.team.size(); ++r) {
    EXPECT_EQ(pool.holdings(boss, result.team[r].user)->size(), result.stats[r].held_now);
    EXPECT_LE(result.stats[r].held_now, result.policy.max_holdings);
  }
  std::size_t won = 0;
  std::size_t returned = 0;
  std::size_t cooldowns = 0;
  for (const RepStats& stats : result.stats) {
    won += stats.won;
    returned += stats.returned;
    cooldowns += stats.cooldown_refusals;
  }
  EXPECT_EQ(won, last.won);
  EXPECT_GT(won, 0U);
  EXPECT_GT(returned, 0U);   // some reps lose customers to the deadline
  EXPECT_GT(cooldowns, 0U);  // ... and the cooldown stops them re-taking them
  // The most skilled rep wins more than the least skilled one.
  EXPECT_GT(result.stats.front().won, result.stats.back().won);
  ASSERT_EQ(result.imports.size(), 2U);
  EXPECT_GT(result.imports[1].collisions, 0U);  // the day-30 list repeats known names (撞单)
}

}  // namespace
}  // namespace highseas::demo

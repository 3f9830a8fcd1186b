// The header-only variant (HighSeas::highseas_header_only): the same engine,
// every definition pulled in by the public headers. Links no HighSeas library.
#include <gtest/gtest.h>

#include <vector>

#include "highseas/highseas.hpp"

#ifndef HIGHSEAS_HEADER_ONLY
#error "this test must be built against HighSeas::highseas_header_only"
#endif

namespace highseas {
namespace {

TEST(HeaderOnlyTest, ClaimsReturnsAndAnnouncesLikeTheCompiledEngine) {
  MemoryStorage storage;
  ManualClock clock(utc(2026, 3, 1));
  PublicPool pool(PoolId("eu"), storage, clock);
  ASSERT_TRUE(pool.create(UserId("boss")).ok());
  ASSERT_TRUE(pool.set_member(UserId("boss"), UserId("li.wei"), Role::pool_user).ok());
  const std::vector<CustomerProfile> batch{{CustomerId("CU1"), "Acme Ltda", "BR", "A", {}}};
  ASSERT_TRUE(pool.import_customers(UserId("boss"), batch).ok());

  std::vector<CustomerId> returned;
  const ScopedConnection watch =
      pool.events().returned.connect([&](const Returned& e) { returned.push_back(e.customer); });
  ASSERT_TRUE(pool.claim(UserId("li.wei"), CustomerId("CU1")).ok());
  clock.advance(days(30));
  auto sweep = pool.sweep();
  ASSERT_TRUE(sweep.ok());
  EXPECT_EQ(sweep->returned.size(), 1U);
  EXPECT_EQ(returned, std::vector<CustomerId>{CustomerId("CU1")});
  EXPECT_EQ(pool.claim(UserId("li.wei"), CustomerId("CU1")).code(), RefusalCode::cooldown);
  EXPECT_EQ(to_iso8601(clock.now()), "2026-03-31T00:00:00Z");
}

}  // namespace
}  // namespace highseas

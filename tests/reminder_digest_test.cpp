// digest(): a day's reminders grouped per recipient and local day of the
// pool's zone, most pressing deadline first, one line per customer.
#include <gtest/gtest.h>

#include <highseas/reminder_digest.hpp>
#include <vector>

namespace highseas {
namespace {

ReminderDue sent(const char* customer, const char* holder, Time at, Time deadline,
                 Reminder reminder, std::vector<UserId> audience) {
  ReminderDue event;
  event.at = at;
  event.customer = CustomerId(customer);
  event.holder = UserId(holder);
  event.previous_holder = event.holder;
  event.deadline = deadline;
  event.reminder = reminder;
  event.time_left = deadline - at;
  event.audience = std::move(audience);
  return event;
}

TEST(ReminderDigestTest, GroupsByRecipientAndLocalDayMostPressingFirst) {
  const UserId ana{"ana"};
  const UserId lead{"lead"};
  const Reminder week{days(7), ReminderAudience::holder};
  const Reminder three{days(3), ReminderAudience::admins};
  const Reminder one{days(1), ReminderAudience::admins};
  // São Paulo is UTC-3: 02:00 UTC on the 10th is still the 9th there.
  const std::vector<ReminderDue> events{
      sent("c1", "ana", utc(2026, 3, 10, 2), utc(2026, 3, 17), week, {ana}),
      sent("c2", "ana", utc(2026, 3, 10, 12), utc(2026, 3, 13), three, {ana, lead}),
      sent("c3", "ana", utc(2026, 3, 10, 13), utc(2026, 3, 12), three, {ana, lead}),
      // c2 again the same local day, more urgent: one line, the later one.
      sent("c2", "ana", utc(2026, 3, 10, 20), utc(2026, 3, 11, 12), one, {ana, lead}),
  };
  const std::vector<Digest> digests = digest(events, *TimeZone::named("America/Sao_Paulo"));
  ASSERT_EQ(digests.size(), 3U);
  EXPECT_EQ(digests[0].recipient, ana);
  EXPECT_EQ(digests[0].day, LocalDate(2026, 3, 9));
  ASSERT_EQ(digests[0].lines.size(), 1U);
  EXPECT_EQ(digests[0].lines[0].customer, CustomerId("c1"));
  EXPECT_EQ(digests[1].recipient, ana);
  EXPECT_EQ(digests[1].day, LocalDate(2026, 3, 10));
  ASSERT_EQ(digests[1].lines.size(), 2U);
  EXPECT_EQ(digests[1].lines[0].customer, CustomerId("c2")) << "earliest deadline first";
  EXPECT_EQ(digests[1].lines[0].reminder, one) << "the reminder sent last";
  EXPECT_EQ(digests[1].lines[0].deadline, utc(2026, 3, 11, 12));
  EXPECT_EQ(digests[1].lines[1].customer, CustomerId("c3"));
  EXPECT_EQ(digests[2].recipient, lead);
  EXPECT_EQ(digests[2].lines.size(), 2U);
  EXPECT_EQ(digests[2].lines[0].holder, ana);
  // In UTC the first reminder falls on the 10th with the others.
  const std::vector<Digest> in_utc = digest(events, TimeZone());
  ASSERT_EQ(in_utc.size(), 2U);
  EXPECT_EQ(in_utc[0].lines.size(), 3U);
  EXPECT_TRUE(digest({}, TimeZone()).empty());
}

}  // namespace
}  // namespace highseas

// The public enums' name tables: every value of Role, Action, RefusalCode,
// CustomerState, HistoryKind and WinKind round-trips through to_string and
// <enum>_from_string, names are distinct, unknown names parse to nothing, and
// operator<< prints the name (so GoogleTest failures show names, not bytes).
#include <gtest/gtest.h>

#include <highseas/customer.hpp>
#include <highseas/result.hpp>
#include <highseas/role_guard.hpp>
#include <set>
#include <sstream>
#include <string>

namespace highseas {
namespace {

template <class E>
std::string printed(const E& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Checks one enum's table; `parse` is its <enum>_from_string.
template <class E, std::size_t N, class Parse>
void expect_complete_table(const std::array<E, N>& all, Parse parse) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < N; ++i) {
    const E value = all[i];
    SCOPED_TRACE(to_string(value));
    EXPECT_EQ(static_cast<std::size_t>(value), i) << "the array follows declaration order";
    EXPECT_NE(to_string(value), "unknown");
    EXPECT_TRUE(names.insert(to_string(value)).second) << "names are distinct";
    EXPECT_EQ(parse(to_string(value)), value);
    EXPECT_EQ(printed(value), to_string(value));
  }
  EXPECT_EQ(to_string(static_cast<E>(N)), "unknown") << "the array lists every value";
  EXPECT_EQ(parse("unknown"), std::nullopt);
  EXPECT_EQ(parse(""), std::nullopt);
  EXPECT_EQ(parse(std::string(to_string(all[0])) + " "), std::nullopt) << "no trimming";
}

TEST(EnumNamesTest, RolesRoundTrip) { expect_complete_table(kAllRoles, role_from_string); }

TEST(EnumNamesTest, ActionsRoundTrip) { expect_complete_table(kAllActions, action_from_string); }

TEST(EnumNamesTest, RefusalCodesRoundTrip) {
  expect_complete_table(kAllRefusalCodes, refusal_code_from_string);
}

TEST(EnumNamesTest, CustomerStatesRoundTrip) {
  expect_complete_table(kAllCustomerStates, customer_state_from_string);
}

TEST(EnumNamesTest, HistoryKindsRoundTrip) {
  expect_complete_table(kAllHistoryKinds, history_kind_from_string);
}

TEST(EnumNamesTest, WinKindsRoundTrip) {
  expect_complete_table(kAllWinKinds, win_kind_from_string);
}

TEST(EnumNamesTest, DeadlineReasonsAndPolicyModesRoundTrip) {
  expect_complete_table(kAllDeadlineReasons, deadline_reason_from_string);
  expect_complete_table(kAllRunningHoldings, running_holdings_from_string);
}

TEST(EnumNamesTest, NamesAreTheStableOnesHostsStore) {
  EXPECT_EQ(to_string(Role::pool_admin), "pool_admin");
  EXPECT_EQ(to_string(Action::record_win_own), "record_win_own");
  EXPECT_EQ(to_string(RefusalCode::cap_reached), "cap_reached");
  EXPECT_EQ(to_string(CustomerState::held), "held");
  EXPECT_EQ(to_string(HistoryKind::member_removed), "member_removed");
  EXPECT_EQ(to_string(WinKind::payment_received), "payment_received");
  EXPECT_EQ(to_string(HistoryKind::rules_changed), "rules_changed");
  EXPECT_EQ(to_string(RunningHoldings::never_shorten), "never_shorten");
}

TEST(EnumNamesTest, AnOutOfRangeValueHasNoName) {
  EXPECT_EQ(to_string(static_cast<WinKind>(9)), "unknown");
  EXPECT_EQ(printed(static_cast<HistoryKind>(200)), "unknown");
}

TEST(EnumNamesTest, RefusalPrintsCodeAndMessage) {
  EXPECT_EQ(printed(Refusal{RefusalCode::cooldown, "wait 2 days"}), "cooldown: wait 2 days");
  EXPECT_EQ(::testing::PrintToString(RefusalCode::not_held), "not_held");
  EXPECT_EQ(::testing::PrintToString(Refusal{RefusalCode::not_held, "x"}), "not_held: x");
}

}  // namespace
}  // namespace highseas

// The SQL value mapping both SQL storages share (src/sql): time and duration
// codecs with their special values, enums by their public names, and the
// record and history columns, through a fake row and binder.
#include <gtest/gtest.h>

#include <highseas/storage.hpp>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sql/columns.hpp"
#include "sql/values.hpp"

namespace highseas::sql {
namespace {

Time utc(int year, int month, int day) { return Time(boost::gregorian::date(year, month, day)); }

TEST(SqlValuesTest, InstantsAreMicrosecondsSinceTheEpoch) {
  EXPECT_EQ(encode_time(utc(1970, 1, 1)), 0);
  EXPECT_EQ(encode_time(utc(1970, 1, 2)), std::int64_t{86'400'000'000});
  EXPECT_EQ(encode_time(utc(1969, 12, 31)), std::int64_t{-86'400'000'000});
  const Time odd = utc(2026, 3, 1) + boost::posix_time::microseconds(123'457);
  EXPECT_EQ(decode_time(encode_time(odd)), odd);
}

TEST(SqlValuesTest, SpecialInstantsAndDurationsMapTheSameWay) {
  using boost::posix_time::neg_infin;
  using boost::posix_time::not_a_date_time;
  using boost::posix_time::pos_infin;
  EXPECT_EQ(encode_time(Time(not_a_date_time)), std::nullopt);
  EXPECT_EQ(encode_duration(Duration(not_a_date_time)), std::nullopt);
  EXPECT_EQ(encode_time(Time(pos_infin)), kPlusInfinity);
  EXPECT_EQ(encode_duration(Duration(pos_infin)), kPlusInfinity);
  EXPECT_EQ(encode_time(Time(neg_infin)), kMinusInfinity);
  EXPECT_EQ(encode_duration(Duration(neg_infin)), kMinusInfinity);
  EXPECT_TRUE(decode_time(std::nullopt).is_not_a_date_time());
  EXPECT_TRUE(decode_duration(std::nullopt).is_not_a_date_time());
  EXPECT_TRUE(decode_time(kPlusInfinity).is_pos_infinity());
  EXPECT_TRUE(decode_duration(kPlusInfinity).is_pos_infinity());
  EXPECT_TRUE(decode_time(kMinusInfinity).is_neg_infinity());
  EXPECT_TRUE(decode_duration(kMinusInfinity).is_neg_infinity());
}

TEST(SqlValuesTest, DurationsRoundTrip) {
  const std::vector<Duration> spans{Duration(0, 0, 0), boost::posix_time::hours(24 * 30),
                                    -boost::posix_time::microseconds(7)};
  for (const Duration span : spans) {
    EXPECT_EQ(decode_duration(encode_duration(span)), span);
  }
}

TEST(SqlValuesTest, EnumsAreDecodedThroughThePublicTables) {
  for (const HistoryKind kind : kAllHistoryKinds) {
    EXPECT_EQ(decode_enum(to_string(kind), kAllHistoryKinds, "history kind", "here"), kind);
  }
  try {
    decode_enum("promoted", kAllHistoryKinds, "history kind", "SQLite storage 'x.db'");
    FAIL() << "no exception";
  } catch (const StorageError& error) {
    EXPECT_STREQ(error.what(), "SQLite storage 'x.db': unknown history kind 'promoted'");
  }
}

// A row and a binder over one list of column values, as a backend adapts its API.
using Value = std::variant<std::monostate, std::int64_t, std::string>;

struct FakeBinder {
  std::vector<Value> values;
  void add_integer(std::optional<std::int64_t> value) {
    values.push_back(value ? Value(*value) : Value());
  }
  void add_text(std::optional<std::string> value) {
    values.push_back(value ? Value(std::move(*value)) : Value());
  }
};

struct FakeRow {
  const std::vector<Value>& values;
  std::optional<std::int64_t> integer(int column) const {
    const Value& value = values.at(static_cast<std::size_t>(column));
    if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
    return std::get<std::int64_t>(value);
  }
  std::optional<std::string> text(int column) const {
    const Value& value = values.at(static_cast<std::size_t>(column));
    if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
    return std::get<std::string>(value);
  }
  std::string_view where() const { return "fake"; }
};

CustomerRecord held_record() {
  CustomerRecord record;
  record.state = CustomerState::held;
  record.holder = UserId("rep");
  record.since = utc(2026, 1, 1);
  record.deadline = Time(boost::posix_time::pos_infin);
  record.extensions_used = 2;
  record.cooldowns = {{UserId("old"), utc(2026, 1, 8)},
                      {UserId("older"), Time(boost::posix_time::pos_infin)},
                      {UserId("old"), utc(2026, 1, 9) + boost::posix_time::microseconds(1)}};
  record.deadline_reason = DeadlineReason::idle;
  record.period_deadline = utc(2026, 1, 31);
  record.idle_limit = Span::business_days(10);
  record.idle_deadline = utc(2026, 1, 15);
  record.protected_until = utc(2026, 1, 20);
  record.policy_version = 3;
  record.period_length = Span::business_days(20);
  return record;
}

TEST(SqlColumnsTest, RecordsRoundTripWithTheStateByNameOrNumber) {
  for (const StateColumn stored : {StateColumn::name, StateColumn::number}) {
    FakeBinder bound;
    bind_record(bound, held_record(), stored, "fake");
    ASSERT_EQ(bound.values.size(), static_cast<std::size_t>(kRecordColumnCount));
    EXPECT_EQ(bound.values[0],
              stored == StateColumn::name ? Value(std::string("held")) : Value(std::int64_t{1}));
    EXPECT_EQ(bound.values[5], Value()) << "no follow-up is NULL";
    // US (char 31) between user and end, RS (char 30) between entries.
    EXPECT_EQ(bound.values[6], Value(std::string("old\x1f"
                                                 "1767830400000000\x1e"
                                                 "older\x1f"
                                                 "9223372036854775807\x1e"
                                                 "old\x1f"
                                                 "1767916800000001")))
        << "every cooldown in order, a user twice kept twice";
    EXPECT_EQ(bound.values[7], Value(std::string("idle")));
    EXPECT_EQ(bound.values[9], Value(std::string("10bd")));
    EXPECT_EQ(bound.values[13], Value(std::string("20bd")));
    EXPECT_EQ(read_record(FakeRow{bound.values}, 0, stored), held_record());
  }
}

TEST(SqlColumnsTest, APeriodLengthIsItsSpanTextAndZeroWhenNotHeld) {
  CustomerRecord calendar = held_record();
  calendar.period_length = days(45);
  CustomerRecord available;
  available.since = utc(2026, 1, 1);
  for (const auto& [record, text] : {std::pair{calendar, "45d"}, std::pair{available, "0d"}}) {
    FakeBinder bound;
    bind_record(bound, record, StateColumn::number, "fake");
    EXPECT_EQ(bound.values[13], Value(std::string(text)));
    EXPECT_EQ(read_record(FakeRow{bound.values}, 0, StateColumn::number), record);
  }
  CustomerRecord odd = held_record();
  odd.period_length = hours(2) + boost::posix_time::microseconds(1);
  FakeBinder bound;
  EXPECT_THROW(bind_record(bound, odd, StateColumn::number, "fake"), StorageError);
}

TEST(SqlColumnsTest, AnUnknownStateIsAStorageError) {
  std::vector<Value> values(kRecordColumnCount);
  values[0] = std::int64_t{7};
  values[4] = std::int64_t{0};
  values[6] = std::string();
  values[7] = std::string("period");
  values[12] = std::int64_t{0};
  values[13] = std::string("0d");
  values[14] = std::string();
  values[16] = std::int64_t{0};
  EXPECT_THROW(read_record(FakeRow{values}, 0, StateColumn::number), StorageError);
}

// Returns the message of the StorageError `read` throws, or "" if none.
template <class Read>
std::string storage_error(Read read) {
  try {
    read();
  } catch (const StorageError& error) {
    return error.what();
  }
  return "";
}

TEST(SqlColumnsTest, AStoredRuleThatDoesNotParseIsAStorageErrorNamingTheColumn) {
  FakeBinder bound;
  bind_record(bound, held_record(), StateColumn::number, "fake");
  std::vector<Value> bad_limit = bound.values;
  bad_limit[9] = std::string("ten days");
  EXPECT_EQ(storage_error([&] { read_record(FakeRow{bad_limit}, 0, StateColumn::number); }),
            "fake: column customers.idle_limit: not a span: 'ten days'");
  std::vector<Value> bad_reason = bound.values;
  bad_reason[7] = std::string("bored");
  EXPECT_EQ(storage_error([&] { read_record(FakeRow{bad_reason}, 0, StateColumn::number); }),
            "fake: unknown deadline reason in column customers.deadline_reason 'bored'");
  std::vector<Value> bad_version = bound.values;
  bad_version[12] = std::int64_t{-1};
  EXPECT_EQ(storage_error([&] { read_record(FakeRow{bad_version}, 0, StateColumn::number); }),
            "fake: column customers.policy_version: out of range: -1");
  std::vector<Value> bad_length = bound.values;
  bad_length[13] = std::string("20 bd");
  EXPECT_EQ(storage_error([&] { read_record(FakeRow{bad_length}, 0, StateColumn::number); }),
            "fake: column customers.period_length: not a span: '20 bd'");
  bad_length[13] = Value();
  EXPECT_EQ(storage_error([&] { read_record(FakeRow{bad_length}, 0, StateColumn::number); }),
            "fake: column customers.period_length: NULL where a span is required");
  EXPECT_EQ(storage_error([] { decode_level_rules(std::string("A=60d,"), "f", "pools.levels"); }),
            "f: column pools.levels: not level rules: 'A=60d,'");
  EXPECT_EQ(storage_error([] { decode_span(std::nullopt, "f", "pools.default_period"); }),
            "f: column pools.default_period: NULL where a span is required");
}

TEST(SqlColumnsTest, CooldownsThatDoNotParseAreAStorageErrorNamingTheColumn) {
  FakeBinder bound;
  bind_record(bound, held_record(), StateColumn::number, "fake");
  const auto error_for = [&](Value cooldowns) {
    std::vector<Value> values = bound.values;
    values[6] = std::move(cooldowns);
    return storage_error([&] { read_record(FakeRow{values}, 0, StateColumn::number); });
  };
  EXPECT_EQ(error_for(std::string("old")),
            "fake: column customers.cooldowns: not cooldowns: 'old'");
  EXPECT_EQ(error_for(std::string("old\x1f")),
            "fake: column customers.cooldowns: not cooldowns: 'old\x1f'");
  EXPECT_EQ(error_for(std::string("\x1f"
                                  "5")),
            "fake: column customers.cooldowns: not cooldowns: '\x1f"
            "5'")
      << "no user";
  EXPECT_EQ(error_for(std::string("old\x1f"
                                  "5\x1e\x1eold\x1f"
                                  "6")),
            "fake: column customers.cooldowns: not cooldowns: 'old\x1f"
            "5\x1e\x1eold\x1f"
            "6'")
      << "an empty entry";
  EXPECT_EQ(error_for(std::string("old\x1f"
                                  "5 days")),
            "fake: column customers.cooldowns: not cooldowns: 'old\x1f"
            "5 days'");
  EXPECT_EQ(error_for(Value()),
            "fake: column customers.cooldowns: NULL where cooldowns are required");
  EXPECT_EQ(decode_cooldowns(std::string(), "fake", "c"), std::vector<Cooldown>{});
}

TEST(SqlValuesTest, ADailyLimitIsItsTextAndOneThatDoesNotParseIsAStorageError) {
  EXPECT_EQ(decode_daily_limit(std::string(), "f", "pools.daily_limit"), DailyLimit{});
  const DailyLimit limit{3, {{"A", 1}}, true};
  EXPECT_EQ(decode_daily_limit(to_string(limit), "f", "pools.daily_limit"), limit);
  EXPECT_EQ(
      storage_error([] { decode_daily_limit(std::string("three"), "f", "pools.daily_limit"); }),
      "f: column pools.daily_limit: not a daily limit: 'three'");
  EXPECT_EQ(storage_error([] { decode_daily_limit(std::nullopt, "f", "pools.daily_limit"); }),
            "f: column pools.daily_limit: NULL where a daily limit is required");
}

TEST(SqlValuesTest, DailyTakesAreADayTwoCountsAndTheLevelsText) {
  const DailyTakes takes{boost::gregorian::date(2026, 3, 1), 3, 1, {{"A", 2, 0}, {"B", 1, 1}}};
  EXPECT_EQ(encode_takes_day(takes), "2026-03-01");
  EXPECT_EQ(encode_level_takes(takes), "A=2/0,B=1/1");
  EXPECT_EQ(decode_daily_takes(std::string("2026-03-01"), 3, 1, std::string("A=2/0,B=1/1"), "f"),
            takes);
  EXPECT_EQ(
      storage_error([] { decode_daily_takes(std::string("yesterday"), 0, 0, std::string(), "f"); }),
      "f: column daily_takes.day: not a day: 'yesterday'");
  EXPECT_EQ(storage_error(
                [] { decode_daily_takes(std::string("2026-03-01"), -1, 0, std::string(), "f"); }),
            "f: column daily_takes.claims: out of range: -1");
  EXPECT_EQ(storage_error([] {
              decode_daily_takes(std::string("2026-03-01"), 0, 0, std::string("A=2"), "f");
            }),
            "f: column daily_takes.levels: not level takes: 'A=2'");
}

TEST(SqlValuesTest, SpansAndLevelRulesAreTheirText) {
  EXPECT_EQ(encode_span(days(30), "f", "c"), "30d");
  EXPECT_EQ(encode_span(Span::business_days(10), "f", "c"), "10bd");
  EXPECT_EQ(decode_span(std::string("12h"), "f", "c"), Span(hours(12)));
  EXPECT_EQ(encode_optional_span(std::nullopt, "f", "c"), std::nullopt);
  EXPECT_EQ(decode_optional_span(std::nullopt, "f", "c"), std::nullopt);
  const std::vector<LevelRule> levels{{"A", {days(60), Span::time(days(14))}},
                                      {"B", {days(30), std::nullopt}}};
  EXPECT_EQ(encode_level_rules(levels, "f", "c"), "A=60d/14d,B=30d");
  EXPECT_EQ(decode_level_rules(std::string("A=60d/14d,B=30d"), "f", "c"), levels);
  EXPECT_EQ(decode_level_rules(std::string(), "f", "c"), std::vector<LevelRule>{});
}

TEST(SqlValuesTest, ASpanTheTextCannotCarryExactlyIsRefusedWhenWritten) {
  // Never stored rounded: the text would read back as another length.
  EXPECT_EQ(
      storage_error([] {
        encode_span(hours(7) + boost::posix_time::microseconds(5), "f", "pools.default_period");
      }),
      "f: column pools.default_period: cannot store a span of 07:00:00.000005 exactly: its "
      "text '7h' reads back as another length (a span is stored as a whole number of seconds, "
      "minutes, hours or days, at most a million days)");
  EXPECT_EQ(encode_span(days(30) + seconds(1), "f", "c"), "2592001s");  // reads back exactly
  EXPECT_THROW(encode_span(days(1'000'000) + seconds(1), "f", "c"), StorageError);
}

TEST(SqlColumnsTest, HistoryRoundTripsWithTheWinKind) {
  HistoryEntry won{utc(2026, 1, 2), HistoryKind::won, UserId("rep"),     UserId("rep"),
                   UserId("rep"),   Time(),           "payment_received"};
  won.win = WinKind::payment_received;
  const HistoryEntry followed{
      utc(2026, 1, 1), HistoryKind::followed_up, UserId("rep"), UserId("rep"),
      UserId("rep"),   utc(2026, 2, 1),          "called"};
  HistoryEntry returned{utc(2026, 1, 3),
                        HistoryKind::returned,
                        std::nullopt,
                        UserId("rep"),
                        std::nullopt,
                        Time(),
                        ""};
  returned.deadline_reason = DeadlineReason::protection_ended;
  returned.policy_version = 7;
  HistoryEntry recomputed{utc(2026, 1, 4),
                          HistoryKind::rules_changed,
                          UserId("boss"),
                          UserId("rep"),
                          UserId("rep"),
                          utc(2026, 2, 9),
                          ""};
  recomputed.deadline_reason = DeadlineReason::period;
  recomputed.policy_version = 8;
  for (const HistoryEntry& entry : {won, followed, returned, recomputed}) {
    FakeBinder bound;
    bind_history(bound, entry);
    ASSERT_EQ(bound.values.size(), static_cast<std::size_t>(kHistoryColumnCount));
    EXPECT_EQ(bound.values[1], Value(std::string(to_string(entry.kind))));
    EXPECT_EQ(read_history(FakeRow{bound.values}, 0), entry);
  }
}

}  // namespace
}  // namespace highseas::sql

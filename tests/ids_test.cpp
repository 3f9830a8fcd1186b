// Strong ids: what is a valid id, and that the types do not mix.
#include <gtest/gtest.h>

#include <algorithm>
#include <compare>
#include <highseas/ids.hpp>
#include <map>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

namespace highseas {
namespace {

static_assert(!std::is_convertible_v<CustomerId, UserId>, "ids must not mix");
static_assert(!std::is_convertible_v<std::string, UserId>, "ids are explicit");

TEST(IdsTest, ValidIdsAreOneTo128BytesOfCleanUtf8) {
  EXPECT_TRUE(UserId("a").valid());
  EXPECT_TRUE(UserId("王小明").valid());
  EXPECT_TRUE(CustomerId(std::string(128, 'x')).valid());
  EXPECT_FALSE(CustomerId(std::string(129, 'x')).valid());
  EXPECT_FALSE(UserId("").valid());
  EXPECT_FALSE(UserId("tab\there").valid());
  EXPECT_FALSE(UserId(std::string("nul\0x", 5)).valid());
  EXPECT_FALSE(UserId("\xc3\x28").valid());          // broken sequence
  EXPECT_FALSE(UserId("\xc0\xaf").valid());          // overlong '/'
  EXPECT_FALSE(UserId("\xed\xa0\x80").valid());      // surrogate
  EXPECT_FALSE(UserId("\xf4\x90\x80\x80").valid());  // above U+10FFFF
  EXPECT_FALSE(UserId("\xe4\xb8").valid());          // truncated
}

// The printable-ASCII fast path must agree with the full check at every edge.
TEST(IdsTest, EveryByteValueGetsTheSameAnswerAsTheFullCheck) {
  for (int byte = 0; byte < 256; ++byte) {
    const std::string text = "id-" + std::string(1, static_cast<char>(byte)) + "-tail";
    const bool full = detail::is_valid_utf8(text) && !detail::has_control_character(text);
    EXPECT_EQ(is_valid_id(text), full) << "byte " << byte;
    EXPECT_EQ(detail::is_printable_ascii(text), byte >= 0x20 && byte <= 0x7E) << "byte " << byte;
  }
  EXPECT_FALSE(UserId("del\x7f").valid());
  EXPECT_TRUE(UserId("~ space and tilde ~").valid());
}

TEST(IdsTest, IdsCompareAndHashByValue) {
  EXPECT_EQ(PoolId("p"), PoolId(std::string("p")));
  EXPECT_LT(CustomerId("a"), CustomerId("b"));
  std::unordered_set<UserId> users{UserId("x"), UserId("x"), UserId("y")};
  EXPECT_EQ(users.size(), 2U);
}

// Byte order as unsigned values: a prefix first, then ASCII, then multibyte UTF-8
// by code point (é U+00E9 < 王 U+738B < 😀 U+1F600). Written out rather than
// defaulted so libc++ 14, which has no <=> for std::string, compiles it.
TEST(IdsTest, IdsOrderByUnsignedBytesWithPrefixesFirst) {
  static_assert(
      std::is_same_v<decltype(CustomerId("a") <=> CustomerId("b")), std::strong_ordering>);
  EXPECT_LT(CustomerId("ab"), CustomerId("b"));  // not shortest first
  EXPECT_LT(CustomerId("a"), CustomerId("ab"));
  EXPECT_LT(CustomerId("Z"), CustomerId("a"));
  EXPECT_LT(CustomerId("z"), CustomerId("é"));  // 0xC3 sorts after ASCII, not as a negative char
  EXPECT_LT(CustomerId("é"), CustomerId("王"));
  EXPECT_LT(CustomerId("王"), CustomerId("王小明"));
  EXPECT_LT(CustomerId("王小明"), CustomerId("😀"));
  EXPECT_EQ(CustomerId("王小明") <=> CustomerId(std::string("王小明")),
            std::strong_ordering::equal);
  EXPECT_EQ(CustomerId("b") <=> CustomerId("ab"), std::strong_ordering::greater);
  EXPECT_NE(CustomerId("王"), CustomerId("王小明"));
  EXPECT_GE(CustomerId("王"), CustomerId("王"));
  EXPECT_LE(CustomerId("é"), CustomerId("é"));
  EXPECT_GT(CustomerId("😀"), CustomerId("z"));

  std::vector<UserId> users{UserId("😀"),  UserId("王小明"), UserId("b"), UserId("é"),
                            UserId("王"), UserId("ab"),     UserId("a")};
  std::sort(users.begin(), users.end());
  const std::vector<UserId> expected{UserId("a"),  UserId("ab"),     UserId("b"), UserId("é"),
                                     UserId("王"), UserId("王小明"), UserId("😀")};
  EXPECT_EQ(users, expected);

  std::map<PoolId, int> pools{{PoolId("王"), 1}, {PoolId("a"), 2}, {PoolId("王"), 3}};
  ASSERT_EQ(pools.size(), 2U);
  EXPECT_EQ(pools.begin()->first, PoolId("a"));
  EXPECT_EQ(pools.at(PoolId("王")), 1);
}

}  // namespace
}  // namespace highseas

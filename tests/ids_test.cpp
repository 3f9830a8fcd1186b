// Strong ids: what is a valid id, and that the types do not mix.
#include <gtest/gtest.h>

#include <highseas/ids.hpp>
#include <string>
#include <type_traits>
#include <unordered_set>

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

}  // namespace
}  // namespace highseas

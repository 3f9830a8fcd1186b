// The duplicate-check key (撞单): spellings of one company collide, different
// companies do not.
#include <gtest/gtest.h>

#include <highseas/name_key.hpp>

namespace highseas {
namespace {

TEST(NameKeyTest, FoldsCaseWidthSpacesAndPunctuation) {
  const std::string key = name_key("ACME Trading Co., Ltd.");
  EXPECT_EQ(key, "acmetradingcoltd");
  EXPECT_EQ(name_key("acme  trading co ltd"), key);
  EXPECT_EQ(name_key("ＡＣＭＥ　Ｔｒａｄｉｎｇ　Ｃｏ．，Ｌｔｄ．"), key);
  EXPECT_EQ(name_key("Acme-Trading (Co) Ltd"), key);
}

TEST(NameKeyTest, KeepsOtherScriptsAndDigits) {
  EXPECT_EQ(name_key("深圳市 华强 贸易有限公司"), "深圳市华强贸易有限公司");
  EXPECT_EQ(name_key("深圳市（华强）贸易，有限公司。"), "深圳市华强贸易有限公司");
  EXPECT_NE(name_key("Acme 1"), name_key("Acme 2"));
}

TEST(NameKeyTest, EmptyForPunctuationOnlyOrInvalidText) {
  EXPECT_EQ(name_key("  ---  "), "");
  EXPECT_EQ(name_key("bad\xff"), "");
}

}  // namespace
}  // namespace highseas

// The duplicate-check key (撞单): spellings of one company collide, different
// companies do not.
#include <gtest/gtest.h>

#include <highseas/name_key.hpp>
#include <string>

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

// macOS exports write accents as a letter plus a combining mark (NFD).
TEST(NameKeyTest, ACombiningAccentCollidesWithTheComposedLetter) {
  const std::string composed = name_key("Caf\u00e9 Ltd");  // é, one code point
  EXPECT_EQ(composed, "caf\u00e9ltd");
  EXPECT_EQ(name_key("Cafe\u0301 Ltd"), composed);  // e + COMBINING ACUTE ACCENT
  EXPECT_EQ(name_key("CAFE\u0301 LTD"), composed);
  EXPECT_EQ(name_key("CAF\u00c9 LTD"), composed);
  EXPECT_NE(name_key("Cafe Ltd"), composed) << "accents are part of the name";
  // Hangul written as jamo composes to the syllable, too.
  EXPECT_EQ(name_key("\u1112\u1161\u11ab"), name_key("\ud55c"));
}

TEST(NameKeyTest, FoldsTheCaseOfEveryCasedScript) {
  EXPECT_EQ(name_key("ΑΘΗΝΑ ΑΕ"), name_key("αθηνα αε"));
  EXPECT_EQ(name_key("ΟΔΥΣΣΕΥΣ"), name_key("οδυσσευς")) << "final sigma folds to sigma";
  EXPECT_EQ(name_key("МОСКВА ООО"), "москваооо");
  EXPECT_EQ(name_key("Москва ООО"), "москваооо");
  EXPECT_EQ(name_key("STRASSE"), name_key("Straße")) << "full case folding: ß is ss";
}

TEST(NameKeyTest, CompatibilityFormsBecomeTheirPlainLetters) {
  EXPECT_EQ(name_key("\ufb01ne foods"), "finefoods");  // the ligature ﬁ
  EXPECT_EQ(name_key("ＡＣＭＥ１２３"), "acme123");    // full-width letters and digits
  EXPECT_EQ(name_key("ｶﾌｪ"), name_key("カフェ"));      // half-width katakana
  EXPECT_EQ(name_key("Acme\u2122"), "acmetm");         // ™
  EXPECT_EQ(name_key("Acme\u00a0Ltd"), "acmeltd");     // no-break space
}

TEST(NameKeyTest, DropsCjkPunctuationSymbolsAndInvisibleMarks) {
  const std::string key = name_key("华强贸易有限公司");
  EXPECT_EQ(name_key("「华强」贸易・有限公司！"), key);
  EXPECT_EQ(name_key("【华强】贸易、有限公司。"), key);
  EXPECT_EQ(name_key("《华强》〈贸易〉有限公司…"), key);
  EXPECT_EQ(name_key("华强\u200b贸易\u200e有限公司"), key) << "zero-width space, LRM";
  EXPECT_EQ(name_key("Acme\u00ae \u00a9 $ \u20ac \U0001f680"), "acme") << "®, ©, $, €, emoji";
  // The iteration mark is a letter (佐々木 is not 佐木).
  EXPECT_EQ(name_key("佐々木商事"), "佐々木商事");
}

TEST(NameKeyTest, InvalidTextHasNoKeyAsBefore) {
  EXPECT_EQ(name_key("Caf\xc3"), "") << "truncated sequence";
  EXPECT_EQ(name_key("\xc0\xaf"), "") << "overlong";
  EXPECT_EQ(name_key("\xed\xa0\x80"), "") << "surrogate";
  EXPECT_EQ(name_key("\xf4\x90\x80\x80"), "") << "above U+10FFFF";
  EXPECT_EQ(name_key("Cafe\u0301\xff"), "") << "invalid after a combining mark";
}

TEST(NameKeyTest, EmptyWhenNothingButDecorationIsLeft) {
  EXPECT_EQ(name_key(""), "");
  EXPECT_EQ(name_key("\u3000\u3001\u3002\uff01\uff08\uff09"), "");  // CJK spaces, punctuation
  EXPECT_EQ(name_key("\u2014 \u00b7 \u30fb \U0001f600"), "");
  EXPECT_EQ(name_key(std::string("\0\t\n", 3)), "");
}

// ASCII names skip utf8proc: the shortcut must give what utf8proc gives. A
// trailing é sends the same character down the utf8proc path.
TEST(NameKeyTest, TheAsciiShortcutAgreesWithTheUnicodePath) {
  for (int c = 0; c < 0x80; ++c) {
    const std::string ascii(1, static_cast<char>(c));
    EXPECT_EQ(name_key(ascii + "\u00e9"), name_key(ascii) + "\u00e9") << "character " << c;
  }
}

TEST(NameKeyTest, LongNamesThatExpandStillGetTheirKey) {
  // ﷺ expands to 18 code points under NFKC: 100 of them overflow any small
  // buffer the implementation keeps on the stack.
  std::string name;
  for (int i = 0; i < 100; ++i) name += "\ufdfa";
  const std::string key = name_key(name);
  EXPECT_EQ(key.size(), name_key("\ufdfa").size() * 100);
  EXPECT_FALSE(key.empty());
}

}  // namespace
}  // namespace highseas

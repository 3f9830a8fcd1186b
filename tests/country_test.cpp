// Country codes: which codes exist, and how typed text becomes one.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <highseas/country.hpp>
#include <string>
#include <string_view>

namespace highseas {
namespace {

TEST(CountryTest, KnowsAssignedAlpha2Codes) {
  EXPECT_TRUE(is_country_code("BR"));
  EXPECT_TRUE(is_country_code("GB"));
  EXPECT_FALSE(is_country_code("UK"));
  EXPECT_FALSE(is_country_code("br"));
  EXPECT_FALSE(is_country_code("BRA"));
  EXPECT_FALSE(is_country_code(""));
  EXPECT_EQ(kCountryCodes.size(), 249U);
  EXPECT_TRUE(std::is_sorted(kCountryCodes.begin(), kCountryCodes.end()));
}

TEST(NormalizeCountryTest, StoresTheCodeASalespersonMeant) {
  struct Spelling {
    std::string_view typed;
    std::string_view stored;
  };
  constexpr std::array kSpellings{
      Spelling{"BR", "BR"},
      Spelling{"br", "BR"},
      Spelling{"bR", "BR"},
      Spelling{" br\t", "BR"},
      Spelling{"\r\nCN\n", "CN"},
      Spelling{"ＢＲ", "BR"},              // full-width capitals
      Spelling{"ｃｎ", "CN"},              // full-width small letters
      Spelling{"ＡＺ", "AZ"},              // the first and last full-width capitals
      Spelling{"ａｚ", "AZ"},              // the first and last full-width small letters
      Spelling{"\xE3\x80\x80gb　", "GB"},  // ideographic spaces around
      Spelling{"", ""},
      Spelling{"   ", ""},
  };
  for (const Spelling& spelling : kSpellings) {
    EXPECT_EQ(normalize_country(spelling.typed), spelling.stored)
        << "typed: '" << spelling.typed << "'";
  }
}

TEST(NormalizeCountryTest, MapsNoNamesOrOtherCodeSets) {
  // A guess would file a lead under a country nobody meant: these stay refused.
  EXPECT_EQ(normalize_country("Brazil"), "BRAZIL");
  EXPECT_EQ(normalize_country("bra"), "BRA");
  EXPECT_EQ(normalize_country("uk"), "UK");
  EXPECT_FALSE(is_country_code(normalize_country("uk")));
  EXPECT_EQ(normalize_country("b r"), "B R");
}

TEST(NormalizeCountryTest, KeepsOtherTextAsTypedForTheRefusal) {
  EXPECT_EQ(normalize_country("巴西"), "巴西");
  EXPECT_EQ(normalize_country("ｂr\xff"), "BR\xff");
  EXPECT_EQ(normalize_country("\xEF\xBC"), "\xEF\xBC");  // a cut-off full-width letter
  EXPECT_EQ(normalize_country("é"), "é");
}

TEST(NormalizeCountryTest, EveryCodeSurvivesAnySpelling) {
  for (const std::string_view code : kCountryCodes) {
    std::string lower(code);
    for (char& c : lower) c = static_cast<char>(c - 'A' + 'a');
    EXPECT_EQ(normalize_country(lower), code);
    EXPECT_TRUE(is_country_code(normalize_country(" " + lower + " ")));
  }
}

}  // namespace
}  // namespace highseas

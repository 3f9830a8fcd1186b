// Header mapping by English and Chinese names, and record -> profile.
#include "highseas/csv/customer_columns.hpp"

#include <gtest/gtest.h>

#include <highseas/testing/matchers.hpp>

namespace highseas::csv {
namespace {

TEST(CustomerColumnsTest, ChineseAndEnglishNamesMapInAnyOrder) {
  auto columns =
      map_customer_columns({"备注", " 客户名称 ", "Country", "编号", "客户级别", "标签"});
  ASSERT_HIGHSEAS_OK(columns);
  EXPECT_EQ(columns->id, 3U);
  EXPECT_EQ(columns->name, 1U);
  EXPECT_EQ(columns->country, 2U);
  EXPECT_EQ(columns->level, 4U);
  EXPECT_EQ(columns->tags, 5U);
  EXPECT_EQ(columns->ignored, (std::vector<std::string>{"备注"}));
  EXPECT_EQ(columns->column_of("country"), "Country");
}

TEST(CustomerColumnsTest, MissingIdOrNameIsAClearError) {
  auto no_id = map_customer_columns({"name", "country"});
  ASSERT_REFUSED(no_id, invalid_argument);
  EXPECT_NE(no_id.refusal().message.find("no id"), std::string::npos);
  auto no_name = map_customer_columns({"编号", "国家"});
  ASSERT_REFUSED(no_name, invalid_argument);
  EXPECT_NE(no_name.refusal().message.find("no name"), std::string::npos);
}

TEST(CustomerColumnsTest, TwoColumnsForOneFieldAreRefused) {
  auto columns = map_customer_columns({"id", "name", "等级", "level"});
  ASSERT_REFUSED(columns, invalid_argument);
  EXPECT_NE(columns.refusal().message.find("等级"), std::string::npos);
}

TEST(CustomerColumnsTest, ProfileIsTrimmedCountryUpperCasedTagsSplit) {
  auto columns = map_customer_columns({"id", "name", "country", "level", "tags"});
  ASSERT_HIGHSEAS_OK(columns);
  const CustomerProfile profile =
      profile_from_record(*columns, {" c1 ", " Acme ", "br", "A", "steel; hot |;| new"});
  EXPECT_EQ(profile.id.str(), "c1");
  EXPECT_EQ(profile.name, "Acme");
  EXPECT_EQ(profile.country, "BR");
  EXPECT_EQ(profile.tags, (std::vector<std::string>{"steel", "hot", "new"}));
}

TEST(CustomerColumnsTest, CountryTypedWithAChineseInputMethodIsTheCode) {
  auto columns = map_customer_columns({"编号", "客户名称", "国家"});
  ASSERT_HIGHSEAS_OK(columns);
  // Full-width letters and an ideographic space, as Excel keeps them.
  EXPECT_EQ(profile_from_record(*columns, {"c1", "上海贸易", "ｃｎ　"}).country, "CN");
  EXPECT_EQ(profile_from_record(*columns, {"c2", "Acme", "Brazil"}).country, "BRAZIL");
}

}  // namespace
}  // namespace highseas::csv

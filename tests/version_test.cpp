// The version macros, highseas::version() and project(VERSION) agree; the
// build passes project(VERSION) in as HIGHSEAS_TEST_PROJECT_VERSION.
#include "highseas/version.hpp"

#include <gtest/gtest.h>

#include <string>

#include "highseas/highseas.hpp"

namespace highseas {
namespace {

TEST(Version, MacrosSpellTheProjectVersion) {
  const std::string from_parts = std::to_string(HIGHSEAS_VERSION_MAJOR) + "." +
                                 std::to_string(HIGHSEAS_VERSION_MINOR) + "." +
                                 std::to_string(HIGHSEAS_VERSION_PATCH);
  EXPECT_EQ(from_parts, HIGHSEAS_TEST_PROJECT_VERSION);
  EXPECT_STREQ(HIGHSEAS_VERSION_STRING, HIGHSEAS_TEST_PROJECT_VERSION);
}

TEST(Version, TheLinkedLibraryReportsTheVersionItWasBuiltAs) {
  EXPECT_EQ(version(), HIGHSEAS_TEST_PROJECT_VERSION);
  EXPECT_EQ(version(), HIGHSEAS_VERSION_STRING);
}

}  // namespace
}  // namespace highseas

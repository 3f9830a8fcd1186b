// Where the PostgreSQL tests find their server: HIGHSEAS_POSTGRES_URI, as
// scripts/with-postgres exports it. Without it the tests skip, except under
// CI=true, where a missing server is a failure.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>

#include "highseas/postgres/postgres_storage.hpp"

namespace highseas::test {

// Returns `prefix` followed by `n`, e.g. numbered("c", 7) == "c7". (Not
// `"c" + std::to_string(n)`: GCC 12 warns falsely on that at -O2, bug 105329.)
inline std::string numbered(std::string_view prefix, long long n) {
  std::string text(prefix);
  text += std::to_string(n);
  return text;
}

// Returns the server's URI, or an empty string when none is configured.
inline std::string postgres_uri() {
  const char* uri = std::getenv("HIGHSEAS_POSTGRES_URI");
  return uri == nullptr ? std::string() : std::string(uri);
}

// Returns true iff a missing server must fail the tests (CI=true).
inline bool postgres_required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

inline constexpr const char* kNoServer =
    "HIGHSEAS_POSTGRES_URI is not set; run the tests under scripts/with-postgres";

// Returns a schema name no other test (or earlier run) has used.
inline std::string fresh_schema(std::string_view prefix = "t") {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}();
  return std::string(prefix) + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(salt % 100000) + "_" + std::to_string(counter++);
}

// Returns `uri` with one more query parameter, e.g. application_name=x.
inline std::string with_parameter(const std::string& uri, const std::string& parameter) {
  return uri + (uri.find('?') == std::string::npos ? "?" : "&") + parameter;
}

}  // namespace highseas::test

// Skips the test (fails it under CI=true) when no server is configured;
// otherwise declares `const std::string uri` with its URI.
#define HIGHSEAS_REQUIRE_POSTGRES(uri)                                                \
  const std::string uri = ::highseas::test::postgres_uri();                           \
  if (uri.empty()) {                                                                  \
    if (::highseas::test::postgres_required()) FAIL() << ::highseas::test::kNoServer; \
    GTEST_SKIP() << ::highseas::test::kNoServer;                                      \
  }                                                                                   \
  static_assert(true, "require a semicolon")

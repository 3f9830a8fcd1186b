// GoogleTest helpers for HighSeas results: short tests, readable failures.
//
//   EXPECT_HIGHSEAS_OK(pool.claim(user, customer));
//   EXPECT_REFUSED(pool.claim(user, customer), cap_reached);
#pragma once

#include <gtest/gtest.h>

#include "highseas/result.hpp"

namespace highseas::testing {

// Returns success iff `result` holds a value; else its refusal as the message.
template <class T>
::testing::AssertionResult is_ok(const Result<T>& result) {
  if (result.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "refused: " << result.refusal().to_string();
}

// Returns success iff `result` is a refusal with `code`.
template <class T>
::testing::AssertionResult is_refused(const Result<T>& result, RefusalCode code) {
  if (result.ok()) {
    return ::testing::AssertionFailure()
           << "expected refusal " << to_string(code) << " but the command succeeded";
  }
  if (result.code() != code) {
    return ::testing::AssertionFailure()
           << "expected refusal " << to_string(code) << " but got " << result.refusal().to_string();
  }
  return ::testing::AssertionSuccess();
}

}  // namespace highseas::testing

#define EXPECT_HIGHSEAS_OK(expr) EXPECT_TRUE(::highseas::testing::is_ok(expr))
#define ASSERT_HIGHSEAS_OK(expr) ASSERT_TRUE(::highseas::testing::is_ok(expr))
#define EXPECT_REFUSED(expr, code) \
  EXPECT_TRUE(::highseas::testing::is_refused(expr, ::highseas::RefusalCode::code))
#define ASSERT_REFUSED(expr, code) \
  ASSERT_TRUE(::highseas::testing::is_refused(expr, ::highseas::RefusalCode::code))

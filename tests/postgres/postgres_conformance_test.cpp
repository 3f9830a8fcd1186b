// The Storage conformance suite on PostgresStorage, each test in a fresh schema.
#include <highseas/postgres/postgres_storage.hpp>
#include <highseas/testing/conformance.hpp>
#include <memory>

#include "postgres_test_env.hpp"

namespace {

// Stands in when there is no server: the test body never runs (see below).
class NoServer final : public highseas::Storage {
 public:
  std::unique_ptr<highseas::Transaction> begin(const highseas::PoolId&,
                                               highseas::TransactionMode) override {
    throw highseas::StorageError(highseas::test::kNoServer);
  }
};

// Returns a storage over a new, empty schema. Without a server it records a
// skip (a failure under CI=true) and hands back a NoServer so the fixture's
// set-up completes; GoogleTest then does not run the test body.
std::unique_ptr<highseas::Storage> make_postgres_storage() {
  const std::string uri = highseas::test::postgres_uri();
  if (uri.empty()) {
    if (highseas::test::postgres_required()) {
      GTEST_MESSAGE_(highseas::test::kNoServer, ::testing::TestPartResult::kFatalFailure);
    } else {
      GTEST_MESSAGE_(highseas::test::kNoServer, ::testing::TestPartResult::kSkip);
    }
    return std::make_unique<NoServer>();
  }
  return std::make_unique<highseas::PostgresStorage>(
      highseas::PostgresOptions{uri, highseas::test::fresh_schema("conf")});
}

}  // namespace

HIGHSEAS_INSTANTIATE_STORAGE_CONFORMANCE(Postgres, highseas::testing::StorageFactory{
                                                       "postgres", make_postgres_storage});

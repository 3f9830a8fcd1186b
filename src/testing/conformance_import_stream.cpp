// Conformance tests: PublicPool::import_customers from an ImportSource, one
// transaction over many batches, on the storage under test. Compiled into
// HighSeas::testing.
#include <cstddef>
#include <span>
#include <utility>
#include <vector>

#include "highseas/testing/conformance_fixture.hpp"
#include "highseas/testing/fault_injecting_storage.hpp"

namespace highseas::testing {

namespace {

// Hands out fixed batches and records what the pool asked of it.
class BatchSource final : public ImportSource {
 public:
  explicit BatchSource(std::vector<std::vector<CustomerProfile>> batches)
      : batches_(std::move(batches)) {}

  void rewind() override {
    ++rewinds;
    next_ = 0;
    refused_rows.clear();
  }
  std::span<const CustomerProfile> next_batch() override {
    if (next_ == batches_.size()) return {};
    ++batches_read;
    return batches_[next_++];
  }
  void refused(std::size_t first_row, std::span<const ImportProblem> problems) override {
    for (const ImportProblem& problem : problems) {
      // The row is in the batch just handed out, which is still valid.
      EXPECT_LT(problem.row - first_row, batches_[next_ - 1].size());
      refused_rows.push_back(problem.row);
    }
  }
  bool left_out_rows() const override { return left_out; }

  int rewinds = 0;
  int batches_read = 0;
  std::vector<std::size_t> refused_rows;  // stream rows, this pass
  bool left_out = false;

 private:
  std::vector<std::vector<CustomerProfile>> batches_;
  std::size_t next_ = 0;
};

// Customers make(first)..make(last), `per` a batch.
std::vector<std::vector<CustomerProfile>> batches_of(int first, int last, int per,
                                                     CustomerProfile (*make)(int)) {
  std::vector<std::vector<CustomerProfile>> batches;
  for (int n = first; n <= last; ++n) {
    if ((n - first) % per == 0) batches.emplace_back();
    batches.back().push_back(make(n));
  }
  return batches;
}

}  // namespace

TEST_P(StorageConformance, AStrictStreamWithABadRowInItsLastBatchChangesNothing) {
  populate(pool(), 0);
  auto batches = batches_of(1, 12, 4, profile);
  batches[2][1].country = "XX";  // stream row 9
  BatchSource source(batches);
  auto report = pool().import_customers(admin, source, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->rows, 12U);
  EXPECT_EQ(report->imported, 0U);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].row, 9U);
  EXPECT_EQ(report->problems[0].field, "country");
  EXPECT_EQ(source.refused_rows, std::vector<std::size_t>{9});
  // The first two batches were written, then rolled back with the rest.
  for (int n = 1; n <= 12; ++n)
    EXPECT_REFUSED(pool().customer(boss, customer(n)), unknown_customer);
  EXPECT_EQ(pool().summary(boss)->available, 0U);
}

TEST_P(StorageConformance, AStrictStreamReportsEveryProblemAndRepeatsAcrossBatches) {
  populate(pool(), 2);
  auto batches = batches_of(3, 10, 3, profile);
  batches[0][0].country = "XX";  // row 0: invalid
  batches[1][0] = profile(1);    // row 3: known customer
  batches[2][1] = profile(4);    // row 7: repeats row 1
  BatchSource source(batches);
  auto report = pool().import_customers(admin, source, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->problems.size(), 3U);
  EXPECT_EQ(report->problems[0].row, 0U);
  EXPECT_EQ(report->problems[1].row, 3U);
  EXPECT_EQ(report->problems[1].code, RefusalCode::already_in_pool);
  EXPECT_EQ(report->problems[2].row, 7U);
  EXPECT_FALSE(report->problems[2].collision.has_value());  // the stream's own row, not 撞单
  EXPECT_EQ(report->imported, 0U);
  EXPECT_EQ(pool().summary(boss)->available, 2U);
}

TEST_P(StorageConformance, AStrictStreamOfSeveralCleanBatchesCommitsAll) {
  populate(pool(), 0);
  BatchSource source(batches_of(1, 12, 5, profile));
  auto report = pool().import_customers(admin, source, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->rows, 12U);
  EXPECT_EQ(report->imported, 12U);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(source.batches_read, 3);
  for (int n = 1; n <= 12; ++n) {
    EXPECT_EQ(view(pool(), customer(n)).profile, profile(n));
  }
  EXPECT_EQ(pool().summary(boss)->available, 12U);
}

TEST_P(StorageConformance, AStreamWhoseSourceLeftOutRowsWritesNothingWhenStrict) {
  populate(pool(), 0);
  BatchSource source(batches_of(1, 6, 2, profile));
  source.left_out = true;  // say, a malformed CSV line the source could not parse
  auto report = pool().import_customers(admin, source, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->source_left_out_rows);
  EXPECT_EQ(report->imported, 0U);
  EXPECT_EQ(pool().summary(boss)->available, 0U);
}

TEST_P(StorageConformance, ARetriedStreamIsReadAgainFromItsFirstRow) {
  populate(pool(), 0);
  FaultInjectingStorage faulty(storage());
  PublicPool pool_over_faults(PoolId("pool-a"), faulty, clock());
  BatchSource source(batches_of(1, 12, 4, profile));
  // About four storage calls a row: call 30 falls in the second batch, after
  // the first one was written.
  faulty.fail_at(30, FaultKind::transient);
  auto report = pool_over_faults.import_customers(admin, source, ImportMode::all_or_nothing);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(faulty.failures(), 1U);
  EXPECT_EQ(source.rewinds, 2);
  EXPECT_GT(source.batches_read, 3);  // the first pass read at least one batch
  EXPECT_EQ(report->rows, 12U);
  EXPECT_EQ(report->imported, 12U);
  EXPECT_TRUE(report->problems.empty());
  EXPECT_EQ(pool().summary(boss)->available, 12U);
  for (int n = 1; n <= 12; ++n) {
    auto history = pool().history(boss, customer(n));
    ASSERT_HIGHSEAS_OK(history);
    EXPECT_EQ(history->size(), 1U) << customer(n).str();  // imported once, not twice
  }
}

// Referenced by link_conformance_suite(), so a static HighSeas::testing keeps
// this file's tests in every binary that instantiates the suite.
void link_conformance_import_stream() {}

}  // namespace highseas::testing

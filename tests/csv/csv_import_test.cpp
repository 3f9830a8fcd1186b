// import_customers_csv through a real PublicPool: line numbers, columns,
// collisions (撞单), strict mode, batches and progress.
#include "highseas/csv/csv_import.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <highseas/highseas.hpp>
#include <highseas/testing/days.hpp>
#include <highseas/testing/fault_injecting_storage.hpp>
#include <highseas/testing/matchers.hpp>
#include <sstream>
#include <string>

namespace highseas::csv {
namespace {

class CsvImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_HIGHSEAS_OK(pool.create(boss));
    ASSERT_HIGHSEAS_OK(pool.set_member(boss, alice, Role::pool_user));
  }

  Result<CsvImportReport> import_text(const std::string& text, CsvImportOptions options = {}) {
    std::istringstream in(text);
    return import_customers_csv(pool, boss, in, options);
  }
  Result<CsvImportReport> import_file(const std::string& name, CsvImportOptions options = {}) {
    std::ifstream in(std::string(HIGHSEAS_TEST_DATA) + "/" + name, std::ios::binary);
    EXPECT_TRUE(in) << name;
    return import_customers_csv(pool, boss, in, options);
  }
  static CsvImportOptions options(CsvEncoding encoding, ImportMode mode = ImportMode::keep_valid,
                                  std::size_t batch_rows = 1000) {
    CsvImportOptions chosen;
    chosen.encoding = encoding;
    chosen.mode = mode;
    chosen.batch_rows = batch_rows;
    return chosen;
  }
  bool known(const char* id) { return pool.customer(boss, CustomerId(id)).ok(); }

  const UserId boss{"boss"};
  const UserId alice{"alice"};
  ManualClock clock{utc(2026, 3, 2, 9)};
  MemoryStorage storage;
  PublicPool pool{PoolId("default"), storage, clock};
};

TEST_F(CsvImportTest, GbkFileWithChineseHeaderImportsEveryRow) {
  auto report = import_file("customers_gbk.csv");
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->encoding, CsvEncoding::gb18030);
  EXPECT_EQ(report->rows, 3U);
  EXPECT_EQ(report->imported, 3U);
  auto view = pool.customer(boss, CustomerId("G001"));
  ASSERT_HIGHSEAS_OK(view);
  EXPECT_EQ(view->profile.name, "上海进出口贸易有限公司");
  EXPECT_EQ(view->profile.tags, (std::vector<std::string>{"钢材", "热卖"}));
}

TEST_F(CsvImportTest, UnknownColumnsAreIgnoredWithANotice) {
  auto report = import_file("customers_tricky.csv");
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(report->notices.size(), 1U);
  EXPECT_EQ(report->notices[0], "ignored columns: phone");
  // "Multi\nline\nname" is refused by the pool (control characters), on its start line.
  EXPECT_EQ(report->imported, 2U);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].line, 3U);
  EXPECT_EQ(report->problems[0].column, "name");
  EXPECT_TRUE(known("T003"));
}

TEST_F(CsvImportTest, EachBadRowIsReportedByLineAndColumnAndGoodRowsGoIn) {
  auto report = import_file("customers_bad_rows.csv", options(CsvEncoding::utf8));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->rows, 7U);
  EXPECT_EQ(report->imported, 2U);
  EXPECT_EQ(report->rejected, 5U);
  ASSERT_EQ(report->problems.size(), 5U);
  std::vector<std::string> lines;
  for (const CsvProblem& problem : report->problems) lines.push_back(problem.to_string());
  // In line order, whether the file (lines 4-8) or the pool (line 3) found them.
  EXPECT_EQ(lines[0], "line 3, column country: 'XX' is not an ISO 3166-1 alpha-2 code");
  EXPECT_EQ(lines[1], "line 4, column id: duplicate id 'B001' within the file (first on line 2)");
  EXPECT_EQ(lines[2], "line 5: has 2 columns, the header has 4");
  EXPECT_EQ(lines[3], "line 6, column name: not valid UTF-8");
  EXPECT_NE(lines[4].find("line 8, column name: quoted field not closed"), std::string::npos);
  EXPECT_TRUE(known("B001"));
  EXPECT_TRUE(known("B005"));
  EXPECT_FALSE(known("B002"));
  EXPECT_EQ(pool.customer(boss, CustomerId("B001"))->profile.name, "Good One");
}

TEST_F(CsvImportTest, StrictModeWritesNothingAndStillReportsEveryProblem) {
  auto report =
      import_file("customers_bad_rows.csv", options(CsvEncoding::utf8, ImportMode::all_or_nothing));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 0U);
  EXPECT_EQ(report->rejected, 7U);
  ASSERT_EQ(report->problems.size(), 5U);  // the pool's check ran too: line 3's country
  EXPECT_EQ(report->problems[0].line, 3U);
  EXPECT_EQ(report->problems[0].field, "country");
  EXPECT_FALSE(known("B001"));
  EXPECT_FALSE(known("B005"));
}

TEST_F(CsvImportTest, RowsWithProblemsAreAllCountedBeyondTheReportedOnes) {
  std::string text = "id,name,country\n";
  for (int i = 0; i < 5; ++i)
    text += "X" + std::to_string(i) + ",Name " + std::to_string(i) + ",XX\n";
  text += "OK1,Fine,CN\n";
  CsvImportOptions chosen = options(CsvEncoding::automatic, ImportMode::all_or_nothing);
  chosen.max_reported_problems = 2;
  auto strict = import_text(text, chosen);
  ASSERT_HIGHSEAS_OK(strict);
  EXPECT_EQ(strict->rows_with_problems, 5U);
  EXPECT_EQ(strict->rejected, 6U);  // strict: every row
  EXPECT_EQ(strict->problems.size(), 2U);
  chosen.mode = ImportMode::keep_valid;
  auto kept = import_text(text, chosen);
  ASSERT_HIGHSEAS_OK(kept);
  EXPECT_EQ(kept->rows_with_problems, 5U);
  EXPECT_EQ(kept->rejected, 5U);
}

TEST_F(CsvImportTest, StrictModeOnACleanFileImportsEverything) {
  auto report =
      import_file("customers_gbk.csv", options(CsvEncoding::automatic, ImportMode::all_or_nothing));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->clean());
  EXPECT_EQ(report->imported, 3U);
  EXPECT_EQ(pool.customer(boss, CustomerId("G003"))->profile.country, "JP");
}

TEST_F(CsvImportTest, StrictModeRejectsAllWhenOnlyThePoolFindsAProblem) {
  // The quoted line break in C003's name is a control character to the pool.
  auto report = import_file("customers_bom_crlf.csv",
                            options(CsvEncoding::automatic, ImportMode::all_or_nothing));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 0U);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].line, 4U);
  EXPECT_EQ(report->problems[0].column, "客户名称");
  EXPECT_FALSE(known("C001"));
}

// "id,name,country" and rows N0..N<count-1>, every one clean.
std::string clean_rows(int count) {
  std::string text = "id,name,country\n";
  for (int i = 0; i < count; ++i) {
    text += "N" + std::to_string(i) + ",Name " + std::to_string(i) + ",BR\n";
  }
  return text;
}

// A stream that cannot seek, as a pipe.
class PipeBuffer final : public std::stringbuf {
 public:
  explicit PipeBuffer(const std::string& text) : std::stringbuf(text) {}

 protected:
  pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override {
    return pos_type(off_type(-1));
  }
  pos_type seekpos(pos_type, std::ios_base::openmode) override { return pos_type(off_type(-1)); }
};

TEST_F(CsvImportTest, StrictModeStreamsBatchesAndAProblemInTheLastOneImportsNothing) {
  // 25 rows in batches of 10: the pool has written two batches when the
  // third one's problems appear, a repeated id (the file's) and a bad country
  // (the pool's).
  std::string text = clean_rows(24) + "N3,Again,BR\n";
  text.replace(text.find("N22,Name 22,BR"), 14, "N22,Name 22,XX");
  auto report = import_text(text, options(CsvEncoding::automatic, ImportMode::all_or_nothing, 10));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->rows, 25U);
  EXPECT_EQ(report->imported, 0U);
  EXPECT_EQ(report->rows_with_problems, 2U);
  EXPECT_EQ(report->rejected, 25U);
  ASSERT_EQ(report->problems.size(), 2U);
  EXPECT_EQ(report->problems[0].line, 24U);
  EXPECT_EQ(report->problems[0].field, "country");
  EXPECT_EQ(report->problems[1].line, 26U);
  EXPECT_EQ(report->problems[1].reason, "duplicate id 'N3' within the file (first on line 5)");
  EXPECT_FALSE(known("N0"));
  EXPECT_EQ(pool.summary(boss)->available, 0U);
}

TEST_F(CsvImportTest, StrictModeOfManyBatchesCommitsThemAll) {
  std::vector<CsvProgress> seen;
  CsvImportOptions chosen = options(CsvEncoding::automatic, ImportMode::all_or_nothing, 10);
  chosen.on_progress = [&](const CsvProgress& progress) { seen.push_back(progress); };
  const std::string text = clean_rows(35);
  auto report = import_text(text, chosen);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_TRUE(report->clean());
  EXPECT_EQ(report->imported, 35U);
  EXPECT_EQ(pool.summary(boss)->available, 35U);
  ASSERT_EQ(seen.size(), 4U);            // after rows 10, 20, 30, and at the end
  EXPECT_EQ(seen[0].rows_imported, 0U);  // nothing is in before the one commit
  EXPECT_EQ(seen.back().rows_imported, 35U);
  EXPECT_EQ(seen.back().bytes_read, text.size());
}

TEST_F(CsvImportTest, StrictModeRetriedMidwayReadsTheFileAgainFromTheTop) {
  testing::FaultInjectingStorage faulty(storage);
  PublicPool over_faults(PoolId("default"), faulty, clock);
  // About four storage calls a row: call 60 is in the second batch of 10.
  faulty.fail_at(60, testing::FaultKind::transient);
  std::istringstream in(clean_rows(30));
  auto report = import_customers_csv(
      over_faults, boss, in, options(CsvEncoding::automatic, ImportMode::all_or_nothing, 10));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(faulty.failures(), 1U);
  EXPECT_TRUE(report->clean());
  EXPECT_EQ(report->rows, 30U);  // not 30 plus the rows of the failed pass
  EXPECT_EQ(report->imported, 30U);
  EXPECT_EQ(pool.summary(boss)->available, 30U);
  EXPECT_EQ(pool.history(boss, CustomerId("N0"))->size(), 1U);
}

TEST_F(CsvImportTest, StrictModeReadsAStreamThatCannotSeekIntoMemoryFirst) {
  PipeBuffer pipe(clean_rows(12));
  std::istream in(&pipe);
  ASSERT_EQ(in.tellg(), std::istream::pos_type(-1));
  auto report = import_customers_csv(
      pool, boss, in, options(CsvEncoding::automatic, ImportMode::all_or_nothing, 5));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 12U);
  EXPECT_TRUE(known("N11"));
}

TEST_F(CsvImportTest, CollisionsWithKnownCustomersSayWhoHoldsThemUntilWhen) {
  ASSERT_HIGHSEAS_OK(import_text("id,name\nK1,Acme Trading\nK2,Beta\n"));
  ASSERT_HIGHSEAS_OK(pool.claim(alice, CustomerId("K1")));
  auto report = import_text("id,name\nN1,  ACME trading.\nK2,Other\nN2,New One\n");
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 1U);
  ASSERT_EQ(report->problems.size(), 2U);
  const CsvProblem& by_name = report->problems[0];
  EXPECT_EQ(by_name.line, 2U);
  EXPECT_EQ(by_name.code, RefusalCode::already_in_pool);
  ASSERT_TRUE(by_name.collision);
  EXPECT_TRUE(by_name.collision->by_name);
  EXPECT_EQ(by_name.collision->existing, CustomerId("K1"));
  EXPECT_EQ(by_name.collision->state, CustomerState::held);
  EXPECT_EQ(by_name.collision->holder, alice);
  EXPECT_EQ(by_name.collision->deadline, highseas::testing::utc_days_end(clock.now(), 30));
  const CsvProblem& by_id = report->problems[1];
  EXPECT_EQ(by_id.line, 3U);
  ASSERT_TRUE(by_id.collision);
  EXPECT_FALSE(by_id.collision->by_name);
  EXPECT_EQ(by_id.collision->state, CustomerState::available);
}

TEST_F(CsvImportTest, DuplicateIdAcrossBatchesIsCaughtInTheFile) {
  auto report = import_text("id,name\nD1,One\nD2,Two\nD3,Three\nD1,Again\n",
                            options(CsvEncoding::automatic, ImportMode::keep_valid, 2));
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 3U);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].line, 5U);
  EXPECT_EQ(report->problems[0].collision, std::nullopt);  // not a pool collision
}

TEST_F(CsvImportTest, ARepeatedNameNamesItsFirstLineAcrossTheDefaultBatchBoundary) {
  // 1500 rows, the default batch of 1000: line 2's name comes back on line
  // 1502 (the second batch) and line 3's, whose row the pool rejects (bad
  // country), on line 1503. Both are repeats within the file, not 撞单 with a
  // "known customer" the file itself added.
  std::string text = "id,name,country\nD1,Acme Trading,BR\nD2,Beta Ltd,XX\n";
  for (int i = 3; i <= 1500; ++i) {
    text += "R" + std::to_string(i) + ",Row " + std::to_string(i) + ",CN\n";
  }
  text += "E1,ACME trading.,FR\nE2,beta ltd,DE\n";
  auto report = import_text(text);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->rows, 1502U);
  EXPECT_EQ(report->imported, 1499U);
  ASSERT_EQ(report->problems.size(), 3U);
  EXPECT_EQ(report->problems[0].line, 3U);  // the bad country
  EXPECT_EQ(report->problems[1].to_string(), "line 1502, column name: same name as line 2 (D1)");
  EXPECT_EQ(report->problems[1].collision, std::nullopt);
  EXPECT_EQ(report->problems[2].to_string(), "line 1503, column name: same name as line 3 (D2)");
  EXPECT_FALSE(known("E1"));
  EXPECT_FALSE(known("E2"));

  // The same file in one batch (strict mode) reports the same repeats.
  MemoryStorage other_storage;
  PublicPool other{PoolId("default"), other_storage, clock};
  ASSERT_HIGHSEAS_OK(other.create(boss));
  std::istringstream in(text);
  auto strict = import_customers_csv(other, boss, in,
                                     options(CsvEncoding::automatic, ImportMode::all_or_nothing));
  ASSERT_HIGHSEAS_OK(strict);
  ASSERT_EQ(strict->problems.size(), 3U);
  EXPECT_EQ(strict->problems[1].to_string(), "line 1502, column name: same name as line 2 (D1)");
}

TEST_F(CsvImportTest, SkipExistingResumesAnInterruptedImport) {
  const std::string head = "id,name,country\nS1,One,BR\nS2,Two,CN\nS3,Three,FR\n";
  const std::string whole = head + "S4,Four,DE\nS5,Five,JP\n";
  ASSERT_HIGHSEAS_OK(import_text(head));                    // the run that was interrupted
  ASSERT_HIGHSEAS_OK(pool.claim(alice, CustomerId("S2")));  // held since: still the same row
  CsvImportOptions resume = options(CsvEncoding::automatic, ImportMode::keep_valid, 2);
  resume.skip_existing = true;
  auto report = import_text(whole, resume);
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 2U);
  EXPECT_EQ(report->skipped, 3U);
  EXPECT_TRUE(report->clean());
  EXPECT_TRUE(known("S5"));

  // The same id with another profile is not "already imported": a collision.
  auto changed = import_text("id,name,country\nS1,One,BR\nS3,Three Renamed,FR\n", resume);
  ASSERT_HIGHSEAS_OK(changed);
  EXPECT_EQ(changed->skipped, 1U);
  ASSERT_EQ(changed->problems.size(), 1U);
  EXPECT_EQ(changed->problems[0].line, 3U);
  EXPECT_EQ(changed->problems[0].code, RefusalCode::already_in_pool);
  // Without the option, existing rows are collisions as before.
  auto plain = import_text(whole);
  ASSERT_HIGHSEAS_OK(plain);
  EXPECT_EQ(plain->skipped, 0U);
  EXPECT_EQ(plain->rejected, 5U);
}

TEST_F(CsvImportTest, SkipExistingInStrictModeImportsTheRestInOneGo) {
  ASSERT_HIGHSEAS_OK(import_text("id,name\nS1,One\nS2,Two\n"));
  CsvImportOptions resume = options(CsvEncoding::automatic, ImportMode::all_or_nothing);
  resume.skip_existing = true;
  auto bad = import_text("id,name\nS1,One\nS2,Two Renamed\nS3,Three\n", resume);
  ASSERT_HIGHSEAS_OK(bad);
  EXPECT_EQ(bad->imported, 0U);
  EXPECT_EQ(bad->skipped, 1U);
  EXPECT_EQ(bad->rows_with_problems, 1U);
  EXPECT_EQ(bad->rejected, 2U);  // every row not skipped
  EXPECT_FALSE(known("S3"));
  auto good = import_text("id,name\nS1,One\nS2,Two\nS3,Three\nS4,Four\n", resume);
  ASSERT_HIGHSEAS_OK(good);
  EXPECT_EQ(good->imported, 2U);
  EXPECT_EQ(good->skipped, 2U);
  EXPECT_TRUE(good->clean());
  EXPECT_TRUE(known("S4"));
}

TEST_F(CsvImportTest, OverLongRawFieldRejectsItsRowOnly) {
  const std::string long_name(5000, 'n');
  auto report = import_text("id,name\nL1," + long_name + "\nL2,Short\n");
  ASSERT_HIGHSEAS_OK(report);
  EXPECT_EQ(report->imported, 1U);
  ASSERT_EQ(report->problems.size(), 1U);
  EXPECT_EQ(report->problems[0].to_string(), "line 2, column name: field longer than 4096 bytes");
  EXPECT_TRUE(known("L2"));
}

TEST_F(CsvImportTest, MissingNameColumnAndEmptyFileAreRefusals) {
  EXPECT_REFUSED(import_text("编号,国家\n1,BR\n"), invalid_argument);
  EXPECT_REFUSED(import_text(""), invalid_argument);
  EXPECT_REFUSED(import_text("\n\n"), invalid_argument);
}

TEST_F(CsvImportTest, BinaryInputIsNotATextFile) {
  using namespace std::string_literals;
  const std::string with_nul = "id,name\nB1,Acme\0\0\x01\x02\nB2,Beta\n"s;
  auto nul = import_text(with_nul);
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.refusal().code, RefusalCode::invalid_argument);
  EXPECT_EQ(nul.refusal().message, "not a text file: it contains NUL bytes (a CSV file is text)");
  // Neither UTF-8 nor GB18030 (0x80 and 0xFF lead no GB18030 character).
  auto garbage = import_text("id,name\nB1,\xFF\x80\xFF\x80\n");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.refusal().message,
            "not a text file: its start is neither UTF-8 nor GB18030 text (a CSV file is text)");
  EXPECT_FALSE(known("B1"));
  // A chosen encoding still reads such a file row by row.
  auto chosen = import_text("id,name\nB1,\xFF\x80\nB2,Fine\n", options(CsvEncoding::gb18030));
  ASSERT_HIGHSEAS_OK(chosen);
  EXPECT_EQ(chosen->imported, 1U);
}

TEST_F(CsvImportTest, ARepMayNotImport) {
  std::istringstream in("id,name\n1,A\n");
  EXPECT_REFUSED(import_customers_csv(pool, alice, in), not_permitted);
  EXPECT_FALSE(known("1"));
}

TEST_F(CsvImportTest, ProgressIsReportedPerBatchAndAtTheEnd) {
  std::string text = "id,name\n";
  for (int i = 0; i < 250; ++i)
    text += "p" + std::to_string(i) + ",Name " + std::to_string(i) + "\n";
  std::vector<CsvProgress> seen;
  CsvImportOptions chosen = options(CsvEncoding::automatic, ImportMode::keep_valid, 100);
  chosen.on_progress = [&](const CsvProgress& progress) { seen.push_back(progress); };
  auto report = import_text(text, chosen);
  ASSERT_HIGHSEAS_OK(report);
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].rows_read, 100U);
  EXPECT_EQ(seen[1].rows_imported, 200U);
  EXPECT_EQ(seen.back().rows_imported, 250U);
  EXPECT_EQ(seen.back().bytes_read, text.size());
}

}  // namespace
}  // namespace highseas::csv

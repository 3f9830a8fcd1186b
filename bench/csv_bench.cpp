// import_customers_csv into SqliteStorage: rows per second for a 100k-row file.
#include <unistd.h>

#include <filesystem>
#include <highseas/csv/csv_import.hpp>
#include <highseas/sqlite/sqlite_storage.hpp>
#include <sstream>
#include <string>

#include "fixtures.hpp"
#include "registry.hpp"

namespace highseas::bench {
namespace {

// Returns a CSV with a header and `rows` valid customers named by company_name().
std::string customer_csv(std::int64_t rows) {
  std::string csv = "id,name,country,level,tags\n";
  const char* countries[] = {"DE", "BR", "CN", "US", "FR"};
  for (std::int64_t i = 0; i < rows; ++i) {
    csv += customer_id(i).str();
    csv += ",\"";  // quoted: "Co., Ltd." has a comma
    csv += company_name(i);
    csv += "\",";
    csv += countries[i % 5];
    csv += i % 3 == 0 ? ",A,vip\n" : ",B,\n";
  }
  return csv;
}

// Each iteration imports the file into a new SQLite file (synchronous NORMAL).
void BM_CsvImportSqlite(benchmark::State& state) {
  const std::int64_t rows = state.range(0);
  const std::string csv = customer_csv(rows);
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("highseas_bench_csv_" + std::to_string(::getpid()) + ".db");
  auto remove_files = [&] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path.string() + suffix, ignored);
    }
  };
  for (auto _ : state) {
    state.PauseTiming();
    remove_files();
    {
      SqliteStorage storage(
          SqliteOptions{.path = path.string(), .synchronous = SqliteSynchronous::normal});
      ManualClock clock;
      PublicPool pool(PoolId("bench"), storage, clock);
      const UserId boss("boss");
      expect(pool.create(boss), "create");
      std::istringstream in(csv);
      state.ResumeTiming();
      const Result<csv::CsvImportReport> report = csv::import_customers_csv(pool, boss, in);
      state.PauseTiming();
      if (!report || report->imported != static_cast<std::size_t>(rows)) {
        state.SkipWithError("import did not take every row");
      }
    }
    state.ResumeTiming();
  }
  remove_files();
  state.SetItemsProcessed(state.iterations() * rows);
  state.counters["rows"] = static_cast<double>(rows);
}

}  // namespace

void register_csv_benchmarks() {
  benchmark::RegisterBenchmark("BM_CsvImportSqlite", BM_CsvImportSqlite)
      ->ArgNames({"rows"})
      ->Arg(size(100'000, 200))
      ->Iterations(smoke() ? 1 : 3)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
}

}  // namespace highseas::bench

/// @file
/// import_customers_csv: streams a customer CSV file into a pool through
/// PublicPool::import_customers, and reports every row it did not import by
/// line number and column.
///
/// The file is read record by record (see csv_reader.hpp; header mapping in
/// customer_columns.hpp). Checks are split in two, so none is written twice:
///  - here, what only the file knows: encoding, quoting, column count, over-long
///    raw fields, and an id or a normalised name (name_key) repeated anywhere in
///    the file. The file is one unit, whatever the batches: a repeat names the
///    earlier line ("same name as line 2 (D1)"), whether that row was imported
///    or rejected;
///  - in PublicPool, everything about the customer: each field, and collisions
///    (撞单) by id or normalised name with customers the pool already knew
///    before the file — with their state, holder and deadline.
///
/// Modes:
///  - ImportMode::keep_valid (default): rows are imported in batches of
///    `batch_rows`, each batch one transaction; good rows go in, bad ones are
///    reported. Memory stays bounded by one batch plus the ids and name keys
///    seen so far.
///  - ImportMode::all_or_nothing (strict): the whole file must be clean. The
///    file is streamed to the pool (PublicPool::import_customers over an
///    ImportSource), `batch_rows` rows at a time, in ONE transaction: a late
///    batch failing can never leave an earlier one committed. Once a row has
///    a problem (the file's or the pool's) nothing more is written, the rest
///    is still checked so the report lists every problem at once, and the
///    transaction rolls back. Memory stays bounded by one batch plus the ids
///    and name keys seen (as keep_valid), plus the problems reported; with
///    skip_existing, also the rows found already imported. The price: the
///    transaction holds the storage's write lock (on SQLite, the whole
///    file's) from the first batch to the commit, so every other writer waits
///    for the whole import; keep_valid lets them in between batches.
///    If the storage asks for a retry, the pool rewinds the import: the
///    stream is sought back to where it started and read again. A stream that
///    cannot seek (a pipe) is first copied into memory, raw bytes (its size,
///    still well below the parsed rows).
///
/// Thread-safety: as PublicPool; the stream belongs to the calling thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "highseas/csv/csv_reader.hpp"
#include "highseas/ids.hpp"
#include "highseas/public_pool.hpp"
#include "highseas/result.hpp"
#include "highseas/views.hpp"

namespace highseas::csv {

/// How far an import has come, for progress bars.
struct CsvProgress {
  std::uint64_t bytes_read = 0;   ///< of the input stream
  std::size_t rows_read = 0;      ///< data records read so far
  std::size_t rows_imported = 0;  ///< rows added to the pool so far
};

/// How import_customers_csv reads the file and commits its rows.
struct CsvImportOptions {
  // --- Behaviour ---
  /// How the file is encoded. Default: automatic (UTF-8 unless it is not).
  CsvEncoding encoding = CsvEncoding::automatic;
  /// keep_valid imports the good rows; all_or_nothing is --strict. Default: keep_valid.
  ImportMode mode = ImportMode::keep_valid;
  /// Resuming an interrupted import: a row whose id the pool already knows
  /// with the same profile is skipped and counted in CsvImportReport::skipped,
  /// not reported; the same id with a different profile is still a collision.
  /// Costs one lookup per such row. Default: false.
  bool skip_existing = false;
  /// Called after every batch and once at the end. Default: none.
  std::function<void(const CsvProgress&)> on_progress;
  // --- Limits ---
  /// Rows per transaction in keep_valid mode; rows held in memory at once in
  /// strict mode. Default: 1000.
  std::size_t batch_rows = 1000;
  /// The longest raw field, in bytes; a longer one rejects its row. Default: 4096.
  std::size_t max_field_bytes = 4096;
  /// The most problems kept in the report (all are counted). Default: 1000.
  std::size_t max_reported_problems = 1000;
};

/// Why one row of the file was not imported.
struct CsvProblem {
  std::size_t line = 0;  ///< physical line where the row starts, from 1
  std::string column;    ///< the header name as written in the file, e.g. "国家"
  std::string field;     ///< the customer field: "id", "name", "country", "level", "tags"; or ""
  RefusalCode code = RefusalCode::invalid_argument;  ///< why, as a stable code
  std::string reason;                                ///< why, for people
  std::optional<Collision> collision;  ///< the known customer it collides with (撞单)

  /// Returns "line 7, column 国家: 'XX' is not an ISO 3166-1 alpha-2 code".
  std::string to_string() const;
};

/// What import_customers_csv did.
struct CsvImportReport {
  CsvEncoding encoding = CsvEncoding::automatic;  ///< the encoding used (detected or chosen)
  std::size_t rows = 0;                           ///< data rows read
  std::size_t imported = 0;                       ///< rows added to the pool
  std::size_t skipped = 0;                        ///< rows already imported (skip_existing)
  std::size_t rejected = 0;                       ///< rows not added (may exceed problems.size())
  /// Rows with a problem, all counted (problems keeps the first
  /// max_reported_problems). Equals `rejected` in keep_valid mode; a strict
  /// import with any problem rejects every row, so `rejected` is `rows` then.
  std::size_t rows_with_problems = 0;
  std::vector<CsvProblem> problems;  ///< in line order, at most max_reported_problems
  std::vector<std::string> notices;  ///< e.g. columns ignored
  /// Returns true iff every row was imported.
  bool clean() const noexcept { return rejected == 0; }
};

/// Imports the customers of the CSV in `in` into `pool` as `actor`, from the
/// stream's current position. Returns the report, or a refusal when nothing
/// could be read (no header, no id or name column; invalid_argument) or the
/// pool refused the import itself (not_permitted, pool_disabled, ...).
/// Throws StorageError as the pool does, and std::runtime_error when a strict
/// import must start over and its stream can no longer seek back.
Result<CsvImportReport> import_customers_csv(PublicPool& pool, const UserId& actor,
                                             std::istream& in,
                                             const CsvImportOptions& options = {});

}  // namespace highseas::csv

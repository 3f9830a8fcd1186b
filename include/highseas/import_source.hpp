/// @file
/// ImportSource: customer profiles handed to PublicPool::import_customers a
/// batch at a time, so an import of millions of rows never holds them all; and
/// StreamImportReport, what such an import did.
///
/// The import runs in ONE transaction, whatever the mode, and a storage may
/// ask PublicPool to run that transaction again (a transient conflict): the
/// pool then calls rewind() and reads the stream from its first row once more.
/// A source must therefore be able to start over, and hand out the same rows
/// each time.
///
/// Thread-safety: a source belongs to the thread running the import.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "highseas/customer.hpp"
#include "highseas/views.hpp"

namespace highseas {

/// A stream of customer profiles, read batch by batch. Implemented by hosts
/// (csv::import_customers_csv has one over a CSV file).
class ImportSource {
 public:
  virtual ~ImportSource() = default;

  /// Starts the stream over from its first row and forgets what the earlier
  /// pass saw. Called before the first batch of every attempt.
  virtual void rewind() = 0;

  /// Returns the next rows, or an empty span at the end. The rows stay valid
  /// until the next call of next_batch() or rewind().
  virtual std::span<const CustomerProfile> next_batch() = 0;

  /// Tells the source which rows of the batch just returned the pool refused,
  /// while that batch is still valid: `problems[i].row - first_row` is the
  /// row's index in it (`row` counts from the stream's first row). Called
  /// only for batches with problems. Default: does nothing.
  virtual void refused(std::size_t first_row, std::span<const ImportProblem> problems) {
    (void)first_row;
    (void)problems;
  }

  /// Returns true iff the source itself left out rows it could not hand over
  /// (say a malformed CSV line): an all_or_nothing import then writes nothing,
  /// as if the pool had refused them. Asked after every batch. Default: false.
  virtual bool left_out_rows() const { return false; }

  /// Returns true iff refused() keeps what it needs of the problems, so the
  /// report need not hold them all (StreamImportReport::problems then stays
  /// empty; rows_with_problems still counts them). Default: false.
  virtual bool collects_problems() const { return false; }

  /// Returns true iff no two rows of the stream share an id or a non-empty
  /// normalised name (name_key.hpp), because the source checked: the pool
  /// then keeps no set of the ids and names it has seen, and memory stays at
  /// one batch. Default: false (the pool keeps them, to report repeats).
  virtual bool rows_are_unique() const { return false; }
};

/// What an import from an ImportSource did. Counts, not ids, so the report
/// stays small whatever the stream's length.
struct StreamImportReport {
  std::size_t rows = 0;      ///< rows the stream handed out
  std::size_t imported = 0;  ///< rows added (0 when all_or_nothing found a problem)
  /// Rows the pool refused (rows the source left out are not counted).
  std::size_t rows_with_problems = 0;
  /// Those rows' problems, in stream order, unless the source collects them
  /// (ImportSource::collects_problems); `row` counts from the stream's first
  /// row, from 0.
  std::vector<ImportProblem> problems;
  /// True iff the source left out rows of its own (ImportSource::left_out_rows).
  bool source_left_out_rows = false;
};

}  // namespace highseas
